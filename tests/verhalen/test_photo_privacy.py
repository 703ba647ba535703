"""A storyteller's photo never tells where they live: uploaded images lose EXIF (GPS, camera,
date), XMP and comments before they are stored, so no rendition or original carries them."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Collection

from doorvertellen.images import without_metadata
from tests.helpers import elements
from verhalen.factories import StoryPageFactory

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112
SECRETS = [b"Testcamera", b"Ingrid de Vries", b"secret-xmp", b"thuis-op-de-bank"]
# The renditions the templates use, and a JPEG one (Willow copies EXIF into JPEG and WebP).
FILTERS = [
    "width-720|format-webp",
    "fill-480x360|format-webp",
    "width-720|format-jpeg",
    "fill-480x360",
    "original",
]


def phone_photo(orientation=1, size=(640, 480)):
    """A JPEG as a phone makes it: GPS position, camera, owner, XMP and a comment."""
    picture = Image.new("RGB", size, (180, 120, 60))
    # A blue left half, to see which way the picture was turned.
    picture.paste((20, 40, 200), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "Testcamera"  # Make
    exif[0x013B] = "Ingrid de Vries"  # Artist
    exif[0x0132] = "2026:03:01 08:15:00"  # DateTime
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (51.0, 48.0, 46.0)
    gps[3] = "E"
    gps[4] = (4.0, 40.0, 12.0)
    output = BytesIO()
    picture.save(
        output,
        format="JPEG",
        exif=exif.tobytes(),
        xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>",
        comment=b"thuis-op-de-bank",
    )
    return output.getvalue()


def assert_clean(data):
    picture = Image.open(BytesIO(data))
    assert not picture.getexif(), "EXIF left"
    assert not picture.getexif().get_ifd(GPS_IFD), "GPS left"
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment"):
        assert key not in picture.info, key
    for secret in SECRETS:
        assert secret not in data
    assert b"Exif\x00\x00" not in data


def read(field_file):
    with default_storage.open(field_file.name, "rb") as stored:
        return stored.read()


def test_the_test_photo_really_has_gps():
    picture = Image.open(BytesIO(phone_photo()))
    assert picture.getexif().get_ifd(GPS_IFD)[2] == (51.0, 48.0, 46.0)


@pytest.fixture
def uploaded(client, superuser):
    """A phone photo uploaded in the admin, as an editor does it."""
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Sandra aan tafel",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile("sandra.jpg", phone_photo(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content[:500]
    return get_image_model().objects.get(title="Sandra aan tafel")


def test_the_stored_original_has_no_metadata(uploaded):
    data = read(uploaded.file)
    assert_clean(data)
    assert uploaded.file_size == len(data)
    assert (uploaded.width, uploaded.height) == (640, 480)


@pytest.mark.parametrize("filter_spec", FILTERS)
def test_renditions_have_no_metadata(uploaded, filter_spec):
    rendition = uploaded.get_rendition(filter_spec)
    assert_clean(read(rendition.file))


def test_the_photo_on_a_published_story_has_no_metadata(client, story_index, uploaded):
    story = StoryPageFactory(
        parent=story_index, photo=uploaded, photo_alt="Sandra aan de keukentafel."
    )
    response = client.get(story.url)
    [src] = [a["src"] for _t, a in elements(response, "img") if "story__photo" in a["class"]]
    with default_storage.open(src.removeprefix("/media/"), "rb") as served:
        assert_clean(served.read())


def test_a_turned_photo_is_stored_upright(db):
    image = get_image_model()(
        title="Gedraaid",
        file=ContentFile(phone_photo(orientation=6), name="gedraaid.jpg"),
        collection=Collection.get_first_root_node(),
    )
    image.save()
    data = read(image.file)
    assert_clean(data)
    picture = Image.open(BytesIO(data))
    # Orientation 6 means "turn a quarter clockwise": landscape becomes portrait.
    assert picture.size == (480, 640)
    assert (image.width, image.height) == (480, 640)
    # The blue left half is now on top.
    assert picture.getpixel((240, 8))[2] > 150
    assert picture.getpixel((240, 632))[2] < 100


def test_a_replaced_file_is_cleaned_too(uploaded):
    old_name = uploaded.file.name
    uploaded.file = ContentFile(phone_photo(), name="nieuw.jpg")
    uploaded.save()
    assert_clean(read(uploaded.file))
    assert uploaded.file.name != old_name


def test_a_file_already_stored_before_saving_is_cleaned_and_the_dirty_copy_removed(db):
    """Wagtail's multiple upload stores the file first and makes the image afterwards."""
    dirty = default_storage.save("original_images/vooraf.jpg", ContentFile(phone_photo()))
    image = get_image_model()(
        title="Vooraf", file=dirty, collection=Collection.get_first_root_node()
    )
    image.save()
    assert image.file.name != dirty
    assert_clean(read(image.file))
    assert not default_storage.exists(dirty)


def test_a_photo_without_metadata_is_stored_as_it_is():
    output = BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(output, format="JPEG")
    assert without_metadata(output.getvalue()) is None


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_other_formats_lose_their_metadata_too(image_format):
    exif = Image.Exif()
    exif[0x010F] = "Testcamera"
    exif.get_ifd(GPS_IFD)[2] = (51.0, 48.0, 46.0)
    output = BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(
        output, format=image_format, exif=exif.tobytes(), xmp=b"secret-xmp"
    )
    clean = without_metadata(output.getvalue())
    assert clean is not None
    assert_clean(clean)
    assert Image.open(BytesIO(clean)).format == image_format
