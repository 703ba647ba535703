"""Background work of the core app."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def notify_intake_team(record_id: str):
    """Tell the intake team a sign-up is waiting: a link only, never the contents.

    Mail passes through servers the service does not control, so it must not carry
    anything about the person.
    """
    recipients = settings.INTAKE_NOTIFY_EMAILS
    if not recipients:
        return
    url = settings.SITE_URL + reverse("intake_inbox:inspect", args=[record_id])
    send_mail(
        subject=_("Nieuwe aanmelding in de inbox"),
        message=_(
            "Er is een nieuwe aanmelding binnengekomen.\n\n"
            "Open hem in de beheeromgeving (je moet inloggen):\n%(url)s\n\n"
            "Deze e-mail bevat bewust geen gegevens van de aanmelder."
        )
        % {"url": url},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )


@task()
def purge_front_end_cache():
    """Drop every live public page from the proxy or CDN in front of the site.

    The page cache works in generations (see doorvertellen.page_cache): one change can alter
    many pages (a withdrawn story leaves the home page, the index and landing pages), so the
    proxy forgets them all, as this server's own cache does.
    """
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().filter(depth__gt=1).specific())
    batch.purge()
