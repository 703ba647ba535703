"""A whole story page, in the order a reader who finds reading hard needs it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doorvertellen.route import RoutePhase
from tests.helpers import elements, text
from verhalen.factories import ConsentRecordFactory, StoryPageFactory, StoryThemeFactory
from verhalen.models import ConsentRecord, RelatedStory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 20  # 18 today: page routing, consents, settings, menu, themes, photo


@pytest.fixture
def full_story(story_index, theme, intake_page):
    return StoryPageFactory(
        parent=story_index,
        title="Hoe Sandra weer rust kreeg",
        display_name="Sandra",
        city="Dordrecht",
        themes=[theme],
        with_photo=True,
        what_helped="Iemand die naast me zat toen ik de brieven opende.",
        where_now="Ik heb een plan. Over twee jaar ben ik schuldenvrij.",
        phase=RoutePhase.FIRST_MEETING,
    )


def card_titles(response):
    """The titles of the story cards, in order."""
    body = text(response)
    titles = []
    for chunk in body.split('class="story-card__title"')[1:]:
        link = chunk[chunk.index(">", chunk.index("<a")) + 1 :]
        titles.append(link[: link.index("<")])
    return titles


def cta_href(response):
    body = text(response)
    section = body[body.index('<section class="cta">') :]
    return elements(section, "a")[0][1]["href"]


def test_all_parts_in_reading_order(client, full_story, story_index, theme):
    StoryPageFactory(parent=story_index, title="Ook Karim vertelt", themes=[theme])
    body = text(client.get(full_story.url))
    body = body[body.index("<main") :]  # the head repeats the quote and summary for sharing
    markers = [
        "<h1>Hoe Sandra weer rust kreeg</h1>",
        "Het verhaal van Sandra uit Dordrecht",
        'class="story__photo"',
        "“Ik had veel eerder hulp moeten vragen.”",
        "In het kort",
        "Sandra kon de huur niet meer betalen.",
        "Het begon met een rekening die ik niet kon betalen.",
        "Wat mij hielp",
        "Iemand die naast me zat",
        "Waar ik nu sta",
        "Over twee jaar ben ik schuldenvrij.",
        "Dit verhaal gaat over:",
        "Huurachterstand</a>",
        "Deel dit verhaal",
        "Lees ook deze verhalen",
        "Ook Karim vertelt",
        '<section class="cta">',
    ]
    positions = [body.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_the_summary_comes_before_the_story(client, full_story):
    body = text(client.get(full_story.url))
    body = body[body.index("<main") :]
    summary = body.index('<section class="summary"')
    assert body.index("Sandra kon de huur") > summary
    assert body.index("Het begon met een rekening") > summary
    assert body.index('id="summary-heading"') < body.index('id="body-heading"')


def test_without_a_city_only_the_name(client, story_index):
    story = StoryPageFactory(parent=story_index, display_name="Noor", city="")
    body = text(client.get(story.url))
    assert "Het verhaal van Noor</" in body.replace("\n", "").replace("  ", "")
    assert " uit " not in body


def test_what_helped_and_where_now_only_when_filled(client, story_index):
    story = StoryPageFactory(parent=story_index, what_helped="", where_now="")
    body = text(client.get(story.url))
    assert "Wat mij hielp" not in body
    assert "Waar ik nu sta" not in body


def test_only_what_helped(client, story_index):
    story = StoryPageFactory(parent=story_index, what_helped="Het eerste gesprek.")
    body = text(client.get(story.url))
    assert "Wat mij hielp" in body
    assert "Het eerste gesprek." in body
    assert "Waar ik nu sta" not in body


def test_the_phase_is_named(client, full_story):
    body = text(client.get(full_story.url))
    assert "Dit verhaal gaat over: <strong>Eerste gesprek</strong>" in body


def test_no_phase_no_phase_line(client, story_index):
    story = StoryPageFactory(parent=story_index, phase="")
    assert "Dit verhaal gaat over" not in text(client.get(story.url))


def test_themes_link_to_the_filtered_index_with_the_campaign_code(client, full_story, story_index):
    body = text(client.get(full_story.url, {"c": "ZOMER24"}))
    assert f"{story_index.url}?c=ZOMER24&amp;thema=huurachterstand" in body


def test_chosen_related_stories_come_first_then_by_theme(client, full_story, story_index, theme):
    other_theme = StoryThemeFactory(name="Energie", slug="energie")
    chosen = StoryPageFactory(parent=story_index, title="Gekozen verhaal", themes=[other_theme])
    StoryPageFactory(parent=story_index, title="Verhaal met hetzelfde thema", themes=[theme])
    StoryPageFactory(parent=story_index, title="Verhaal over iets anders", themes=[other_theme])
    RelatedStory.objects.create(page=full_story, story=chosen, sort_order=0)

    titles = card_titles(client.get(full_story.url))
    assert titles == ["Gekozen verhaal", "Verhaal met hetzelfde thema"]


def test_an_offline_related_story_is_left_out(client, full_story, story_index):
    offline = StoryPageFactory(parent=story_index, title="Offline verhaal", live=False)
    RelatedStory.objects.create(page=full_story, story=offline, sort_order=0)
    assert "Offline verhaal" not in text(client.get(full_story.url))


def test_no_related_stories_no_section(client, story_index):
    story = StoryPageFactory(parent=story_index)
    assert "Lees ook deze verhalen" not in text(client.get(story.url))


def test_related_cards_carry_the_campaign_code(client, full_story, story_index, theme):
    other = StoryPageFactory(parent=story_index, title="Karim", themes=[theme])
    body = text(client.get(full_story.url, {"c": "ZOMER24"}))
    assert f'href="{other.url}?c=ZOMER24"' in body


def test_call_to_action_carries_the_story_and_campaign_code(client, full_story, intake_page):
    query = parse_qs(urlsplit(cta_href(client.get(full_story.url, {"c": "zomer24"}))).query)
    assert query["verhaal"] == [str(full_story.pk)]
    assert query["c"] == ["ZOMER24"]


def test_call_to_action_without_a_code(client, full_story, intake_page):
    query = parse_qs(urlsplit(cta_href(client.get(full_story.url))).query)
    assert query == {"via": [str(full_story.pk)], "verhaal": [str(full_story.pk)]}


# --- Photo only where every consent allows it ------------------------------------------------


def story_photos(response):
    return [a for _t, a in elements(response, "img") if "story__photo" in a.get("class", "")]


def test_a_story_without_photo_renders(client, story_index):
    story = StoryPageFactory(parent=story_index)
    response = client.get(story.url)
    assert response.status_code == 200
    assert story_photos(response) == []


def test_no_photo_when_the_consent_does_not_allow_it(client, story_index):
    # Publishing refuses this; the page still never shows the photo if the consent changes
    # while the story is online.
    story = StoryPageFactory(parent=story_index, with_photo=True)
    assert story.photo_id
    ConsentRecord.objects.filter(page_links__page=story).update(photo_allowed=False)
    assert story_photos(client.get(story.url)) == []


def test_no_photo_when_one_of_two_tellers_does_not_allow_it(client, story):
    ConsentRecordFactory(display_name="Peter", photo_allowed=False, pages=[story])
    assert story_photos(client.get(story.url)) == []


def test_the_photo_when_every_teller_allows_it(client, story):
    ConsentRecordFactory(display_name="Peter", photo_allowed=True, pages=[story])
    assert len(story_photos(client.get(story.url))) == 1


# --- Query count -------------------------------------------------------------------------------


def story_with_related(story_index, theme, count):
    story = StoryPageFactory(parent=story_index, themes=[theme], with_photo=True)
    for number in range(count):
        StoryPageFactory(
            parent=story_index, title=f"Verwant {count}-{number}", themes=[theme], with_photo=True
        )
    return story


@pytest.mark.parametrize("count", [1, 10])
def test_queries_do_not_grow_with_related_stories(
    client, story_index, theme, intake_page, count, django_assert_max_num_queries
):
    story = story_with_related(story_index, theme, count)
    client.get(story.url)  # renditions are made once, then found in the cache
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(story.url)
    assert response.status_code == 200
    assert len(card_titles(response)) == min(count, 3)


def test_one_and_ten_related_stories_cost_the_same(client, story_index, theme, intake_page):
    counts = []
    for count in (1, 10):
        story = story_with_related(story_index, theme, count)
        client.get(story.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(story.url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_related_stories_follow_a_change_at_once(client, full_story, story_index, theme):
    """They are remembered between visits; every change of a story starts afresh."""
    first = StoryPageFactory(parent=story_index, title="Eerste verhaal", themes=[theme])
    assert card_titles(client.get(full_story.url, {"x": 1})) == ["Eerste verhaal"]

    StoryPageFactory(parent=story_index, title="Nieuw verhaal", themes=[theme])
    assert card_titles(client.get(full_story.url, {"x": 2})) == ["Nieuw verhaal", "Eerste verhaal"]

    first.unpublish()
    assert card_titles(client.get(full_story.url, {"x": 3})) == ["Nieuw verhaal"]
