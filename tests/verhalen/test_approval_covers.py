"""The teller's approval covers everything a resident sees of their story or film: changing
any of it, or the file behind a photo or captions, needs a new approval before publishing."""

import pytest
from django.core.files.base import ContentFile

from doorvertellen.factories import ImageFactory, paragraph
from verhalen.factories import (
    DocumentaryPageFactory,
    StoryPageFactory,
    StoryThemeFactory,
    VideoFactory,
)
from verhalen.models import RelatedStory
from verhalen.models.pages import PublishRefused

pytestmark = pytest.mark.django_db

NOT_APPROVED = "nog niet goedgekeurd"


@pytest.fixture
def story(story_index, theme):
    return StoryPageFactory(parent=story_index, display_name="Sandra", themes=[theme])


@pytest.fixture
def film(story_index):
    return DocumentaryPageFactory(parent=story_index, display_name="Sandra")


def draft_of(page):
    return page.get_latest_revision_as_object()


def assert_needs_new_approval(content):
    """The changed draft may not go online, by the editor's form nor by any other path."""
    revision = content.save_revision()
    assert any(NOT_APPROVED in str(problem) for problem in content.consent_problems())
    with pytest.raises(PublishRefused, match=NOT_APPROVED):
        revision.publish()


def test_an_unchanged_new_version_stays_approved(story, film):
    for page in (story, film):
        content = draft_of(page)
        revision = content.save_revision()
        assert content.consent_problems() == []
        revision.publish()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Een andere titel"),
        ("display_name", "Sanne"),
        ("quote", "Een zin die Sandra nooit zei."),
        ("summary", "Een andere korte samenvatting."),
        ("what_helped", "Iets anders dat hielp."),
        ("where_now", "Ergens anders dan ze zei."),
        ("city", "Dordrecht"),
    ],
)
def test_changing_a_text_needs_a_new_approval(story, field, value):
    content = draft_of(story)
    setattr(content, field, value)
    assert_needs_new_approval(content)


def test_changing_the_story_itself_needs_a_new_approval(story):
    content = draft_of(story)
    content.body = paragraph("Een alinea die Sandra nooit las.")
    assert_needs_new_approval(content)


def test_choosing_another_photo_needs_a_new_approval(story_index):
    story = StoryPageFactory(parent=story_index, with_photo=True)
    content = draft_of(story)
    content.photo = ImageFactory()
    assert_needs_new_approval(content)


def test_replacing_the_photo_file_needs_a_new_approval(story_index):
    story = StoryPageFactory(parent=story_index, with_photo=True)
    image = story.photo
    other = ImageFactory()
    # Same image, new file (Wagtail's "replace file" on the image).
    type(image).objects.filter(pk=image.pk).update(file=other.file.name, file_hash="f" * 40)
    assert_needs_new_approval(draft_of(story))


def test_changing_the_photo_description_needs_a_new_approval(story_index):
    story = StoryPageFactory(parent=story_index, with_photo=True)
    content = draft_of(story)
    content.photo_alt = "Een andere beschrijving."
    assert_needs_new_approval(content)


def test_changing_the_themes_needs_a_new_approval(story):
    content = draft_of(story)
    content.themes.add(StoryThemeFactory(name="Energie"))
    assert_needs_new_approval(content)


def test_changing_the_phase_needs_a_new_approval(story):
    content = draft_of(story)
    content.phase = "aftercare" if content.phase != "aftercare" else "first_meeting"
    assert_needs_new_approval(content)


def test_changing_the_related_stories_needs_a_new_approval(story, story_index):
    other = StoryPageFactory(parent=story_index, title="Ali vertelt")
    content = draft_of(story)
    content.related_stories = [RelatedStory(story=other)]
    assert_needs_new_approval(content)


def test_choosing_another_video_needs_a_new_approval(film):
    content = draft_of(film)
    content.video = VideoFactory()
    assert_needs_new_approval(content)


def test_changing_the_transcript_needs_a_new_approval(film):
    content = draft_of(film)
    content.transcript = "Iets wat Sandra nooit zei."
    assert_needs_new_approval(content)


def test_new_captions_for_the_same_video_need_a_new_approval(film):
    video = film.video
    captions = video.captions.open("rb").read().replace(b"Ik ben Karin.", b"Ik heet Karin.")
    video.captions.close()
    video.captions.save("film.vtt", ContentFile(captions))
    assert_needs_new_approval(draft_of(film))


def test_a_new_file_for_the_same_video_needs_a_new_approval(film):
    video = film.video
    data = video.file.open("rb").read()
    video.file.close()
    video.file.save("film.webm", ContentFile(data + b"\0"))
    assert_needs_new_approval(draft_of(film))


def test_a_new_poster_needs_a_new_approval(film):
    video = film.video
    video.poster = ImageFactory()
    video.save()
    assert_needs_new_approval(draft_of(film))


def test_the_teller_reads_the_themes_phase_and_related_stories_before_approving(
    client, story, story_index, theme, service_settings
):
    from django.urls import reverse

    from tests.helpers import text
    from verhalen.models import StoryApproval

    other = StoryPageFactory(parent=story_index, title="Ali vertelt")
    content = draft_of(story)
    content.phase = "arrangement"
    content.related_stories = [RelatedStory(story=other)]
    revision = content.save_revision()
    _approval, token = StoryApproval.create_for(story.consents().get(), story, revision)

    body = text(client.get(reverse("verhalen:approval", args=[token])))

    assert "Waar je verhaal bij staat" in body
    assert theme.name in body
    assert "Schuldregeling" in body
    assert "Ali vertelt" in body
