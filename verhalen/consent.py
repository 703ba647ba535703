"""What happens when a storyteller answers, withdraws, or their consent runs out.

The views (the storyteller's private links), the daily `check_consents` command and the
erasure of personal data all go through these functions, so a story goes offline the same way
whoever or whatever triggers it: every page unpublished, cards and quotes elsewhere dropped,
the search index cleaned, the audit log written and the staff told.

Mail to staff carries a page title and an admin link only: mail passes through servers the
service does not control, so it never names the storyteller or holds their contact details.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.search import index

from doorvertellen.models import AuditEntry
from doorvertellen.models.pages import HomePageFeaturedStory
from doorvertellen.roles import COMMUNICATIONS, CONSENT_MANAGER
from verhalen.files import hide_story_files
from verhalen.models import ConsentRecord, StoryApproval
from verhalen.signals import story_taken_offline

logger = logging.getLogger("verhalen.consent")

REASONS = ("withdrawn", "expired", "erased")


@dataclass
class OfflineResult:
    """What `take_offline` did; all zero when it had nothing left to do."""

    changed: bool = False
    pages: list = field(default_factory=list)  # the pages that went offline now
    featured_removed: int = 0
    approvals_superseded: int = 0
    schedules_cancelled: int = 0


# --- Addresses and mail ---------------------------------------------------------------------


def absolute(url):
    return settings.SITE_URL.rstrip("/") + url


def admin_edit_url(page):
    return absolute(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def staff_emails(groups, users=()):
    """Active staff in `groups`, plus `users` (e.g. a page's owner), without duplicates."""
    User = get_user_model()
    addresses = list(
        User.objects.filter(is_active=True, groups__name__in=groups)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )
    for user in users:
        if user is not None and user.is_active and user.email:
            addresses.append(user.email)
    return sorted(set(addresses))


def send(subject, message, recipients):
    """Send one mail; a failing mail server must not undo what the storyteller asked for."""
    if not recipients:
        return False
    try:
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=list(recipients),
        )
    except Exception:  # SMTP, DNS, timeouts: logged; the change itself is already stored
        logger.exception("Could not send the mail %r", subject)
        return False
    return True


def page_lines(pages):
    return "\n".join(f"- {page.title}\n  {admin_edit_url(page)}" for page in pages)


# --- The storyteller's answer ----------------------------------------------------------------


def approve(approval, request=None):
    """The storyteller agrees with this exact version. Returns the new withdrawal token, or
    None when the question was answered meanwhile (a second tab, a double click).

    Approving the story is also the storyteller's act of consent: a consent recorded by the
    consent manager but not yet given becomes given now, with the scope as it was recorded.
    The withdrawal link is new each time (an older one stops working), shown once and mailed.
    """
    now = timezone.now()
    with transaction.atomic():
        approval = StoryApproval.objects.select_for_update().get(pk=approval.pk)
        if approval.status != StoryApproval.Status.PENDING:
            return None
        consent = ConsentRecord.objects.select_for_update().get(pk=approval.consent_id)
        approval.status = StoryApproval.Status.APPROVED
        approval.decided_at = now
        approval.save(update_fields=["status", "decided_at"])
        if consent.given_at is None:
            consent.given_at = now
        token = consent.new_withdrawal_token()
        consent.save()
        AuditEntry.record(
            request,
            AuditEntry.Action.CHANGE,
            StoryApproval,
            approval.pk,
            detail="approved",
        )
    title = approval_title(approval)
    send_withdrawal_link(consent, token)
    send(
        _("Akkoord van de verteller: %(title)s") % {"title": title},
        _(
            "De verteller heeft het verhaal “%(title)s” goedgekeurd. "
            "Je kunt het nu publiceren:\n%(url)s\n\n"
            "Publiceer precies de versie die de verteller heeft gezien. "
            "Verander je nog iets, vraag dan opnieuw om akkoord."
        )
        % {"title": title, "url": admin_edit_url(approval.page)},
        staff_emails([COMMUNICATIONS], users=[approval.page.owner]),
    )
    return token


