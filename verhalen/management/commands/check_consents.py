"""Take stories offline when their consent ends, and warn staff a while before. Run daily.

Idempotent: a second run the same day finds nothing to do. A consent past its end date is
taken offline once (and again only if one of its pages was put back online meanwhile); each
consent's warning goes out once per end date. With --dry-run it only counts.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from verhalen import consent as consent_service
from verhalen.models import ConsentRecord


def consents_to_take_offline(today):
    """Ended (or withdrawn) consents not yet taken offline, or with a page live again."""
    ended = Q(expires_on__lte=today) | Q(withdrawn_at__isnull=False)
    pending_work = Q(offline_since__isnull=True) | Q(page_links__page__live=True)
    return ConsentRecord.objects.filter(ended).filter(pending_work).distinct().order_by("pk")


def consents_to_warn(today, days):
    """Consents in force that end within `days` and were not yet warned about this end date."""
    candidates = (
        ConsentRecord.objects.in_force(today)
        .filter(expires_on__lte=today + timedelta(days=days), page_links__isnull=False)
        .distinct()
        .order_by("expires_on", "pk")
    )
    return [
        consent
        for consent in candidates
        if consent.expiry_warning_sent_on is None
        or consent.expiry_warning_sent_on < consent.expires_on - timedelta(days=days)
    ]


def claim_warning(consent, today):
    """Mark the warning as sent, unless another run already did; True for the one that may
    send it. One conditional update, so two runs at the same moment send one mail."""
    claimed = ConsentRecord.objects.filter(
        pk=consent.pk, expiry_warning_sent_on=consent.expiry_warning_sent_on
    ).update(expiry_warning_sent_on=today)
    if claimed:
        consent.expiry_warning_sent_on = today
    return bool(claimed)


class Command(BaseCommand):
    help = "Take stories offline whose consent ended; warn staff before it ends (see README)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count, change nothing.")

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        days = settings.CONSENT_EXPIRY_WARNING_DAYS
        to_offline = list(consents_to_take_offline(today))
        to_warn = consents_to_warn(today, days)
        if dry_run:
            self.stdout.write(f"consents to take offline: would do {len(to_offline)}")
            self.stdout.write(f"expiry warnings: would send {len(to_warn)}")
            return

        offline = pages = 0
        for consent in to_offline:
            reason = "withdrawn" if consent.withdrawn_at else "expired"
            result = consent_service.take_offline(consent, reason=reason)
            if result.changed:
                offline += 1
                pages += len(result.pages)
        warned = 0
        for consent in to_warn:
            if not claim_warning(consent, today):
                continue  # another run got there first
            linked = list(consent.pages().order_by("title"))
            consent_service.warn_expiry(consent, linked)
            warned += 1
        self.stdout.write(f"consents taken offline: {offline} ({pages} pages unpublished)")
        self.stdout.write(f"expiry warnings sent: {warned}")
