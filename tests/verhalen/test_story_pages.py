"""One former client's story, and the way from it to the intake form."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from doorvertellen.factories import ImageFactory
from tests.helpers import elements, text
from verhalen.factories import StoryPageFactory

pytestmark = pytest.mark.django_db


def cta_href(response):
    """The link of the story's call to action (the button in the closing section)."""
    body = text(response)
    section = body[body.index('<section class="cta">') :]
    (_tag, attrs) = elements(section, "a")[0]
    return attrs["href"]


def test_story_shows_teller_quote_summary_and_photo_description(client, story):
    response = client.get(story.url)
    assert response.status_code == 200
    body = text(response)
    assert "Het verhaal van Sandra" in body
    assert "“Ik had veel eerder hulp moeten vragen.”" in body
    assert "Sandra kon de huur niet meer betalen." in body
    assert "Het begon met een rekening die ik niet kon betalen." in body
    photos = [a for _t, a in elements(response, "img") if "story__photo" in a.get("class", "")]
    assert len(photos) == 1
    assert photos[0]["alt"] == story.photo_alt
    assert photos[0]["src"].endswith(".webp")


def test_story_lists_its_themes_as_filters(client, story, story_index):
    response = client.get(story.url)
    assert f"{story_index.url}?thema=huurachterstand" in text(response)


def test_story_text_is_escaped(client, story_index):
    story = StoryPageFactory(parent=story_index, quote="<script>alert(1)</script>{{ 7*7 }}")
    body = text(client.get(story.url))
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}" in body


def test_call_to_action_leads_to_the_intake_with_the_story(client, story, intake_page):
    href = cta_href(client.get(story.url))
    parts = urlsplit(href)
    assert parts.path == intake_page.url
    assert parse_qs(parts.query) == {"via": [str(story.pk)], "verhaal": [str(story.pk)]}


def test_call_to_action_carries_the_campaign_code(client, story, intake_page):
    href = cta_href(client.get(story.url, {"c": "ZOMER24"}))
    query = parse_qs(urlsplit(href).query)
    assert query["c"] == ["ZOMER24"]
    assert query["verhaal"] == [str(story.pk)]


@pytest.mark.parametrize("code", ["<script>", "a" * 17, "zo mer"])
def test_a_malformed_campaign_code_is_not_passed_on(client, story, intake_page, code):
    href = cta_href(client.get(story.url, {"c": code}))
    assert "c" not in parse_qs(urlsplit(href).query)


def test_campaign_code_stays_on_links_to_other_stories(client, story, story_index, intake_page):
    response = client.get(story_index.url, {"c": "ZOMER24"})
    assert f"{story.url}?c=ZOMER24" in text(response)


@pytest.mark.parametrize("alt", ["", "   "])
def test_a_photo_without_description_is_refused(story_index, alt):
    story = StoryPageFactory.build(photo=ImageFactory(), photo_alt=alt)
    with pytest.raises(ValidationError) as excinfo:
        story.clean()
    assert "photo_alt" in excinfo.value.message_dict


def test_a_photo_with_description_is_accepted(story_index):
    story = StoryPageFactory.build(photo=ImageFactory(), photo_alt="Een tekening van twee handen.")
    story.clean()  # raises nothing


def test_a_photo_without_description_cannot_be_published_in_the_admin(client, superuser, story):
    client.force_login(superuser)
    data = nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "display_name": story.display_name,
            "photo": story.photo_id,
            "photo_alt": "",
            "quote": story.quote,
            "summary": story.summary,
            "body": streamfield([("paragraph", rich_text("<p>Tekst</p>"))]),
            "action-publish": "publish",
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[story.pk]), data)
    assert response.status_code == 200
    assert "Beschrijf wat er op de foto te zien is." in text(response)
    story.refresh_from_db()
    assert story.photo_alt