def request_changes(approval, comment, request=None):
    """The storyteller wants something changed. The comment stays in the admin (encrypted).

    Returns None when the question was answered meanwhile.
    """
    with transaction.atomic():
        approval = StoryApproval.objects.select_for_update().get(pk=approval.pk)
        if approval.status != StoryApproval.Status.PENDING:
            return None
        approval.status = StoryApproval.Status.CHANGES_REQUESTED
        approval.decided_at = timezone.now()
        approval.comment = comment
        approval.save(update_fields=["status", "decided_at", "comment"])
        AuditEntry.record(
            request,
            AuditEntry.Action.CHANGE,
            StoryApproval,
            approval.pk,
            detail="changes requested",
        )
    title = approval_title(approval)
    send(
        _("De verteller wil iets veranderen: %(title)s") % {"title": title},
        _(
            "De verteller wil iets veranderen aan het verhaal “%(title)s”.\n\n"
            "Wat de verteller schreef, lees je bij de toestemming in de beheeromgeving "
            "(alleen voor toestemmingsbeheer). De pagina:\n%(url)s\n\n"
            "Pas het verhaal samen aan en vraag daarna opnieuw om akkoord."
        )
        % {"title": title, "url": admin_edit_url(approval.page)},
        staff_emails([COMMUNICATIONS, CONSENT_MANAGER], users=[approval.page.owner]),
    )
    return approval


def approval_title(approval):
    """The title the storyteller approved (the page may have a newer draft title)."""
    if approval.revision is not None:
        title = approval.revision.content.get("title")
        if title:
            return title
    return approval.page.title


def send_withdrawal_link(consent, token):
    """Mail the storyteller their withdrawal link, if they gave an address. Not queued:
    the queue is a database table, and the token must not be stored anywhere."""
    if not consent.contact_email:
        return False
    url = absolute(reverse("verhalen:withdrawal", args=[token]))
    return send(
        _("Je verhaal: zo trek je je toestemming in"),
        _(
            "Hallo,\n\n"
            "Dank je wel dat je je verhaal wilt delen. Dat helpt andere mensen met "
            "geldzorgen.\n\n"
            "Wil je later toch niet meer dat je verhaal online staat? Dat mag altijd. "
            "Klik dan op deze link:\n%(url)s\n\n"
            "Je hoeft niet in te loggen en je hoeft niets uit te leggen. "
            "Bewaar deze e-mail goed. Deze link vervangt eerdere links.\n\n"
            "Groet,\n%(service)s"
        )
        % {"url": url, "service": service_name()},
        [consent.contact_email],
    )


def service_name():
    from wagtail.models import Site

    from doorvertellen.models import ServiceSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return settings.WAGTAIL_SITE_NAME
    return ServiceSettings.for_site(site).service_name


# --- Taking a story offline ------------------------------------------------------------------


def take_offline(consent, *, reason, request=None):
    """Take every page that uses this consent offline, and everything that points to them.

    Idempotent: a second call finds nothing left to do and writes, sends and signals nothing.
    `reason` is "withdrawn" (the storyteller), "expired" (the end date passed) or "erased"
    (the person's data is erased on request).
    """
    if reason not in REASONS:
        raise ValueError(f"Unknown reason {reason!r}")
    now = timezone.now()
    result = OfflineResult()
    with transaction.atomic():
        consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
        fields = []
        if reason == "withdrawn" and consent.withdrawn_at is None:
            consent.withdrawn_at = now
            fields.append("withdrawn_at")
        if reason in ("withdrawn", "erased") and consent.withdrawal_token_hash:
            # Used once: the link stops working.
            consent.withdrawal_token_hash = ""
            fields.append("withdrawal_token_hash")
        if consent.offline_since is None:
            consent.offline_since = now
            fields.append("offline_since")

        pages = [page.specific for page in Page.objects.filter(story_consents__consent=consent)]
        for page in pages:
            if page.live:
                page.unpublish(user=None, set_expired=reason == "expired")
                result.pages.append(page)
        page_ids = [page.pk for page in pages]
        result.schedules_cancelled = cancel_schedules(page_ids)
        featured = HomePageFeaturedStory.objects.filter(story_id__in=page_ids)
        result.featured_removed = featured.count()
        if result.featured_removed:
            featured.delete()
        result.approvals_superseded = StoryApproval.objects.filter(
            consent=consent, status=StoryApproval.Status.PENDING
        ).update(status=StoryApproval.Status.SUPERSEDED)

        result.changed = bool(
            fields
            or result.pages
            or result.featured_removed
            or result.approvals_superseded
            or result.schedules_cancelled
        )
        if not result.changed:
            return result
        if fields:
            consent.save(update_fields=[*fields, "updated_at"])
        AuditEntry.record(
            request,
            AuditEntry.Action.CHANGE,
            ConsentRecord,
            consent.pk,
            detail=reason,
        )
        for page in pages:
            # Unpublishing saved the page, which put it back in the index as a draft.
            index.remove_object(page)
            # In the same transaction: other apps drop their quotes and cards, or nothing.
            story_taken_offline.send(sender=type(page), page=page, reason=reason)
    # Once the pages are offline for good (committed), their files leave their old addresses.
    transaction.on_commit(lambda: hide_story_files(page_ids))
    if result.pages or reason == "withdrawn":
        notify_offline(pages, reason)
    return result


