"""Uploaded images lose their metadata before they are stored.

A phone photo carries EXIF: where it was taken (GPS), when, on which phone, sometimes the
owner's name. On a story about debts that could point to the storyteller's home. Wagtail keeps
the EXIF of the original in every JPEG and WebP rendition (Willow passes it on), and the
original file itself can be reached by its address. So the original is rewritten without
metadata before it is stored, and nothing made from it can leak what it no longer has.

The picture is turned the way the EXIF orientation says first, so it still shows upright; the
colour profile is kept (it is no personal data, and without it colours change). Images without
metadata are stored as they are, untouched.
"""

import hashlib
import logging
import os
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Pillow's names for metadata in `Image.info`, besides EXIF (checked separately).
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc", "extra"}
ORIENTATION = 0x0112
# JPEG segments that are no metadata: JFIF header, ICC colour profile, Adobe colour transform.
HARMLESS_JPEG_SEGMENTS = {"APP0", "APP2", "APP14"}
# What re-encoding keeps, per format. Quality stays high: the original is the source of all
# renditions. JPEG can keep its own quantisation when the pixels do not change.
SAVE_OPTIONS = {
    "JPEG": {"quality": 95, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 95, "method": 4},
    "AVIF": {"quality": 90},
    "GIF": {},
}


def has_metadata(image):
    if image.getexif():
        return True
    if METADATA_KEYS & set(image.info):
        return True
    if getattr(image, "text", None):  # PNG text chunks
        return True
    applist = getattr(image, "applist", None) or []  # JPEG segments
    return any(marker not in HARMLESS_JPEG_SEGMENTS for marker, _data in applist)


def without_metadata(data):
    """The image in `data` re-encoded without metadata, or None if it has none (or is no
    image Pillow can rewrite: Wagtail's own validation decides about those)."""
    try:
        image = Image.open(BytesIO(data))
        image_format = image.format
        if image_format not in SAVE_OPTIONS or not has_metadata(image):
            return None
        options = dict(SAVE_OPTIONS[image_format])
        icc_profile = image.info.get("icc_profile")
        if icc_profile:
            options["icc_profile"] = icc_profile
        frames = getattr(image, "n_frames", 1)
        if frames > 1:
            # Animations keep their frames and timing; they are not turned.
            options.update(save_all=True)
            for key in ("duration", "loop", "background", "transparency", "disposal"):
                if key in image.info:
                    options[key] = image.info[key]
            clean = image
        else:
            if "transparency" in image.info and image_format in ("PNG", "GIF"):
                options["transparency"] = image.info["transparency"]
            if image.getexif().get(ORIENTATION, 1) in (None, 1):
                clean = image
                if image_format == "JPEG":
                    # Same pixels: keep the original's quantisation, no visible loss.
                    options.update(quality="keep", subsampling="keep")
            else:
                clean = ImageOps.exif_transpose(image)
        for key in METADATA_KEYS:
            clean.info.pop(key, None)
        output = BytesIO()
        # No exif, xmp or pnginfo argument: Pillow writes none of them.
        clean.save(output, format=image_format, **options)
        return output.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        logger.warning("Could not remove metadata from an uploaded image: %s", error)
        return None


def strip_uploaded_image_metadata(sender, instance, raw=False, **kwargs):
    """pre_save of the image model: store a newly chosen file without its metadata.

    Runs for a new image and for a replaced file; an ordinary save of an image (title, focal
    point) does not touch the file. File size and hash are set for the file that is stored,
    so Wagtail's duplicate check compares stored files with stored files.
    """
    if raw or not instance.file:
        return
    field_file = instance.file
    if field_file._committed and not instance._state.adding:
        return
    field_file.open("rb")
    try:
        field_file.seek(0)
        data = field_file.read()
    finally:
        field_file.seek(0)
    clean = without_metadata(data)
    if clean is None:
        return
    old_name = field_file.name if field_file._committed else None
    basename = os.path.basename(field_file.name)
    # Saving commits the clean file now, under the image's upload path. Django does not read
    # the size again for a file saved this way, and a turned picture has swapped sides.
    field_file.save(basename, ContentFile(clean), save=False)
    if old_name and old_name != field_file.name:
        field_file.storage.delete(old_name)
    with Image.open(BytesIO(clean)) as stored:
        instance.width, instance.height = stored.size
    instance.file_size = len(clean)
    instance.file_hash = hashlib.sha1(clean).hexdigest()  # noqa: S324  (Wagtail's own hash)


# --- Responsive renditions ----------------------------------------------------------------
# One rule per place an image is shown: the widths made (a cheap phone takes the smallest that
# fills its screen) and how wide it is shown (`sizes`). Templates ({% responsive_image %}) and
# the prefetches of listings use the same specs, so a listing fetches its renditions at once.
# WebP only: every browser in use reads it, and AVIF takes seconds per image to make.
RESPONSIVE_IMAGES = {
    "card": (
        ("fill-480x360", "fill-320x240", "fill-960x720"),
        "(min-width: 72rem) 22rem, (min-width: 40rem) 45vw, 100vw",
    ),
    "story": (("width-720", "width-360", "width-1080"), "(min-width: 46rem) 42rem, 100vw"),
    "hero": (("width-640", "width-360", "width-1280"), "(min-width: 60rem) 34rem, 100vw"),
    "body": (("width-800", "width-400", "width-1200"), "(min-width: 46rem) 42rem, 100vw"),
}


def rendition_specs(kind):
    """The filter specs of one kind; the first is the fallback `src`."""
    return [f"{size}|format-webp" for size in RESPONSIVE_IMAGES[kind][0]]
