"""The story overview: filter by theme, pages of twelve, and a fixed number of queries."""

import pytest

from tests.helpers import elements, text
from verhalen.factories import StoryPageFactory, StoryThemeFactory
from verhalen.models.pages import STORIES_PER_PAGE

pytestmark = pytest.mark.django_db

# Queries for one render of the overview (16 on SQLite and PostgreSQL). The same bound must
# hold for 3 and for 30 stories, so one extra query per story card fails the test.
MAX_QUERIES = 16


def cards(response):
    return text(response).count('<article class="story-card">')


@pytest.fixture
def themes():
    return {
        "rent": StoryThemeFactory(name="Huurachterstand", slug="huurachterstand"),
        "energy": StoryThemeFactory(name="Energierekening", slug="energierekening"),
        "unused": StoryThemeFactory(name="Studieschuld", slug="studieschuld"),
    }


def test_theme_filter_shows_only_matching_stories(client, story_index, themes):
    StoryPageFactory(parent=story_index, title="Over de huur", themes=[themes["rent"]])
    StoryPageFactory(parent=story_index, title="Over energie", themes=[themes["energy"]])
    StoryPageFactory(
        parent=story_index, title="Over allebei", themes=[themes["rent"], themes["energy"]]
    )

    response = client.get(story_index.url, {"thema": "huurachterstand"})

    assert response.status_code == 200
    body = text(response)
    assert "Over de huur" in body
    assert "Over allebei" in body
    assert "Over energie" not in body
    assert "2 verhalen over Huurachterstand" in body
    assert cards(response) == 2


def test_without_a_filter_all_stories_show(client, story_index, themes):
    StoryPageFactory(parent=story_index, title="Over de huur", themes=[themes["rent"]])
    StoryPageFactory(parent=story_index, title="Zonder thema")
    response = client.get(story_index.url)
    assert cards(response) == 2
    assert "2 verhalen" in text(response)


def test_filter_offers_only_themes_that_have_stories(client, story_index, themes):
    StoryPageFactory(parent=story_index, themes=[themes["rent"]])
    body = text(client.get(story_index.url))
    assert 'value="huurachterstand"' in body
    assert 'value="studieschuld"' not in body


@pytest.mark.parametrize("slug", ["bestaat-niet", "studieschuld", "<script>", "x" * 5000])
def test_unknown_or_empty_theme_gets_a_kind_empty_state(client, story_index, themes, slug):
    StoryPageFactory(parent=story_index, themes=[themes["rent"]])
    response = client.get(story_index.url, {"thema": slug})
    assert response.status_code == 200
    body = text(response)
    assert "Er zijn (nog) geen verhalen over dit thema." in body
    assert "Laat alle verhalen zien" in body
    assert cards(response) == 0
    assert "<script>" not in body.split("<main", 1)[1]


def test_unpublished_stories_are_not_listed(client, story_index):
    StoryPageFactory(parent=story_index, title="Gepubliceerd verhaal")
    StoryPageFactory(parent=story_index, title="Concept verhaal", live=False)
    body = text(client.get(story_index.url))
    assert "Gepubliceerd verhaal" in body
    assert "Concept verhaal" not in body


def test_stories_come_twelve_to_a_page(client, story_index):
    for number in range(STORIES_PER_PAGE + 1):
        StoryPageFactory(parent=story_index, title=f"Verhaal nummer {number:02d}")

    first = client.get(story_index.url)
    assert STORIES_PER_PAGE == 12
    assert cards(first) == 12
    assert "Pagina 1 van 2" in text(first)
    assert 'href="?pagina=2"' in text(first)

    second = client.get(story_index.url, {"pagina": 2})
    assert cards(second) == 1
    assert "Pagina 2 van 2" in text(second)

    beyond = client.get(story_index.url, {"pagina": "999"})
    assert beyond.status_code == 200
    assert cards(beyond) == 1  # the last page, not an error


def test_pagination_keeps_the_theme(client, story_index, themes):
    for _ in range(STORIES_PER_PAGE + 1):
        StoryPageFactory(parent=story_index, themes=[themes["rent"]])
    body = text(client.get(story_index.url, {"thema": "huurachterstand"}))
    assert "?thema=huurachterstand&amp;pagina=2" in body


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_the_stories(
    client, story_index, themes, count, django_assert_max_num_queries
):
    for number in range(count):
        StoryPageFactory(
            parent=story_index,
            with_photo=True,
            themes=[themes["rent"], themes["energy"]],
            title=f"Verhaal {number}",
        )
    client.get(story_index.url)  # makes the image renditions once

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(story_index.url)
    assert cards(response) == min(count, STORIES_PER_PAGE)


def test_pagination_keeps_the_campaign_code_and_the_theme(client, story_index, themes):
    for _ in range(2 * STORIES_PER_PAGE + 1):
        StoryPageFactory(parent=story_index, themes=[themes["rent"]])

    second = client.get(story_index.url, {"c": "flyer26", "thema": "huurachterstand", "pagina": 2})

    links = {attrs.get("rel"): attrs["href"] for _tag, attrs in elements(second, "a")}
    assert links["prev"] == "?c=FLYER26&thema=huurachterstand&pagina=1"
    assert links["next"] == "?c=FLYER26&thema=huurachterstand&pagina=3"
    filter_inputs = {
        attrs.get("name"): attrs.get("value") for _t, attrs in elements(second, "input")
    }
    assert filter_inputs["c"] == "FLYER26"


def test_pagination_keeps_the_code_without_a_theme_and_drops_a_forged_one(client, story_index):
    for _ in range(STORIES_PER_PAGE + 1):
        StoryPageFactory(parent=story_index)

    coded = client.get(story_index.url, {"c": "POSTER1"})
    assert 'href="?c=POSTER1&amp;pagina=2"' in text(coded)

    forged = client.get(story_index.url, {"c": '"><script>x</script>'})
    assert 'href="?pagina=2"' in text(forged)
    assert "<script>x" not in text(forged)