def cancel_schedules(page_ids):
    """Drop every planned go-live of these pages: without consent they may not come back."""
    from wagtail.models import Revision

    return Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in page_ids], approved_go_live_at__isnull=False
    ).update(approved_go_live_at=None)


def notify_schedule_cancelled(page):
    """A planned go-live was stopped because consent or approval was missing at that moment."""
    AuditEntry.record(
        None, AuditEntry.Action.CHANGE, type(page), page.pk, detail="scheduled publish cancelled"
    )
    return send(
        _("Gepland publiceren gestopt: %(title)s") % {"title": page.title},
        _(
            "Deze pagina zou nu online gaan, maar dat mocht niet:\n%(url)s\n\n"
            "Er is geen geldige toestemming voor de website, of de verteller heeft deze "
            "versie niet goedgekeurd. De pagina blijft offline. Kijk in de pagina wat er "
            "nodig is en plan het daarna opnieuw."
        )
        % {"url": admin_edit_url(page)},
        staff_emails([COMMUNICATIONS, CONSENT_MANAGER], users=[page.owner]),
    )


def notify_offline(pages, reason):
    if not pages:
        return False
    subjects = {
        "withdrawn": _("Toestemming ingetrokken: verhaal offline"),
        "expired": _("Toestemming verlopen: verhaal offline"),
        "erased": _("Gegevens gewist: verhaal offline"),
    }
    reasons = {
        "withdrawn": _("De verteller heeft de toestemming ingetrokken."),
        "expired": _("De toestemming van de verteller is verlopen."),
        "erased": _("De gegevens van de verteller zijn gewist op hun verzoek."),
    }
    message = _(
        "%(reason)s Deze pagina's staan daarom niet meer online:\n\n%(pages)s\n\n"
        "Zet ze niet opnieuw online zonder nieuwe toestemming. Citaten en kaarten op andere "
        "pagina's zijn ook weggehaald of worden niet meer getoond."
    ) % {"reason": reasons[reason], "pages": page_lines(pages)}
    owners = [page.owner for page in pages]
    return send(
        subjects[reason],
        message,
        staff_emails([COMMUNICATIONS, CONSENT_MANAGER], users=owners),
    )


def withdraw(consent, request=None):
    """The storyteller withdraws: their story goes offline at once."""
    return take_offline(consent, reason="withdrawn", request=request)


# --- Keeping Wagtail's own expiry date in step ------------------------------------------------


def expiry_moment(day):
    """Midnight, local time, at the start of `day`: the moment the consent stops."""
    return timezone.make_aware(datetime.combine(day, time.min))


def sync_expire_at(page_ids):
    """Set each page's `expire_at` to the start of the earliest end date of its consents in
    force, so that Wagtail's own scheduler also takes it offline in time."""
    for page_id in set(page_ids):
        dates = ConsentRecord.objects.in_force().filter(page_links__page_id=page_id)
        earliest = dates.order_by("expires_on").values_list("expires_on", flat=True).first()
        Page.objects.filter(pk=page_id).update(
            expire_at=expiry_moment(earliest) if earliest else None
        )


def warn_expiry(consent, pages):
    """Tell editors and consent managers a consent ends soon (titles and links only)."""
    return send(
        _("Toestemming loopt bijna af: %(date)s")
        % {"date": consent.expires_on.strftime("%d-%m-%Y")},
        _(
            "De toestemming voor deze verhalen loopt af op %(date)s:\n\n%(pages)s\n\n"
            "Op die dag gaan ze automatisch offline. Wil de verteller verlengen? "
            "Leg dat dan vast bij de toestemming (toestemmingsbeheer)."
        )
        % {"date": consent.expires_on.strftime("%d-%m-%Y"), "pages": page_lines(pages)},
        staff_emails([COMMUNICATIONS, CONSENT_MANAGER], users=[page.owner for page in pages]),
    )
