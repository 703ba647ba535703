"""Re-encrypt every personal field with the newest key in FIELD_ENCRYPTION_KEYS.

Rotation: put a new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart,
run this command, then remove the old keys. Values are read with whichever key wrote them and
written back with the newest.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from doorvertellen.encryption import EncryptedTextField


class Command(BaseCommand):
    help = "Re-encrypt all encrypted personal fields with the newest key."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            columns = [
                f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not columns:
                continue
            manager = model._base_manager
            count = 0
            with transaction.atomic():
                for row in manager.values("pk", *columns).iterator(chunk_size=500):
                    pk = row.pop("pk")
                    manager.filter(pk=pk).update(**row)
                    count += 1
            total += count
            self.stdout.write(f"{model._meta.label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {total} rows with the newest key."))
