"""Background work of the feedback app: telling someone what happened to their suggestion."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from feedback.models import Status, Suggestion, YouSaidWeDidPage

STATUS_SENTENCES = {
    Status.LOOKING: gettext_lazy(
        "We kijken nu naar je idee. We laten het je weten als er nieuws is."
    ),
    Status.PLANNED: gettext_lazy("We gaan iets doen met je idee. Het staat op de planning."),
    Status.CHANGED: gettext_lazy("Er is iets veranderd dankzij jouw idee en dat van anderen."),
    Status.NOT_POSSIBLE: gettext_lazy("We kunnen je idee helaas niet uitvoeren."),
}
# Only said when the answer with the reason is public, so the message never promises a page
# that is not there yet.
NOT_POSSIBLE_WHY_ONLINE = gettext_lazy("Op de website leggen we uit waarom.")
NOT_POSSIBLE_WHY_LATER = gettext_lazy(
    "Wil je weten waarom niet? Beantwoord deze e-mail, dan leggen we het je uit."
)


def status_to_notify(suggestion):
    """The status this person has not heard about yet, or None.

    Nobody is told that their suggestion is "new": they know, they just sent it.
    """
    status = suggestion.effective_status
    if not suggestion.contact_email or status == Status.NEW:
        return None
    return None if status == suggestion.notified_status else status


def answers_url(suggestion):
    """The public answers page, only once the item this suggestion is merged into is public."""
    item = suggestion.public_item
    if item is None or not item.published:
        return ""
    page = YouSaidWeDidPage.objects.live().public().first()
    return page.get_full_url() if page is not None else ""


@task()
def notify_suggestion_status(suggestion_id: int):
    """Mail the person who left an address that the status changed; once per status.

    Mail passes through servers the service does not control, so it carries the name they
    gave to greet them, the new status and a link, never their suggestion or other details.
    The row is locked while mailing, so two workers cannot both send the same news.
    """
    with transaction.atomic():
        suggestion = (
            Suggestion.objects.select_for_update(of=("self",))
            .select_related("public_item")
            .filter(pk=suggestion_id)
            .first()
        )
        if suggestion is None:
            return
        status = status_to_notify(suggestion)
        if status is None:
            return
        with translation.override(suggestion.language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Nieuws over je idee"),
                message=message(suggestion, status),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[suggestion.contact_email.strip()],
            )
        Suggestion.objects.filter(pk=suggestion.pk).update(notified_status=status)


def message(suggestion, status):
    name = suggestion.contact_name.strip()
    lines = [
        _("Hallo %(name)s,") % {"name": name} if name else _("Hallo,"),
        "",
        _("Je gaf ons een idee om onze hulp bij geldzorgen beter te maken. Dank je wel!"),
        _("Er is nieuws. De status van je idee is nu: %(status)s.")
        % {"status": Status(status).label},
        str(STATUS_SENTENCES[status]),
    ]
    url = answers_url(suggestion)
    if status == Status.NOT_POSSIBLE:
        lines.append(str(NOT_POSSIBLE_WHY_ONLINE if url else NOT_POSSIBLE_WHY_LATER))
    if url:
        lines += ["", _("Lees ons antwoord op de website:"), url]
    lines += [
        "",
        _("Wil je geen berichten meer krijgen? Beantwoord deze e-mail, dan stoppen we ermee."),
        "",
        _("Groeten van het team Schuldhulp"),
    ]
    return "\n".join(lines)
