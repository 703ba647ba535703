"""A story that goes offline takes its files with it: photo, film, poster and captions.

Media files are served straight from storage (a web server or a bucket), so their addresses
keep working after the page is gone, for anyone who kept one, a search engine included. When
a consent ends, each file of the story moves to a new, random name, and the photo's and
poster's renditions are deleted: every old address stops working. Nothing is lost: should the
teller give consent again, the page shows the same files at their new addresses.
"""

import logging
import posixpath
import secrets

from django.core.files import File
from django.db import transaction
from wagtail.images import get_image_model

logger = logging.getLogger("verhalen.files")


def new_name(old_name):
    """A random name in the same folder with the same extension (no trace of the old one)."""
    folder, base = posixpath.split(old_name)
    extension = posixpath.splitext(base)[1].lower()
    return posixpath.join(folder, secrets.token_urlsafe(18) + extension)


def move(field_file):
    """Copy the file to a new random name and delete the old one; returns the new name.

    Copy first, delete last: if anything fails on the way, the old file is still there and
    the caller keeps pointing at it.
    """
    storage = field_file.storage
    old_name = field_file.name
    with storage.open(old_name, "rb") as source:
        stored_name = storage.save(new_name(old_name), File(source))
    return stored_name


def hide_image(image):
    """Delete the image's renditions and give its original a new name."""
    with transaction.atomic():
        image.renditions.all().delete()  # Wagtail deletes their files once this commits
        if not image.file:
            return
        old_name = image.file.name
        stored_name = move(image.file)
        type(image).objects.filter(pk=image.pk).update(file=stored_name)
    image.file.storage.delete(old_name)


def hide_video(video):
    """Give the film and its captions new names (the poster is an image: see hide_image)."""
    old_names = {}
    changes = {}
    for name in ("file", "captions"):
        field_file = getattr(video, name)
        if field_file:
            old_names[name] = field_file.name
            changes[name] = move(field_file)
    if changes:
        type(video).objects.filter(pk=video.pk).update(**changes)
        for name, old_name in old_names.items():
            getattr(video, name).storage.delete(old_name)


def hide_story_files(page_ids):
    """Make the files of these (offline) stories unreachable at the addresses they had.

    Files also used by a page that is still live keep their names: that page needs them, and
    its teller's consent still holds.
    """
    from verhalen.models import DocumentaryPage, StoryPage, Video

    Image = get_image_model()
    offline = StoryPage.objects.filter(pk__in=page_ids, live=False)
    live_elsewhere = StoryPage.objects.live().exclude(pk__in=page_ids)
    video_ids = set(
        DocumentaryPage.objects.filter(pk__in=offline, video__isnull=False).values_list(
            "video_id", flat=True
        )
    ) - set(DocumentaryPage.objects.live().values_list("video_id", flat=True))
    videos = list(Video.objects.filter(pk__in=video_ids))
    image_ids = set(offline.filter(photo__isnull=False).values_list("photo_id", flat=True))
    image_ids |= {video.poster_id for video in videos if video.poster_id}
    image_ids -= set(live_elsewhere.values_list("photo_id", flat=True))
    image_ids -= set(
        Video.objects.filter(
            pk__in=DocumentaryPage.objects.live().values("video_id"), poster__isnull=False
        ).values_list("poster_id", flat=True)
    )
    moved = 0
    for video in videos:
        try:
            hide_video(video)
            moved += 1
        except OSError:
            logger.exception("Could not move the files of video %s", video.pk)
    for image in Image.objects.filter(pk__in=image_ids):
        try:
            hide_image(image)
            moved += 1
        except OSError:
            logger.exception("Could not move the file of image %s", image.pk)
    if moved:
        from doorvertellen import page_cache

        # Kept pages may still name the old addresses (a card elsewhere): make them again.
        page_cache.invalidate()
    return moved
