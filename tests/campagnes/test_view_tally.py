"""Views wait a moment in their worker and are written together: no view lost, none twice."""

import threading
import time
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from campagnes import counting
from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.models import DailyCount
from tests.conftest import StaffClient

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


@pytest.fixture
def tally(settings):
    """A long wait, so only what a test does writes the views (not the background thread)."""
    settings.VIEW_COUNT_SECONDS = 60
    counting.view_tally.flush()
    yield counting.view_tally
    with counting.view_tally.lock:
        counting.view_tally.pending.clear()
    counting.view_tally.flush()


@pytest.fixture
def landing(home):
    return CampaignLandingPageFactory(parent=home, slug="geldzorgen")


def views_counted(page, code=""):
    return sum(
        DailyCount.objects.filter(event="view", page=page, code=code).values_list(
            "count", flat=True
        )
    )


@pytest.mark.django_db
def test_views_are_written_together_with_the_exact_sum(client, tally, landing):
    link = TrackedLinkFactory(campaign=CampaignFactory(landing_page=landing))
    for _ in range(5):
        assert client.get(landing.url, **BROWSER).status_code == 200
    for _ in range(3):  # from the page cache, with a flyer's code
        assert client.get(f"{landing.url}?c={link.code}", **BROWSER).status_code == 200
    assert views_counted(landing) == 0  # still waiting in this worker

    tally.flush()
    assert views_counted(landing) == 5
    assert views_counted(landing, link.code) == 3
    tally.flush()  # nothing waits any more: nothing added twice
    assert views_counted(landing) + views_counted(landing, link.code) == 8


@pytest.mark.django_db
def test_staff_see_this_workers_waiting_views_in_the_figures(client, tally, landing, editor):
    for _ in range(4):
        client.get(landing.url, **BROWSER)
    assert views_counted(landing) == 0
    staff = StaffClient()
    staff.force_login(editor)
    assert staff.get(reverse("campagnes_figures")).status_code == 200
    assert views_counted(landing) == 4


@pytest.mark.django_db
def test_a_failed_write_keeps_the_views_for_the_next(client, tally, landing, monkeypatch):
    for _ in range(3):
        client.get(landing.url, **BROWSER)
    real_add = DailyCount.add

    def database_away(*args, **kwargs):
        raise ConnectionError("database away")

    monkeypatch.setattr(DailyCount, "add", database_away)
    tally.flush()
    assert views_counted(landing) == 0
    monkeypatch.setattr(DailyCount, "add", real_add)
    client.get(landing.url, **BROWSER)
    tally.flush()
    assert views_counted(landing) == 4


@pytest.mark.django_db
def test_every_worker_writes_its_rows_in_one_order(tally, home, landing, monkeypatch):
    """Two workers writing the same rows in another order would deadlock on PostgreSQL (they
    all write at once when a deploy stops them); in one order, one simply waits for the other."""
    other = CampaignLandingPageFactory(parent=home, slug="schulden")
    written = []
    real_add = DailyCount.add

    def add(event, page_id, **key):
        written.append((page_id, key["code"], key["variant"]))
        return real_add(event, page_id, **key)

    monkeypatch.setattr(DailyCount, "add", add)
    for arrival in ([other, landing], [landing, other]):
        written.clear()
        for page in arrival:
            tally.add(page.pk, code="", variant="B", variant_page=page.pk)
            tally.add(page.pk, code="", variant="A", variant_page=page.pk)
        tally.flush()
        assert written == sorted(written)
    assert views_counted(landing) + views_counted(other) == 8


@pytest.mark.django_db
def test_at_a_stop_a_failed_write_is_tried_again_at_once(tally, landing, monkeypatch, caplog):
    real_add = DailyCount.add
    failures = []

    def deadlock_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise ConnectionError("deadlock detected")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(DailyCount, "add", deadlock_once)
    for _ in range(3):
        tally.add(landing.pk, code="", variant="", variant_page=0)
    tally.flush_before_exit()
    assert views_counted(landing) == 3
    assert tally.timer is None  # no thread left to try later: the process is ending
    assert "lost" not in caplog.text

    def database_away(*args, **kwargs):
        raise ConnectionError("database away")

    monkeypatch.setattr(DailyCount, "add", database_away)
    monkeypatch.setattr(counting.time, "sleep", lambda seconds: None)
    tally.add(landing.pk, code="", variant="", variant_page=0)
    tally.flush_before_exit()
    assert tally.timer is None
    assert "View counts lost at shutdown: 1 views" in caplog.text


@pytest.mark.django_db
def test_views_of_a_page_deleted_meanwhile_do_not_block_the_others(client, tally, home, landing):
    other = CampaignLandingPageFactory(parent=home, slug="schulden")
    client.get(landing.url, **BROWSER)
    client.get(other.url, **BROWSER)
    other.delete()
    tally.flush()
    assert views_counted(landing) == 1
    assert not tally.pending


@pytest.mark.django_db
def test_a_view_just_before_midnight_counts_for_its_own_day(client, tally, landing):
    with time_machine.travel("2026-03-09 23:59:30+01:00", tick=False):
        client.get(landing.url, **BROWSER)
    with time_machine.travel("2026-03-10 00:00:30+01:00", tick=False):
        client.get(f"{landing.url}?meting=1", **BROWSER)
        tally.flush()
    days = dict(DailyCount.objects.filter(event="view").values_list("day", "count"))
    assert days == {date(2026, 3, 9): 1, date(2026, 3, 10): 1}


@pytest.mark.django_db
def test_views_from_many_threads_at_once_are_each_counted_once(tally, landing):
    def count_views():
        for _ in range(200):
            tally.add(landing.pk, code="", variant="", variant_page=0)

    threads = [threading.Thread(target=count_views) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.flush()
    assert views_counted(landing) == 1600


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_writes_the_views_soon(client, settings, landing):
    settings.VIEW_COUNT_SECONDS = 0.2
    try:
        client.get(landing.url, **BROWSER)
        client.get(landing.url, **BROWSER)
        deadline = time.monotonic() + 10
        while views_counted(landing) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert views_counted(landing) == 2
        assert counting.view_tally.timer is None
    finally:
        counting.view_tally.flush()
        connection.close()
