"""Images come in the width a phone needs: WebP renditions in a srcset, with size and sizes.

A cheap phone on a bad connection downloads the smallest rendition that fills its screen; the
width and height stop the page from jumping while it loads; images further down wait.
"""

import re

import pytest

from doorvertellen.factories import ImageFactory
from doorvertellen.images import RESPONSIVE_IMAGES, rendition_specs
from doorvertellen.models.pages import HomePageFeaturedStory
from tests.helpers import text
from verhalen.factories import StoryPageFactory

pytestmark = pytest.mark.django_db

RENDER = {"meting": "1"}
IMG_RE = re.compile(r"<img [^>]*>")


def imgs(response, css_class):
    return [tag for tag in IMG_RE.findall(text(response)) if f'class="{css_class}"' in tag]


def attrs(tag):
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


def srcset_widths(tag):
    return sorted(int(width) for width in re.findall(r" (\d+)w", attrs(tag)["srcset"]))


@pytest.fixture
def photo_story(story_index, theme):
    return StoryPageFactory(
        parent=story_index,
        themes=[theme],
        photo=ImageFactory(file__width=1600, file__height=1200),
        photo_alt="Een tekening van een huis.",
    )


def test_a_story_photo_offers_three_widths(client, photo_story, service_settings):
    (tag,) = imgs(client.get(photo_story.url, RENDER), "story__photo")
    values = attrs(tag)
    assert srcset_widths(tag) == [360, 720, 1080]
    assert values["sizes"] == RESPONSIVE_IMAGES["story"][1]
    assert values["width"] == "720" and values["height"] == "540"
    assert values["alt"] == "Een tekening van een huis."
    assert all(".webp" in url for url in re.findall(r"(\S+) \d+w", values["srcset"]))


def test_cards_wait_until_they_are_near_and_keep_their_shape(
    client, home, photo_story, service_settings
):
    HomePageFeaturedStory.objects.create(page=home, story=photo_story, sort_order=0)
    home.save_revision().publish()
    (tag,) = imgs(client.get(home.url, RENDER), "story-card__image")
    values = attrs(tag)
    assert values["loading"] == "lazy"
    assert values["alt"] == ""  # the card's title says what it is
    assert srcset_widths(tag) == [320, 480, 960]
    assert (values["width"], values["height"]) == ("480", "360")


def test_the_renditions_exist_as_files(client, photo_story, service_settings):
    client.get(photo_story.url, RENDER)
    for spec in rendition_specs("story"):
        rendition = photo_story.photo.renditions.get(filter_spec=spec)
        assert rendition.file.size > 0
        assert rendition.file.name.endswith(".webp")
