"""The footer of every page leads to Denk mee, the public answers and Deel je verhaal: without
those links nobody finds the pages, as they stay out of the short main menu."""

import re

import pytest

from feedback.factories import (
    StoryOfferPageFactory,
    SuggestionPageFactory,
    YouSaidWeDidPageFactory,
)

pytestmark = pytest.mark.django_db


def footer_links(response):
    """href -> link text, for the links in the page's footer."""
    html = response.content.decode()
    assert html.count("<footer") == 1
    footer = html.split("<footer", 1)[1].split("</footer>", 1)[0]
    return {
        href: " ".join(re.sub(r"<[^>]+>", "", label).split())
        for href, label in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', footer, re.S)
    }


@pytest.fixture
def voice_pages(home, story_index, service_settings):
    suggestion_page = SuggestionPageFactory(parent=home)
    answers_page = YouSaidWeDidPageFactory(parent=suggestion_page)
    offer_page = StoryOfferPageFactory(parent=home, story_index=story_index)
    return suggestion_page, answers_page, offer_page


def test_every_page_links_to_the_ways_to_have_a_say(client, home, story, voice_pages):
    suggestion_page, answers_page, offer_page = voice_pages
    for url in ("/", story.url, suggestion_page.url, "/bestaat-niet/"):
        links = footer_links(client.get(url))
        assert links.get(suggestion_page.url) == "Denk mee: wat kan beter?", url
        assert links.get(answers_page.url) == "Jullie zeiden, wij deden", url
        assert links.get(offer_page.url) == "Deel je verhaal", url


def test_unpublished_pages_are_not_linked_and_return_when_published(client, home, voice_pages):
    suggestion_page, _answers_page, offer_page = voice_pages
    offer_page.unpublish()
    links = footer_links(client.get("/"))
    assert offer_page.url not in links
    assert suggestion_page.url in links

    offer_page.save_revision().publish()
    assert offer_page.url in footer_links(client.get("/"))


def test_without_these_pages_the_footer_has_no_empty_section(client, home, service_settings):
    response = client.get("/")
    assert response.status_code == 200
    assert 'id="footer-voice"' not in response.content.decode()
