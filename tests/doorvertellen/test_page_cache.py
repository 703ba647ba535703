"""Whole pages kept for anonymous visitors: fast, never stale after a change, never personal."""

import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.models import DailyCount
from doorvertellen.models import ServiceSettings
from doorvertellen.models.pages import HomePageFeaturedStory
from tests.helpers import form_inputs, text
from verhalen.factories import StoryPageFactory
from verhalen.models import ShareCount

pytestmark = pytest.mark.django_db(transaction=False)

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


def cache_state(response):
    return response.get("X-Page-Cache")


@pytest.fixture
def visitor(service_settings):
    """A resident's phone; the site's settings exist, as they do after the first visit."""
    return Client(**BROWSER)


@pytest.fixture
def featured_home(home, story, service_settings):
    HomePageFeaturedStory.objects.create(page=home, story=story, sort_order=0)
    return home


def test_second_visit_is_served_from_the_cache_without_queries(visitor, featured_home, story):
    first = visitor.get("/")
    assert first.status_code == 200
    assert cache_state(first) == "miss"

    with CaptureQueriesContext(connection) as queries:
        second = visitor.get("/")

    assert cache_state(second) == "hit"
    assert len(queries) == 0
    assert second.content.decode().replace(nonce(second), "") == first.content.decode().replace(
        nonce(first), ""
    )
    assert story.title in text(second)


def nonce(response):
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return match.group(1)


def test_every_hit_gets_its_own_csp_nonce_in_header_and_page(visitor, story):
    visitor.get(story.url)
    one, two = visitor.get(story.url), visitor.get(story.url)

    assert cache_state(one) == cache_state(two) == "hit"
    assert nonce(one) != nonce(two)
    for response in (one, two):
        html = text(response)
        nonces = set(re.findall(r'nonce="([^"]+)"', html))
        assert nonces <= {nonce(response)}


def test_cached_pages_set_no_cookie_and_let_proxies_keep_them(visitor, featured_home):
    for response in (visitor.get("/"), visitor.get("/")):
        assert not response.cookies
        assert "Set-Cookie" not in response
        control = response["Cache-Control"]
        assert "public" in control
        assert "s-maxage=" in control


def test_a_published_change_shows_on_the_next_request(visitor, featured_home, privacy_page):
    visitor.get(privacy_page.url)
    assert cache_state(visitor.get(privacy_page.url)) == "hit"

    privacy_page.title = "Zo gaan we om met je gegevens"
    privacy_page.save_revision().publish()

    assert "Zo gaan we om met je gegevens" in text(visitor.get(privacy_page.url))


def test_a_story_taken_offline_leaves_every_cached_page_at_once(
    visitor, featured_home, story_index, story
):
    for url in ("/", story_index.url, story.url):
        visitor.get(url)
        assert cache_state(visitor.get(url)) == "hit"

    story.unpublish()

    assert story.title not in text(visitor.get("/"))
    assert story.title not in text(visitor.get(story_index.url))
    assert visitor.get(story.url).status_code == 404


def test_service_settings_show_at_once(visitor, featured_home, default_site):
    visitor.get("/")
    service = ServiceSettings.for_site(default_site)
    service.phone_number = "0800 1234"
    service.save()

    assert "0800 1234" in text(visitor.get("/"))


def test_a_new_day_renders_afresh(visitor, featured_home):
    with time_machine.travel("2026-12-02 23:59", tick=False):
        visitor.get("/")
        assert cache_state(visitor.get("/")) == "hit"
    with time_machine.travel("2026-12-03 00:01", tick=False):
        assert cache_state(visitor.get("/")) == "miss"


def test_staff_with_a_session_never_get_or_fill_the_cache(client, featured_home, editor):
    Client().get("/")
    client.force_login(editor)

    response = client.get("/")

    assert cache_state(response) is None
    assert "private" in response.get("Cache-Control", "") or "Cache-Control" not in response
    assert cache_state(Client().get("/")) == "hit"


@pytest.mark.parametrize("query", ["?utm_source=krant", "?thema=a&thema=b", "?c=" + "X" * 80])
def test_unknown_or_odd_parameters_bypass_the_cache(visitor, featured_home, query):
    visitor.get("/" + query)
    assert cache_state(visitor.get("/" + query)) is None


def test_forms_and_thank_you_pages_are_never_kept(visitor, intake_page):
    for _ in range(2):
        response = visitor.get(intake_page.url)
        assert cache_state(response) is None
        assert "no-store" in response["Cache-Control"]

    fields = form_inputs(response)
    fields.update(name="Sanne", phone="06 12345678", postcode="3311ab", consent="on")
    thanks = visitor.post(intake_page.url, fields, follow=True)
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    assert cache_state(thanks) is None
    assert cache_state(visitor.get(thanks.redirect_chain[-1][0])) is None


