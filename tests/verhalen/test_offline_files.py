"""When a consent ends, the story's own files leave the addresses they were served at: the
photo and its renditions, the film, its poster and its captions. Files stay in storage under
new random names, so a renewed consent shows them again."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from verhalen import consent as consent_service
from verhalen.factories import DocumentaryPageFactory, StoryPageFactory
from verhalen.models import ConsentRecord, Video

pytestmark = pytest.mark.django_db

RENDITIONS = ["width-720|format-webp", "fill-480x360|format-webp"]


def served_names(image):
    """The names under which the image is served now: original and public renditions."""
    return [image.file.name, *(image.get_rendition(spec).file.name for spec in RENDITIONS)]


def assert_moved(old_names, new_names):
    for name in old_names:
        assert not default_storage.exists(name), name
    for name in new_names:
        assert default_storage.exists(name), name
    assert not set(old_names) & set(new_names)


@pytest.fixture
def photo_story(story_index):
    return StoryPageFactory(parent=story_index, with_photo=True)


@pytest.fixture
def film(story_index):
    return DocumentaryPageFactory(parent=story_index)


def test_withdrawal_moves_the_photo_and_drops_its_renditions(
    photo_story, django_capture_on_commit_callbacks
):
    image = photo_story.photo
    old = served_names(image)
    assert all(default_storage.exists(name) for name in old)
    file_hash = image.file_hash

    with django_capture_on_commit_callbacks(execute=True):
        consent_service.withdraw(photo_story.consents().get())

    image.refresh_from_db()
    assert image.renditions.count() == 0
    assert image.file_hash == file_hash  # the same photo, only elsewhere
    assert_moved(old, [image.file.name])


def test_withdrawal_moves_the_film_its_captions_and_poster(
    film, django_capture_on_commit_callbacks
):
    video = film.video
    old_files = [video.file.name, video.captions.name]
    old_poster = served_names(video.poster)
    captions = video.captions.open("rb").read()
    video.captions.close()

    with django_capture_on_commit_callbacks(execute=True):
        consent_service.withdraw(film.consents().get())

    video = Video.objects.get(pk=video.pk)
    assert_moved([*old_files, *old_poster], [video.file.name, video.captions.name])
    assert video.file.name.startswith("videos/") and video.file.name.endswith(".webm")
    assert video.captions.open("rb").read() == captions
    video.captions.close()
    assert video.caption_problem() is None
    assert video.poster.renditions.count() == 0
    assert not default_storage.exists(old_poster[0])


def test_a_second_run_changes_nothing(film, django_capture_on_commit_callbacks):
    consent = film.consents().get()
    with django_capture_on_commit_callbacks(execute=True):
        consent_service.withdraw(consent)
    names = Video.objects.filter(pk=film.video_id).values_list("file", "captions").get()

    with django_capture_on_commit_callbacks(execute=True):
        consent_service.withdraw(consent)

    assert Video.objects.filter(pk=film.video_id).values_list("file", "captions").get() == names


def test_files_still_shown_on_a_live_page_keep_their_address(
    story_index, film, django_capture_on_commit_callbacks
):
    other = DocumentaryPageFactory(parent=story_index, video=film.video, display_name="Karin")
    names = [film.video.file.name, film.video.captions.name]

    with django_capture_on_commit_callbacks(execute=True):
        consent_service.withdraw(film.consents().get())

    video = Video.objects.get(pk=film.video_id)
    assert [video.file.name, video.captions.name] == names
    assert all(default_storage.exists(name) for name in names)
    assert other.live


def test_expiry_through_the_daily_check_moves_the_files(
    photo_story, django_capture_on_commit_callbacks
):
    image = photo_story.photo
    old = served_names(image)
    consent = photo_story.consents().get()
    ConsentRecord.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("check_consents")

    image.refresh_from_db()
    photo_story.refresh_from_db()
    assert not photo_story.live
    assert_moved(old, [image.file.name])


def test_a_new_consent_shows_the_same_photo_again_without_a_new_approval(
    photo_story, django_capture_on_commit_callbacks
):
    consent = photo_story.consents().get()
    with django_capture_on_commit_callbacks(execute=True):
        consent_service.take_offline(consent, reason="expired")
    # The consent manager extends the end date after a phone call with the teller.
    ConsentRecord.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() + timedelta(days=200)
    )
    photo_story.refresh_from_db()
    assert photo_story.consent_problems() == []
