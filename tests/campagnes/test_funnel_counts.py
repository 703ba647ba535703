"""From a flyer's code to a sign-up: every step counted once, in the right row, per version."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client

from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.models import DailyCount
from doorvertellen.models import IntakeRecord
from tests.helpers import links, valid_data

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


@pytest.fixture
def landing(home, intake_page):
    return CampaignLandingPageFactory(
        parent=home, slug="geldzorgen", headline_b="Rood staan? Bel ons.", cta_label_b="Bel mij"
    )


@pytest.fixture
def link(landing):
    return TrackedLinkFactory(campaign=CampaignFactory(landing_page=landing))


def counts():
    return {
        (row.event, row.code, row.page_id, row.variant): row.count
        for row in DailyCount.objects.all()
    }


@pytest.mark.django_db
def test_flyer_to_signup_counts_each_step_once(client, link, landing, intake_page):
    landing_page = client.get(f"/c/{link.code}", follow=True, **BROWSER)
    signup = next(href for href in links(landing_page) if href.startswith(intake_page.url))
    variant = "B" if "v=B" in signup else "A"
    assert f"c={link.code}" in signup and f"via={landing.pk}" in signup

    form_page = client.get(signup, **BROWSER)
    assert form_page.status_code == 200
    token = str(uuid.uuid4())
    data = valid_data(token=token, via=str(landing.pk), c=link.code, v=variant)
    bad = client.post(intake_page.url, {**data, "postcode": "??"}, **BROWSER)
    assert bad.status_code == 400
    done = client.post(intake_page.url, data, **BROWSER)
    assert done.status_code == 302
    client.post(intake_page.url, data, **BROWSER)  # sent twice: stored and counted once

    key = (link.code, landing.pk, variant)
    assert counts() == {
        ("view", *key): 1,
        ("cta_click", *key): 1,
        ("started", *key): 1,
        ("submitted", *key): 1,
    }
    assert IntakeRecord.objects.get().campaign_code == link.code


@pytest.mark.django_db
def test_landing_page_shows_the_counted_version(client, landing):
    seen = set()
    for _ in range(30):
        html = client.get(landing.url, **BROWSER).content.decode()
        version = "B" if "Rood staan? Bel ons." in html else "A"
        assert (version == "B") == ("v=B" in html)
        seen.add(version)
    assert seen == {"A", "B"}
    rows = DailyCount.objects.filter(event="view", page=landing)
    assert sum(row.count for row in rows) == 30
    assert {row.variant for row in rows} == {"A", "B"}


@pytest.mark.django_db
def test_direct_signup_without_a_campaign_counts_on_the_intake_page(client, intake_page):
    client.post(intake_page.url, valid_data(), **BROWSER)
    assert counts() == {
        ("started", "", intake_page.pk, ""): 1,
        ("submitted", "", intake_page.pk, ""): 1,
    }


@pytest.mark.django_db
def test_forged_source_values_are_dropped(client, intake_page, link):
    client.post(intake_page.url, valid_data(via="999999", c="NOPE1", v="Z"), **BROWSER)
    assert counts() == {
        ("started", "", intake_page.pk, ""): 1,
        ("submitted", "", intake_page.pk, ""): 1,
    }


@pytest.mark.django_db
def test_a_lost_race_to_create_the_days_row_still_counts(landing, monkeypatch):
    """Two workers both find no row; one creates it, the other's create fails and it adds."""
    DailyCount.add("view", landing.pk)
    real_filter = DailyCount.objects.filter
    calls = []

    class FirstUpdateMisses:
        def __init__(self, queryset):
            self.queryset = queryset

        def update(self, **kwargs):
            calls.append(1)
            return 0 if len(calls) == 1 else self.queryset.update(**kwargs)

    monkeypatch.setattr(
        DailyCount.objects, "filter", lambda **kw: FirstUpdateMisses(real_filter(**kw))
    )
    DailyCount.add("view", landing.pk)
    monkeypatch.undo()
    assert DailyCount.objects.get(event="view", page=landing).count == 2


@pytest.mark.usefixtures("migrated_transactional_db")
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database is one connection's; see test_no_loss for files",
)
def test_counting_stays_exact_under_concurrent_views(link, landing):
    threads_count, per_thread = 8, 15
    errors = []

    def visit():
        client = Client()
        try:
            for _ in range(per_thread):
                assert client.get(f"{landing.url}?c={link.code}", **BROWSER).status_code == 200
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    views = DailyCount.objects.filter(event="view", code=link.code)
    assert sum(views.values_list("count", flat=True)) == threads_count * per_thread