def test_landing_page_views_count_on_every_hit_and_stay_out_of_proxies(visitor, home):
    page = CampaignLandingPageFactory(parent=home)
    link = TrackedLinkFactory(campaign=CampaignFactory(), destination=page)
    url = f"{page.url}?c={link.code}"

    responses = [visitor.get(url) for _ in range(4)]

    assert [cache_state(r) for r in responses] == ["miss", "hit", "hit", "hit"]
    views = DailyCount.objects.filter(event=DailyCount.Event.VIEW, page=page, code=link.code)
    assert sum(views.values_list("count", flat=True)) == 4
    for response in responses:
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]


def test_both_headline_versions_are_kept_and_counted(visitor, home):
    page = CampaignLandingPageFactory(
        parent=home, headline="Versie een kop", headline_b="Versie twee kop"
    )

    bodies = [text(visitor.get(page.url)) for _ in range(40)]

    assert any("<h1>Versie een kop</h1>" in body for body in bodies)
    assert any("<h1>Versie twee kop</h1>" in body for body in bodies)
    rows = DailyCount.objects.filter(event=DailyCount.Event.VIEW, page=page)
    per_version = dict(rows.values_list("variant", "count"))
    assert per_version.get("A", 0) + per_version.get("B", 0) == 40
    assert per_version["A"] == sum("<h1>Versie een kop</h1>" in body for body in bodies)


def test_a_campaign_change_shows_at_once(visitor, home):
    page = CampaignLandingPageFactory(parent=home)
    campaign = CampaignFactory()
    link = TrackedLinkFactory(campaign=campaign, destination=page)
    visitor.get(page.url)
    assert cache_state(visitor.get(page.url)) == "hit"

    link.delete()

    assert cache_state(visitor.get(page.url)) == "miss"


def test_shared_story_visits_count_on_hits(visitor, story):
    for _ in range(3):
        visitor.get(f"{story.url}?deel=whatsapp")

    arrivals = ShareCount.objects.get(page_id=story.pk, channel="whatsapp", kind="arrived")
    assert arrivals.count == 3


def test_bots_are_served_but_not_counted(home):
    page = CampaignLandingPageFactory(parent=home)
    bot = Client(HTTP_USER_AGENT="Googlebot/2.1")
    for _ in range(3):
        assert bot.get(page.url).status_code == 200
    assert not DailyCount.objects.filter(page=page).exists()


def test_off_switch(visitor, featured_home, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visitor.get("/")
    assert cache_state(visitor.get("/")) is None


def test_new_stories_reach_the_index_at_once(visitor, story_index, story):
    visitor.get(story_index.url)
    StoryPageFactory(parent=story_index, title="Hoe Ahmed zijn post weer opende")
    assert "Hoe Ahmed zijn post weer opende" in text(visitor.get(story_index.url))


@pytest.fixture
def purge_server():
    """A real HTTP server standing in for Varnish or nginx: it records every PURGE."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    purged = []

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):
            purged.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", purged
    server.shutdown()
    server.server_close()


def test_a_change_purges_every_live_page_from_the_proxy(
    settings, purge_server, featured_home, story_index, story, django_capture_on_commit_callbacks
):
    location, purged = purge_server
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }

    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()

    paths = {path for _host, path in purged}
    # The story itself is offline; the pages that showed it must be fetched afresh.
    assert {"/", story_index.url} <= paths


def test_no_proxy_configured_purges_nothing(
    settings, featured_home, story, django_capture_on_commit_callbacks, monkeypatch
):
    from wagtail.contrib.frontend_cache import utils

    settings.WAGTAILFRONTENDCACHE = {}
    calls = []
    monkeypatch.setattr(utils.PurgeBatch, "purge", lambda self, **kw: calls.append(self))
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert calls == []


def test_a_view_restriction_added_later_holds_at_once(visitor, featured_home, story_index, story):
    from wagtail.models import PageViewRestriction

    assert visitor.get(story.url).status_code == 200
    assert story.title in text(visitor.get(story_index.url))

    PageViewRestriction.objects.create(page=story, restriction_type=PageViewRestriction.LOGIN)

    response = visitor.get(story.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert story.title not in text(visitor.get(story_index.url))


def test_a_new_release_never_serves_pages_the_previous_one_kept(visitor, featured_home, settings):
    from doorvertellen import page_cache

    settings.PAGE_CACHE_RELEASE = "release-1"
    page_cache.release.cache_clear()
    try:
        assert cache_state(visitor.get("/")) == "miss"
        assert cache_state(visitor.get("/")) == "hit"
        settings.PAGE_CACHE_RELEASE = "release-2"
        page_cache.release.cache_clear()
        assert cache_state(visitor.get("/")) == "miss"
    finally:
        page_cache.release.cache_clear()


def test_without_a_release_name_the_code_itself_names_it(settings):
    from doorvertellen import page_cache

    settings.PAGE_CACHE_RELEASE = ""
    page_cache.release.cache_clear()
    try:
        fingerprint = page_cache.release()
        assert re.fullmatch(r"[0-9a-f]{16}", fingerprint)
        page_cache.release.cache_clear()
        assert page_cache.release() == fingerprint  # the same code, the same name
    finally:
        page_cache.release.cache_clear()
