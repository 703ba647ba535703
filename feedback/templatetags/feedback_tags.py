"""The "Had je hier iets aan?" box, for story, film and campaign pages."""

from django import template

from feedback.forms import UsefulForm

register = template.Library()

USEFUL_STATES = ("bedankt", "fout")


@register.inclusion_tag("components/useful.html", takes_context=True)
def useful_box(context, page):
    """The form (with a fresh signed render time) or the thanks, as the query string says.

    No CSRF token and no session: the page that shows this box sets no cookie, so it can be
    cached. The view guards itself with the honeypot, the render time and a rate limit.
    """
    request = context.get("request")
    state = request.GET.get("nuttig", "") if request is not None else ""
    form = UsefulForm()
    return {
        "page": page,
        "state": state if state in USEFUL_STATES else "",
        "rendered_at": form.initial["rendered_at"],
    }
