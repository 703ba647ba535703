"""The share picture and Open Graph tags of a story: only where every teller allows social
media, the quote and first name on the site's colours, never the storyteller's photo."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.helpers import elements
from verhalen import share_image
from verhalen.factories import DocumentaryPageFactory, StoryPageFactory
from verhalen.sharing import IMAGE_DIR

pytestmark = pytest.mark.django_db


def image_url(page):
    return reverse("verhalen:share_image", args=[page.pk])


def meta(response):
    """Open Graph and Twitter tags as {property or name: content}."""
    tags = {}
    for _tag, attrs in elements(response, "meta"):
        key = attrs.get("property") or attrs.get("name")
        if key:
            tags[key] = attrs.get("content", "")
    return tags


def stored_images(page):
    try:
        _dirs, files = default_storage.listdir(IMAGE_DIR)
    except FileNotFoundError:
        return []
    return sorted(name for name in files if name.startswith(f"{page.pk}-"))


def hex_colour(name):
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    value = re.search(rf"{name}\s*:\s*#([0-9a-f]{{6}})", css).group(1)
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


@pytest.fixture
def private_story(story_index):
    return StoryPageFactory(parent=story_index, consent__scope_social=False)


@pytest.fixture(autouse=True)
def _clean_image_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_picture_is_a_png_of_1200_by_630(client, story):
    response = client.get(image_url(story))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    picture = Image.open(BytesIO(response.content))
    assert picture.format == "PNG"
    assert picture.size == (1200, 630)


def test_the_picture_uses_the_site_colours(client, story):
    picture = Image.open(BytesIO(client.get(image_url(story)).content)).convert("RGB")
    assert picture.getpixel((1100, 20)) == hex_colour("--colour-bg")
    assert picture.getpixel((10, 20)) == hex_colour("--colour-accent")
    assert picture.getpixel((1100, 620)) == hex_colour("--colour-primary")
    # The quote is written in the text colour somewhere on the background.
    assert hex_colour("--colour-text") in {colour for _n, colour in picture.getcolors(100_000)}


def test_no_picture_without_social_consent(client, private_story):
    assert client.get(image_url(private_story)).status_code == 404
    assert stored_images(private_story) == []


def test_no_picture_of_an_unpublished_story(client, story):
    story.unpublish()
    assert client.get(image_url(story)).status_code == 404


def test_no_picture_when_the_consent_has_expired(client, story):
    story.consents().update(expires_on=timezone.localdate())
    assert client.get(image_url(story)).status_code == 404


def test_no_picture_of_another_page(client, intake_page):
    assert client.get(image_url(intake_page)).status_code == 404


def test_the_picture_is_drawn_once_and_then_kept(client, story, monkeypatch):
    calls = []
    real_render = share_image.render
    monkeypatch.setattr(share_image, "render", lambda *a: calls.append(a) or real_render(*a))
    first = client.get(image_url(story)).content
    second = client.get(image_url(story)).content
    assert first == second
    assert len(calls) == 1
    assert calls[0][:2] == (story.quote, "Sandra")
    assert len(stored_images(story)) == 1


def test_a_new_quote_gives_a_new_picture(client, story, monkeypatch):
    first = client.get(image_url(story)).content
    [old_name] = stored_images(story)
    story.quote = "Bellen was het moeilijkste, daarna ging het beter."
    story.save()
    calls = []
    real_render = share_image.render
    monkeypatch.setattr(share_image, "render", lambda *a: calls.append(a) or real_render(*a))
    second = client.get(image_url(story)).content
    assert second != first
    assert calls and calls[0][0] == "Bellen was het moeilijkste, daarna ging het beter."
    [new_name] = stored_images(story)
    assert new_name != old_name  # the old picture is gone


def test_taking_a_story_offline_removes_its_picture(client, story):
    client.get(image_url(story))
    assert stored_images(story)
    story.unpublish()
    assert stored_images(story) == []


def test_deleting_a_story_removes_its_picture(client, story):
    client.get(image_url(story))
    assert stored_images(story)
    story.delete()
    assert stored_images(story) == []


def test_a_documentary_has_a_share_picture_too(client, story_index):
    film = DocumentaryPageFactory(parent=story_index, quote="Kijk maar, het kan.")
    response = client.get(image_url(film))
    assert response.status_code == 200
    assert Image.open(BytesIO(response.content)).size == (1200, 630)


def test_accented_letters_are_drawn_not_left_out():
    assert share_image.letters("Zoë") == [("Z", ""), ("o", ""), ("e", "\u0308")]
    assert share_image.letters("één") == [("e", "\u0301"), ("e", "\u0301"), ("n", "")]
    assert [base for base, _m in share_image.letters("Ik ben René \u2013 40")] == list(
        "Ik ben Rene - 40"
    )
    assert [base for base, _m in share_image.letters("twee\tregels\nhier")] == list(
        "twee regels hier"
    )
    png = share_image.render("Nu heb ik één plan en financiële rust.", "Zoë", "Schuldhulp")
    assert Image.open(BytesIO(png)).size == (1200, 630)


def test_a_very_long_quote_still_fits():
    png = share_image.render("Heel lang citaat zonder einde " * 30, "Sandra", "Schuldhulp")
    assert Image.open(BytesIO(png)).size == (1200, 630)


# --- Open Graph tags ------------------------------------------------------------------------------


def test_open_graph_tags_with_social_consent(client, story):
    response = client.get(story.url)
    tags = meta(response)
    assert tags["og:type"] == "article"
    assert tags["og:title"] == story.title
    assert tags["og:description"] == story.summary
    assert tags["og:url"] == story.get_full_url()
    assert tags["og:image"].startswith(f"http://testserver{image_url(story)}?v=")
    assert tags["og:image:width"] == "1200"
    assert tags["og:image:height"] == "630"
    assert "Sandra" in tags["og:image:alt"]
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["description"] == story.summary


def test_the_image_tag_points_to_a_working_picture(client, story):
    url = meta(client.get(story.url))["og:image"]
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"


def test_the_image_tag_changes_with_the_quote(client, story):
    before = meta(client.get(story.url))["og:image"]
    story.quote = "Ik ben blij dat ik belde."
    story.save()
    assert meta(client.get(story.url))["og:image"] != before


def test_no_share_picture_tags_without_social_consent(client, private_story):
    tags = meta(client.get(private_story.url))
    assert "og:image" not in tags
    assert "twitter:card" not in tags
    assert tags["og:title"] == private_story.title
    assert tags["og:url"] == private_story.get_full_url()


def test_the_storytellers_photo_is_never_the_share_picture(client, story):
    response = client.get(story.url)
    photo = story.photo.get_rendition("width-720|format-webp")
    for key, value in meta(response).items():
        assert photo.url not in value, key
        assert "original_images" not in value and "/media/" not in value, key


def test_a_shared_arrival_keeps_the_canonical_address(client, story):
    response = client.get(story.url, {"deel": "whatsapp", "c": "ZOMER24"})
    links = [a for _t, a in elements(response, "link") if a.get("rel") == "canonical"]
    assert [a["href"] for a in links] == [story.get_full_url()]
    assert meta(response)["og:url"] == story.get_full_url()
