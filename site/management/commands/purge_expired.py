"""Delete personal data whose retention period has passed. Run daily by a timer.

Idempotent: a second run the same day finds nothing left to delete. With --dry-run it only
counts. Each real run that deletes something writes one audit entry with the counts (never
which people).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doorvertellen.models import AuditEntry, IntakeRecord


def expired_intake_records(now):
    cutoff = now - timedelta(days=settings.INTAKE_RETENTION_DAYS)
    return IntakeRecord.objects.filter(
        Q(handed_over_at__lte=cutoff) | Q(handed_over_at__isnull=True, updated_at__lte=cutoff)
    )


class Command(BaseCommand):
    help = "Delete personal data past its retention period (see README: Retention)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        audit_cutoff = now - timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS)
        intake = expired_intake_records(now)
        counts = {
            "intake_records": intake.count(),
            "audit_entries": AuditEntry.objects.filter(timestamp__lt=audit_cutoff).count(),
        }
        verb = "would delete" if dry_run else "deleted"
        for name, count in counts.items():
            self.stdout.write(f"{name}: {verb} {count}")
        if dry_run or not any(counts.values()):
            return
        with transaction.atomic():
            deleted = {
                "intake_records": intake.delete()[0],
                "audit_entries": AuditEntry.objects.purge_before(audit_cutoff),
            }
            AuditEntry.record(
                None,
                AuditEntry.Action.PURGE,
                IntakeRecord,
                detail=", ".join(f"{name}={count}" for name, count in deleted.items()),
            )
        self.stdout.write(self.style.SUCCESS("Retention applied."))
