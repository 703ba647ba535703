"""Retention of consent records: kept while a story may use them, then deleted with purge_expired.

Time is frozen, so "exactly the retention period ago" is exact.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from doorvertellen import retention
from doorvertellen.models import AuditEntry
from verhalen.apps import expired_consent_records, offline_pages_of_expired_consents
from verhalen.factories import ConsentRecordFactory, StoryPageFactory
from verhalen.models import ConsentPage, ConsentRecord, StoryApproval

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def cutoff():
    return NOW - timedelta(days=settings.CONSENT_RETENTION_DAYS)


def make(label, **values):
    consent = ConsentRecordFactory(display_name=label, **values)
    fields = {k: v for k, v in values.items() if k in ("recorded_at", "offline_since")}
    if fields:
        ConsentRecord.objects.filter(pk=consent.pk).update(**fields)
    return consent


@pytest.fixture
def records(story_index):
    """Records either side of the consent retention period, keyed by whether they expire."""
    live_story = StoryPageFactory(parent=story_index, display_name="Live")
    live_consent = live_story.consents().get()
    offline_story = StoryPageFactory(parent=story_index, display_name="Off", live=False)
    kept = {
        "offline_just_inside": make("Binnen", offline_since=cutoff() + DAY),
        "pending_just_inside": make("Wacht", given_at=None, recorded_at=cutoff() + DAY),
        "in_force": make("Geldig", recorded_at=cutoff() - 10 * DAY),
        "expired_just_inside": make("Pas verlopen", expires_on=cutoff().date() + DAY),
        # A page that is live still relies on it, however long ago it says it went offline.
        "still_live": live_consent,
    }
    ConsentRecord.objects.filter(pk=live_consent.pk).update(offline_since=cutoff() - DAY)
    expired = {
        "offline_exactly": make("Precies", offline_since=cutoff(), pages=[offline_story]),
        "offline_long_ago": make("Lang", offline_since=cutoff() - 30 * DAY),
        "pending_exactly": make("Nooit", given_at=None, recorded_at=cutoff()),
        "expired_unnoticed": make("Verlopen", expires_on=cutoff().date()),
    }
    StoryApproval.objects.create(
        consent=expired["offline_exactly"],
        page=offline_story,
        content_hash="0" * 64,
        token_hash="1" * 64,
        expires_at=NOW,
        comment="Sentinel antwoord",
    )
    return {"kept": kept, "expired": expired}


def ids(records):
    return {record.pk for record in records.values()}


def run(*args):
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def test_the_period_is_as_documented():
    assert settings.CONSENT_RETENTION_DAYS == 365
    assert "consent_records" in [kind.name for kind in retention.KINDS]


def test_expired_records_are_exactly_those_at_or_past_the_period(records):
    expired = set(expired_consent_records(NOW).values_list("pk", flat=True))
    assert expired == ids(records["expired"])


def test_dry_run_only_counts(records):
    before = ConsentRecord.objects.count()
    assert "consent_records: would delete 4" in run("--dry-run")
    assert ConsentRecord.objects.count() == before
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).exists()


def test_real_run_deletes_them_with_their_answers_and_writes_one_entry(records):
    out = run()

    assert "consent_records: deleted 4" in out
    remaining = set(ConsentRecord.objects.values_list("pk", flat=True))
    assert remaining >= ids(records["kept"])
    assert not remaining & ids(records["expired"])
    assert not StoryApproval.objects.filter(comment="Sentinel antwoord").exists()
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.PURGE)
    assert "consent_records=4" in entry.detail
    assert "intake_records=0" in entry.detail
    assert "Sentinel" not in entry.detail


def test_a_second_run_deletes_nothing_and_writes_nothing(records):
    run()
    out = run()
    assert "consent_records: deleted 0" in out
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).count() == 1


def test_the_period_comes_from_the_settings(records, settings):
    settings.CONSENT_RETENTION_DAYS = 3 * 365
    assert "consent_records: would delete 0" in run("--dry-run")


# --- The stories themselves: pages and revisions that hold the teller's words ----------------


@pytest.fixture
def pages(story_index, records):
    """Offline pages linked to consents either side of the period, with several revisions."""
    from wagtail.models import Page

    def page(label, *consents, live=False):
        story = StoryPageFactory(
            parent=story_index,
            title=f"Verhaal {label}",
            display_name=label,
            live=live,
            consent=False,
            what_helped=f"Bewaarproef {label}",
        )
        story.save_revision()
        story.save_revision()
        for consent in consents:
            ConsentPage.objects.create(consent=consent, page=story)
        return Page.objects.get(pk=story.pk)

    expired, kept = records["expired"], records["kept"]
    return {
        "gone": {
            # An offered story never published, its consent never given: a draft only.
            "pending_draft": page("Nooit-concept", expired["pending_exactly"]),
            "withdrawn_long_ago": page("Lang-weg", expired["offline_long_ago"]),
            "two_expired_consents": page(
                "Twee", expired["offline_long_ago"], expired["expired_unnoticed"]
            ),
        },
        "stay": {
            "offline_just_inside": page("Nog-binnen", kept["offline_just_inside"]),
            # Another teller's consent still keeps it.
            "one_consent_kept": page("Samen", expired["offline_long_ago"], kept["in_force"]),
            "no_consent_at_all": page("Redactie-concept"),
        },
    }


def page_ids(rows):
    return {row.pk for row in rows.values()}


def test_offline_pages_of_expired_consents_are_exactly_found(pages, records):
    found = set(offline_pages_of_expired_consents(NOW).values_list("pk", flat=True))
    assert found == page_ids(pages["gone"])
    # The offline story of the fixture above stays: the factory gave it a consent in force.
    assert records["expired"]["offline_exactly"].pages().get().pk not in found


def test_pages_and_every_revision_go_with_their_consent(pages):
    from wagtail.models import Page, Revision

    gone = page_ids(pages["gone"])
    assert Revision.page_revisions.filter(object_id__in=[str(pk) for pk in gone]).exists()

    out = run()

    assert "story_pages: deleted 3" in out
    remaining = set(Page.objects.values_list("pk", flat=True))
    assert not remaining & gone
    assert remaining >= page_ids(pages["stay"])
    assert not Revision.page_revisions.filter(object_id__in=[str(pk) for pk in gone]).exists()
    kept_revisions = Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in page_ids(pages["stay"])]
    )
    assert kept_revisions.count() >= 2 * len(pages["stay"])
    for label in ("Nooit-concept", "Lang-weg", "Twee"):
        assert not Revision.objects.filter(content__icontains=f"Bewaarproef {label}").exists()
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.PURGE)
    assert "story_pages=3" in entry.detail


def test_pages_a_day_inside_the_period_stay_and_go_the_day_after(pages, frozen):
    page = pages["stay"]["offline_just_inside"]
    run()
    assert type(page).objects.filter(pk=page.pk).exists()
    frozen.shift(DAY)
    out = run()
    assert "story_pages: deleted 1" in out
    assert not type(page).objects.filter(pk=page.pk).exists()


def test_a_second_run_deletes_no_pages(pages):
    run()
    assert "story_pages: deleted 0" in run()
