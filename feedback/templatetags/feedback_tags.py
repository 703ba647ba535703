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


def _voice_pages(request):
    """Where each way to have a say lives: {"suggest": url, "answers": url, "offer": url}.

    Without a link nobody finds these pages (they stay out of the short main menu), so every
    page's footer shows them. Remembered per generation like the menu, so a page costs no
    extra query; only live, public pages are linked.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Site

    from doorvertellen import languages, page_cache
    from feedback.models import StoryOfferPage, SuggestionPage, YouSaidWeDidPage

    kinds = {"suggest": SuggestionPage, "answers": YouSaidWeDidPage, "offer": StoryOfferPage}

    def find():
        pages = languages.each_in_active_language(
            languages.public_pages()
            .live()
            .public()
            .type(*kinds.values())
            .only("id", "url_path", "path", "depth", "content_type_id")
        )
        urls = {}
        for key, model in kinds.items():
            page = pages.get(ContentType.objects.get_for_model(model).pk)
            url = page.get_url(request) if page is not None else ""
            if url:
                urls[key] = url
        return urls

    site = Site.find_for_request(request)
    return page_cache.remember(f"feedback-links:{site.pk if site else ''}", find, request)


@register.simple_tag(takes_context=True)
def voice_links(context):
    """The footer's links to Denk mee, Jullie zeiden, wij deden and Deel je verhaal."""
    request = context.get("request")
    if request is None:
        return {}
    if not hasattr(request, "_feedback_voice_links"):
        request._feedback_voice_links = _voice_pages(request)
    return request._feedback_voice_links
