"""Discreet browsing on the server side: the quick exit on every page, neutral titles.

The behaviour in the browser (history, Escape twice) is in tests/browser/test_discreet_browsing.py.
"""

import re

import pytest
from django.test import RequestFactory

from doorvertellen.views import server_error
from tests.helpers import text

pytestmark = pytest.mark.django_db

TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)
QUICK_EXIT_RE = re.compile(
    r'<a class="quick-exit__button" href="([^"]+)" rel="noreferrer noopener"'
)


def title_of(response):
    return TITLE_RE.search(text(response)).group(1).strip()


@pytest.fixture
def pages(home, story, intake_page, privacy_page, story_index):
    return {
        "home": home.url,
        "story": story.url,
        "story index": story_index.url,
        "standard page": privacy_page.url,
        "intake": intake_page.url,
        "thanks": intake_page.url + "bedankt/",
        "search": "/zoeken/?q=geld",
        "not found": "/bestaat-niet/",
    }


def test_every_page_has_the_quick_exit_to_the_chosen_neutral_site(client, pages, service_settings):
    service_settings.quick_exit_url = "https://www.example.org/weer"
    service_settings.save()
    for name, url in pages.items():
        body = text(client.get(url))
        assert QUICK_EXIT_RE.findall(body) == ["https://www.example.org/weer"], name
        assert "quick-exit.js" in body, name
        # Right after the skip link: the second stop for the keyboard.
        assert body.index("skip-link") < body.index("quick-exit__button") < body.index("<header")


def test_the_500_page_has_the_quick_exit_without_the_database():
    body = text(server_error(RequestFactory().get("/")))
    assert QUICK_EXIT_RE.findall(body) == ["https://www.knmi.nl/"]


def test_titles_are_neutral_when_the_service_chooses_so(client, pages, service_settings, story):
    assert "Sandra" in title_of(client.get(story.url))
    service_settings.neutral_titles = True
    service_settings.neutral_title = "Informatie"
    service_settings.save()
    for name, url in pages.items():
        response = client.get(url)
        assert title_of(response) == "Informatie", name
        assert service_settings.service_name not in title_of(response)


def test_switching_neutral_titles_on_reaches_pages_already_kept(client, story, service_settings):
    client.get(story.url)
    kept = client.get(story.url)
    assert kept["X-Page-Cache"] == "hit"
    service_settings.neutral_titles = True
    service_settings.save()
    assert title_of(client.get(story.url)) == "Informatie"
