"""Every page type costs the same few queries whether the site has 10 stories or 300.

Measured while the whole page is rendered (an extra parameter keeps it out of the page cache):
the cost of the first visitor after a change, and of every visitor of a page the cache may not
keep (forms). What every page shows (menu, settings) is remembered per generation, as on the
running site after its first request.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campagnes.factories import CampaignLandingPageFactory
from doorvertellen.factories import ImageFactory
from doorvertellen.models.pages import HomePageFeaturedStory
from feedback.factories import (
    PublicItemFactory,
    StoryOfferPageFactory,
    SuggestionFactory,
    SuggestionPageFactory,
    YouSaidWeDidPageFactory,
)
from verhalen.factories import DocumentaryPageFactory, StoryPageFactory, StoryThemeFactory

pytestmark = pytest.mark.django_db

# Routing and the site (3-4), settings, menu, the page's own relations, and its listings.
MAX_QUERIES = 15
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


def add_stories(story_index, themes, count, start=0):
    stories = []
    for number in range(start, start + count):
        stories.append(
            StoryPageFactory(
                parent=story_index,
                title=f"Verhaal nummer {number}",
                slug=f"verhaal-{number}",
                themes=[themes[number % len(themes)]],
                photo=ImageFactory() if number % 5 == 0 else None,
                photo_alt="Een tekening." if number % 5 == 0 else "",
            )
        )
    return stories


@pytest.fixture
def site_pages(home, story_index, intake_page, privacy_page, service_settings):
    themes = [StoryThemeFactory(name=f"Thema {n}", slug=f"thema-{n}") for n in range(6)]
    stories = add_stories(story_index, themes, 10)
    for order, story in enumerate(stories[:3]):
        HomePageFeaturedStory.objects.create(page=home, story=story, sort_order=order)
    home.save_revision().publish()
    story = stories[1]
    story.related_stories.create(story=stories[2])
    story.related_stories.create(story=stories[3])
    story.save_revision()
    documentary = DocumentaryPageFactory(parent=story_index, themes=[themes[0]])
    landing = CampaignLandingPageFactory(
        parent=home,
        stories=[
            ("card", {"story": stories[0]}),
            ("card", {"story": stories[5]}),
            ("quote", {"story": stories[4]}),
        ],
    )
    suggestion_page = SuggestionPageFactory(parent=home)
    answers = YouSaidWeDidPageFactory(parent=suggestion_page)
    for number in range(8):
        item = PublicItemFactory(title=f"Verbetering {number}")
        SuggestionFactory.create_batch(2, public_item=item)
    offer = StoryOfferPageFactory(parent=home, story_index=story_index)
    urls = {
        "home": "/",
        "story index": story_index.url,
        "story index, filtered": f"{story_index.url}?thema=thema-1",
        "story index, page 2": f"{story_index.url}?pagina=2",
        "story": story.url,
        "documentary": documentary.url,
        "standard page": privacy_page.url,
        "intake": intake_page.url,
        "landing page": landing.url,
        "suggestions": suggestion_page.url,
        "you said, we did": answers.url,
        "story offer": offer.url,
        # A search hit list fetches each page type on it once (`.specific()`): the words here
        # match stories only, so the mix of types does not change with the amount of content.
        "search": "/zoeken/?q=nummer",
        "not found": "/bestaat-niet/",
    }
    return urls, story_index, themes


def uncached(url):
    return url + ("&" if "?" in url else "?") + "meting=1"


def measure(urls):
    counts = {}
    visitor = Client(**BROWSER)
    for name, url in urls.items():
        visitor.get(uncached(url))  # renditions and settings made once, as on a running site
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get(uncached(url))
        assert response.get("X-Page-Cache") is None
        assert response.status_code in (200, 404), name
        counts[name] = len(queries)
    return counts


def test_every_page_type_costs_the_same_with_10_and_300_stories(site_pages):
    urls, story_index, themes = site_pages

    with_ten = measure(urls)
    add_stories(story_index, themes, 290, start=10)
    with_three_hundred = measure(urls)

    assert with_three_hundred == with_ten
    over_budget = {name: count for name, count in with_ten.items() if count > MAX_QUERIES}
    assert over_budget == {}
