"""Export or erase everything stored about one person, found by e-mail address or phone.

    manage.py person_data export --email naam@voorbeeld.nl > persoon.json
    manage.py person_data erase --phone "06 12345678" --yes

Both are written to the audit log with counts only. Erasure cannot be undone; without --yes it
only shows what it would erase.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from doorvertellen import personal_data
from doorvertellen.models import AuditEntry, IntakeRecord


class Command(BaseCommand):
    help = "Export (JSON) or erase all personal data of one person."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--yes", action="store_true", help="Really erase.")

    def handle(self, *args, action, email, phone, yes, **options):
        if not email.strip() and not personal_data.normalise_phone(phone):
            raise CommandError("Give --email or --phone (or both).")
        if action == "export":
            data = personal_data.export(email, phone)
            self._audit(AuditEntry.Action.EXPORT, data)
            self.stdout.write(
                json.dumps(
                    {"gemaakt_op": timezone.now().isoformat(), "gegevens": data},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        found = personal_data.find(email, phone)
        counts = {label: len(rows) for label, rows in found.items()}
        if not yes:
            self.stdout.write(f"Would erase: {counts}. Run again with --yes to erase.")
            return
        with transaction.atomic():
            counts = personal_data.erase(email, phone)
            self._audit(AuditEntry.Action.ERASE, counts)
        self.stdout.write(self.style.SUCCESS(f"Erased: {counts}"))

    def _audit(self, action, per_source):
        counts = {
            label: len(rows) if isinstance(rows, list) else rows
            for label, rows in per_source.items()
        }
        detail = ", ".join(f"{label}={count}" for label, count in counts.items())
        AuditEntry.record(None, action, IntakeRecord, detail=f"per person: {detail}")
