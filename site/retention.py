"""Which kinds of personal data `purge_expired` deletes, and when.

Each kind registers a name, a function giving the queryset of rows past their period at a
moment, and a function deleting such a queryset (returning how many rows of that kind went).
A domain app registers its own kinds in its AppConfig.ready, so the core app and its purge
command never import a domain app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q

KINDS = []


@dataclass(frozen=True)
class Kind:
    name: str
    expired: Callable  # (now) -> queryset of rows past their retention period
    delete: Callable  # (queryset) -> number of rows of this kind deleted


def register(name, expired, delete=None):
    """Add a kind once (a second registration under the same name replaces the first)."""
    kind = Kind(name=name, expired=expired, delete=delete or delete_queryset)
    KINDS[:] = [existing for existing in KINDS if existing.name != name]
    KINDS.append(kind)
    return kind


def delete_queryset(queryset):
    """Delete the rows; count only those of the queryset's own model, not cascaded rows."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


def expired_intake_records(now):
    from doorvertellen.models import IntakeRecord

    cutoff = now - timedelta(days=settings.INTAKE_RETENTION_DAYS)
    return IntakeRecord.objects.filter(
        Q(handed_over_at__lte=cutoff) | Q(handed_over_at__isnull=True, updated_at__lte=cutoff)
    )


register("intake_records", expired_intake_records)
