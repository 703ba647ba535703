"""Delete personal data whose retention period has passed. Run daily by a timer.

What to delete comes from `doorvertellen.retention`, where each kind of personal data (intake
records here, consent records from the stories app) registers itself; the audit log's own
period is applied last. Idempotent: a second run the same day finds nothing left to delete.
With --dry-run it only counts. Each real run that deletes something writes one audit entry
with the counts (never which people).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from doorvertellen import retention
from doorvertellen.models import AuditEntry, IntakeRecord
from doorvertellen.retention import expired_intake_records

__all__ = ["Command", "expired_intake_records"]


class Command(BaseCommand):
    help = "Delete personal data past its retention period (see README: Retention)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        audit_cutoff = now - timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS)
        expired = {kind.name: (kind, kind.expired(now)) for kind in retention.KINDS}
        counts = {name: queryset.count() for name, (_kind, queryset) in expired.items()}
        counts["audit_entries"] = AuditEntry.objects.filter(timestamp__lt=audit_cutoff).count()
        verb = "would delete" if dry_run else "deleted"
        for name, count in counts.items():
            self.stdout.write(f"{name}: {verb} {count}")
        if dry_run or not any(counts.values()):
            return
        with transaction.atomic():
            deleted = {name: kind.delete(queryset) for name, (kind, queryset) in expired.items()}
            deleted["audit_entries"] = AuditEntry.objects.purge_before(audit_cutoff)
            AuditEntry.record(
                None,
                AuditEntry.Action.PURGE,
                IntakeRecord,
                detail=", ".join(f"{name}={count}" for name, count in deleted.items()),
            )
        self.stdout.write(self.style.SUCCESS("Retention applied."))
