"""The stories app. On start-up it tells the core app about the personal data it holds.

A storyteller's consent record holds their contact details, so it registers a personal data
source (find, export and erase one person) and a retention kind (deleted when its stories have
been offline for CONSENT_RETENTION_DAYS). The core app never imports this app.
"""

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def take_pages_offline(consent, *, reason, request=None):
    """Take every live page that uses this consent offline; return how many went offline.

    Withdrawal, expiry and erasure go through `verhalen.consent.take_offline`, like the
    storyteller's own link and the daily check. Any other reason (the website scope switched
    off, or "given" undone by hand) only unpublishes the pages, marks when, and logs it: it is
    no withdrawal, so the record must not say so.
    """
    from verhalen.consent import REASONS, take_offline

    if reason in REASONS:
        return len(take_offline(consent, reason=reason, request=request).pages)

    from wagtail.actions.unpublish_page import UnpublishPageAction

    from doorvertellen.models import AuditEntry
    from verhalen.models import ConsentRecord

    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    pages = list(consent.pages().live().specific())
    for page in pages:
        # The consent decides, not the staff member's page rights (a consent manager has none).
        UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
    if consent.offline_since is None:
        consent.offline_since = timezone.now()
        ConsentRecord.objects.filter(pk=consent.pk).update(offline_since=consent.offline_since)
    AuditEntry.record(
        request,
        AuditEntry.Action.CHANGE,
        ConsentRecord,
        consent.pk,
        detail=f"taken offline ({reason}): {len(pages)} pages",
    )
    return len(pages)


def count_cached_arrival(sender, request, page_id, page_type, **kwargs):
    """A story the page cache answered still counts a visit through a shared link."""
    from verhalen.sharing import count_arrival_at

    if page_type in ("verhalen.storypage", "verhalen.documentarypage"):
        count_arrival_at(request, page_id)


# --- Per-person rights ----------------------------------------------------------------------


def consent_records_of(email, phone):
    from doorvertellen.personal_data import matches
    from verhalen.models import ConsentRecord

    for consent in ConsentRecord.objects.iterator(chunk_size=500):
        if matches(email, phone, row_email=consent.contact_email, row_phone=consent.contact_phone):
            yield consent


def export_consent_record(consent):
    """Everything stored about the teller in this record, their approvals' answers included."""

    def moment(value):
        return value.isoformat() if value else None

    return {
        "id": consent.pk,
        "naam_op_de_site": consent.display_name,
        "soort_naam": consent.get_naming_display(),
        "status": str(consent.get_status_display()),
        "op_de_website": consent.scope_website,
        "op_sociale_media": consent.scope_social,
        "in_drukwerk": consent.scope_print,
        "in_video": consent.scope_video,
        "foto_mag": consent.photo_allowed,
        "woonplaats_mag": consent.city_shown,
        "toestemming_gegeven_op": moment(consent.given_at),
        "geldig_tot": moment(consent.expires_on),
        "versie_toestemmingstekst": consent.text_version.version,
        "toestemmingstekst": consent.text_version.text,
        "vastgelegd_op": moment(consent.recorded_at),
        "laatst_gewijzigd": moment(consent.updated_at),
        "ingetrokken_op": moment(consent.withdrawn_at),
        "offline_gehaald_op": moment(consent.offline_since),
        "volledige_naam": consent.contact_name,
        "e_mailadres": consent.contact_email,
        "telefoonnummer": consent.contact_phone,
        "verhalen": [link.page.title for link in consent.page_links.select_related("page")],
        "akkoorden": [
            {
                "verhaal": approval.page.title,
                "status": str(approval.get_status_display()),
                "gevraagd_op": moment(approval.created_at),
                "beantwoord_op": moment(approval.decided_at),
                "wat_de_verteller_anders_wil": approval.comment,
            }
            for approval in consent.approvals.select_related("page").order_by("created_at")
        ],
    }


def erase_consent_record(consent):
    """Take the teller's stories offline, then delete the record and their answers with it."""
    take_pages_offline(consent, reason="erased")
    consent.approvals.all().delete()
    consent.delete()


# --- Retention ------------------------------------------------------------------------------


def expired_consent_records(now):
    """Records past their period, never one that a live page still relies on.

    Counted from when withdrawal or expiry took the stories offline; a consent that was never
    given counts from when it was recorded; an expired one whose pages were taken offline
    another way counts from its end date.
    """
    from verhalen.models import ConsentPage, ConsentRecord

    cutoff = now - timedelta(days=settings.CONSENT_RETENTION_DAYS)
    live = ConsentPage.objects.filter(consent=OuterRef("pk"), page__live=True)
    return ConsentRecord.objects.filter(
        Q(offline_since__lte=cutoff)
        | Q(offline_since__isnull=True, given_at__isnull=True, recorded_at__lte=cutoff)
        | Q(offline_since__isnull=True, expires_on__lte=timezone.localdate(cutoff))
    ).exclude(Exists(live))


def offline_pages_of_expired_consents(now):
    """Offline stories and films whose every consent is past its retention period.

    The page and its revisions (drafts of an offered story included) hold the teller's story
    in their own words; once no consent may keep it, it goes with the consent. A page that
    another, still kept consent covers stays.
    """
    from wagtail.models import Page

    from verhalen.models import ConsentPage

    expired = expired_consent_records(now)
    kept_cover = ConsentPage.objects.filter(page=OuterRef("pk")).exclude(consent__in=expired)
    return (
        Page.objects.filter(live=False, story_consents__consent__in=expired)
        .exclude(Exists(kept_cover))
        .distinct()
    )


def delete_pages(queryset):
    """One by one, as Wagtail deletes a page: its revisions, search entry and files go too."""
    pages = list(queryset.order_by("-depth", "pk"))
    for page in pages:
        page.delete()
    return len(pages)


class VerhalenConfig(AppConfig):
    name = "verhalen"
    verbose_name = _("Verhalen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # verhalen.sharing connects the receivers that remove share pictures of offline stories.
        import verhalen.sharing  # noqa: F401
        from doorvertellen import personal_data, retention
        from verhalen import signals

        signals.connect()  # story_taken_offline; Wagtail's expire_at follows the consents

        from doorvertellen import page_cache
        from doorvertellen.signals import cached_page_served
        from verhalen.models import ConsentPage, ConsentRecord, StoryTheme, TaggedStory, Video

        # Consents decide what pages may show (quotes and cards check them as they render).
        page_cache.invalidate_on_change(ConsentRecord, ConsentPage, StoryTheme, TaggedStory, Video)
        cached_page_served.connect(count_cached_arrival, dispatch_uid="verhalen.cached_arrival")

        # Before the consents: the pages are found through them.
        retention.register("story_pages", offline_pages_of_expired_consents, delete=delete_pages)
        retention.register("consent_records", expired_consent_records)
        if not any(source.label == "verhalen.ConsentRecord" for source in personal_data.SOURCES):
            personal_data.register(
                personal_data.Source(
                    label="verhalen.ConsentRecord",
                    find=consent_records_of,
                    export=export_consent_record,
                    erase=erase_consent_record,
                )
            )
