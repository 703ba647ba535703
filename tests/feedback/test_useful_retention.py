"""Retention of "was this useful?" comments: deleted with purge_expired once their period has
passed; the yes/no counts stay. Time is frozen, so "exactly the period ago" is exact."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from doorvertellen.models import AuditEntry
from feedback.apps import expired_useful_comments
from feedback.models import UsefulComment, UsefulCount

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def run(*args):
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def comments(story, settings):
    cutoff = NOW - timedelta(days=settings.USEFUL_COMMENT_RETENTION_DAYS)

    def make(label, created_at):
        return UsefulComment.objects.create(
            page=story, useful=True, comment=f"Bewaarproef {label}", created_at=created_at
        )

    UsefulCount.add(story.pk, True)
    kept = {
        "one_second_inside": make("binnen-1s", cutoff + SECOND),
        "a_day_inside": make("binnen-1d", cutoff + DAY),
        "new": make("nieuw", NOW),
    }
    expired = {
        "exactly": make("precies", cutoff),
        "a_day_outside": make("buiten-1d", cutoff - DAY),
    }
    return {"kept": kept, "expired": expired}


def ids(rows):
    return {row.pk for row in rows.values()}


def test_the_period_is_as_documented(settings):
    assert settings.USEFUL_COMMENT_RETENTION_DAYS == 365


def test_expired_comments_are_exactly_those_at_or_past_the_period(comments):
    assert set(expired_useful_comments(NOW).values_list("pk", flat=True)) == ids(
        comments["expired"]
    )


def test_dry_run_only_counts(comments):
    assert "useful_comments: would delete 2" in run("--dry-run")
    assert UsefulComment.objects.count() == 5


def test_real_run_deletes_exactly_the_expired_and_keeps_the_counts(comments):
    out = run()

    assert "useful_comments: deleted 2" in out
    assert set(UsefulComment.objects.values_list("pk", flat=True)) == ids(comments["kept"])
    assert UsefulCount.objects.get().count == 1
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.PURGE)
    assert "useful_comments=2" in entry.detail
    assert "Bewaarproef" not in entry.detail


def test_a_second_run_deletes_nothing(comments):
    run()
    assert "useful_comments: deleted 0" in run()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PURGE).count() == 1


def test_the_period_comes_from_the_settings(comments, settings):
    settings.USEFUL_COMMENT_RETENTION_DAYS = 2 * 365
    assert "useful_comments: would delete 0" in run("--dry-run")
