"""Retention: intake records and audit entries are deleted when their period has passed.

Time is frozen, so "exactly the retention period ago" is exact.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.management.commands.purge_expired import expired_intake_records
from doorvertellen.models import AuditEntry, IntakeRecord

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
DAY = timedelta(days=1)
SENTINEL_PREFIX = "Bewaarproef"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_record(label, *, handed_over=None, updated=None):
    """A record whose personal values all carry `label`, handed over or last changed then."""
    record = IntakeRecordFactory(
        name=f"{SENTINEL_PREFIX} {label}",
        phone=f"06 {label}",
        email=f"{label}@bewaarproef.example",
        message=f"{SENTINEL_PREFIX} bericht {label}",
        postcode="1234 ZZ",
    )
    if handed_over is not None:
        record.mark_handed_over(None)
        IntakeRecord.objects.filter(pk=record.pk).update(handed_over_at=handed_over)
    if updated is not None:
        IntakeRecord.objects.filter(pk=record.pk).update(updated_at=updated)
    return record


def personal_values(records):
    values = {"1234 ZZ", SENTINEL_PREFIX}
    for record in records:
        values |= {record.name, record.phone, record.email, record.message}
    return values


@pytest.fixture
def records():
    """Records either side of the intake retention period, keyed by whether they expire."""
    days = settings.INTAKE_RETENTION_DAYS
    cutoff = NOW - timedelta(days=days)
    kept = {
        "handed_over_just_inside": make_record("h-1", handed_over=cutoff + DAY),
        "never_handed_over_just_inside": make_record("u-1", updated=cutoff + DAY),
        "new": make_record("nieuw"),
        # The hand-over date counts once there is one, however old the last change.
        "handed_over_inside_changed_long_ago": make_record(
            "h-oud", handed_over=cutoff + DAY, updated=cutoff - 10 * DAY
        ),
    }
    expired = {
        "handed_over_exactly": make_record("h0", handed_over=cutoff),
        "handed_over_just_outside": make_record("h+1", handed_over=cutoff - DAY),
        "never_handed_over_exactly": make_record("u0", updated=cutoff),
        "never_handed_over_just_outside": make_record("u+1", updated=cutoff - DAY),
    }
    # What the fixture set up is what the test relies on.
    for record in [*kept.values(), *expired.values()]:
        record.refresh_from_db()
    assert kept["handed_over_inside_changed_long_ago"].updated_at == cutoff - 10 * DAY
    assert expired["never_handed_over_exactly"].handed_over_at is None
    assert expired["handed_over_exactly"].handed_over_at == cutoff
    return {"kept": kept, "expired": expired}


def ids(records):
    return {record.pk for record in records.values()}


def run(*args):
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def audit_entry(days_ago, detail):
    return AuditEntry.objects.create(
        timestamp=NOW - timedelta(days=days_ago),
        actor_username="aanmeldteam",
        action=AuditEntry.Action.VIEW,
        object_type="doorvertellen.IntakeRecord",
        detail=detail,
    )


def test_the_retention_periods_are_as_documented():
    assert settings.INTAKE_RETENTION_DAYS == 90
    assert settings.AUDIT_LOG_RETENTION_DAYS == 730


def test_expired_records_are_exactly_those_at_or_past_the_period(records):
    assert set(expired_intake_records(NOW).values_list("pk", flat=True)) == ids(records["expired"])


def test_dry_run_only_counts(records):
    out = run("--dry-run")

    assert "intake_records: would delete 4" in out
    assert "audit_entries: would delete 0" in out
    assert IntakeRecord.objects.count() == 8
    assert not AuditEntry.objects.exists()


def test_real_run_deletes_exactly_the_expired_records(records):
    assert IntakeRecord.objects.count() == 8

    out = run()

    assert "intake_records: deleted 4" in out
    assert IntakeRecord.objects.count() == 4
    assert set(IntakeRecord.objects.values_list("pk", flat=True)) == ids(records["kept"])


def test_real_run_writes_one_purge_entry_with_counts_only(records):
    run()

    (entry,) = AuditEntry.objects.all()
    assert entry.action == AuditEntry.Action.PURGE
    assert entry.result == AuditEntry.Result.OK
    assert entry.object_type == "doorvertellen.IntakeRecord"
    assert entry.object_id == ""
    assert entry.actor is None
    assert entry.actor_username == ""
    assert entry.ip_address is None
    assert entry.timestamp == NOW
    assert "intake_records=4" in entry.detail
    assert "audit_entries=0" in entry.detail
    everything = " ".join(str(getattr(entry, f.attname)) for f in AuditEntry._meta.concrete_fields)
    all_records = [*records["kept"].values(), *records["expired"].values()]
    for value in personal_values(all_records) | {str(pk) for pk in ids(records["expired"])}:
        assert value not in everything


def test_a_second_run_deletes_nothing_and_writes_nothing(records):
    run()
    remaining = set(IntakeRecord.objects.values_list("pk", flat=True))
    entries = list(AuditEntry.objects.values_list("pk", flat=True))
    assert len(entries) == 1

    out = run()

    assert "intake_records: deleted 0" in out
    assert "audit_entries: deleted 0" in out
    assert set(IntakeRecord.objects.values_list("pk", flat=True)) == remaining
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == entries


def test_nothing_to_delete_writes_no_entry():
    cutoff = NOW - timedelta(days=settings.INTAKE_RETENTION_DAYS)
    make_record("h-1", handed_over=cutoff + DAY)
    make_record("u-1", updated=cutoff + DAY)
    audit_entry(settings.AUDIT_LOG_RETENTION_DAYS - 1, "net binnen")

    out = run()

    assert "intake_records: deleted 0" in out
    assert "audit_entries: deleted 0" in out
    assert IntakeRecord.objects.count() == 2
    assert list(AuditEntry.objects.values_list("detail", flat=True)) == ["net binnen"]


def test_old_audit_entries_are_deleted_and_newer_ones_kept():
    days = settings.AUDIT_LOG_RETENTION_DAYS
    kept = [
        audit_entry(0, "vandaag"),
        audit_entry(days - 1, "net binnen"),
        audit_entry(days, "precies de termijn"),  # not yet *older* than the period
    ]
    gone = [audit_entry(days + 1, "net buiten"), audit_entry(3 * days, "heel oud")]

    assert "audit_entries: would delete 2" in run("--dry-run")
    assert AuditEntry.objects.count() == 5

    out = run()

    assert "audit_entries: deleted 2" in out
    assert "intake_records: deleted 0" in out
    remaining = set(AuditEntry.objects.values_list("pk", flat=True))
    purge = AuditEntry.objects.get(action=AuditEntry.Action.PURGE)
    assert remaining == {entry.pk for entry in kept} | {purge.pk}
    assert not remaining & {entry.pk for entry in gone}
    assert "audit_entries=2" in purge.detail
    assert "intake_records=0" in purge.detail


def test_intake_and_audit_retention_together(records):
    audit_entry(settings.AUDIT_LOG_RETENTION_DAYS + 1, "oud")
    audit_entry(1, "recent")

    run()

    purge = AuditEntry.objects.get(action=AuditEntry.Action.PURGE)
    assert "intake_records=4" in purge.detail
    assert "audit_entries=1" in purge.detail
    assert set(AuditEntry.objects.values_list("detail", flat=True)) == {"recent", purge.detail}


def test_the_period_comes_from_the_settings(records, settings):
    settings.INTAKE_RETENTION_DAYS = 365
    assert "intake_records: would delete 0" in run("--dry-run")
    assert "intake_records: deleted 0" in run()
    assert IntakeRecord.objects.count() == 8
