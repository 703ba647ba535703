"""Mini-documentaries: a video with checked captions, a transcript, and no third party uninvited.

Browser behaviour (keyboard, the click that loads YouTube, axe) is in
tests/browser/test_documentary_player.py.
"""

import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from tests.helpers import elements, text
from tests.verhalen.test_story_index import MAX_QUERIES
from verhalen.captions import read_vtt
from verhalen.factories import (
    DEMO_MEDIA,
    DocumentaryPageFactory,
    StoryPageFactory,
    VideoFactory,
)
from verhalen.models import DocumentaryPage, Video, media
from verhalen.models.media import parse_external_url

pytestmark = pytest.mark.django_db

WEBM = (DEMO_MEDIA / "documentaire-karin.webm").read_bytes()
VTT = (DEMO_MEDIA / "documentaire-karin.vtt").read_bytes()
BROKEN_VTT = b"WEBVTT\n\n00:00:01.000 --> 00:00:00.500\nTe vroeg voorbij\n"
THIRD_PARTY = re.compile(r"youtube|youtu\.be|vimeo", re.IGNORECASE)


@pytest.fixture
def documentary(story_index, theme):
    return DocumentaryPageFactory(
        parent=story_index, title="Karin vertelt", display_name="Karin", themes=[theme]
    )


@pytest.fixture
def external_documentary(story_index):
    return DocumentaryPageFactory(
        parent=story_index,
        title="Film bij YouTube",
        video=VideoFactory(external=True, title="Film bij YouTube"),
    )


def clean_errors(video):
    with pytest.raises(ValidationError) as excinfo:
        video.full_clean()
    return excinfo.value.message_dict


# --- The Video model ------------------------------------------------------------------------


def test_a_hosted_video_needs_captions():
    video = VideoFactory.build(captions=None)
    errors = clean_errors(video)
    assert "Voeg ondertiteling toe" in errors["captions"][0]


def test_captions_are_validated_with_their_line():
    video = VideoFactory.build(captions=ContentFile(BROKEN_VTT, name="film.vtt"))
    errors = clean_errors(video)
    assert errors["captions"] == [
        "Regel 3: de ondertitel moet eindigen na het begin. Nu: van 00:00:01.000 tot 00:00:00.500."
    ]


def test_captions_longer_than_the_video_are_refused():
    long_vtt = VTT + b"\n00:01:00.000 --> 00:01:05.000\nNa het einde\n"
    video = VideoFactory.build(
        captions=ContentFile(long_vtt, name="film.vtt"),
        file=ContentFile(WEBM, name="film.webm"),
    )
    errors = clean_errors(video)
    assert "maar de video duurt 00:00:27.000" in errors["captions"][0]


def test_a_good_hosted_video_passes_and_gets_its_duration():
    video = VideoFactory.build(duration_seconds=None)
    video.full_clean()
    if shutil.which("ffprobe"):
        assert video.duration_seconds == 27  # 27.008 s
    else:
        assert video.duration_seconds is None  # left to the editor


def test_without_ffprobe_the_editors_duration_stays(monkeypatch):
    monkeypatch.setattr(media.shutil, "which", lambda _name: None)
    video = VideoFactory.build(duration_seconds=31)
    video.full_clean()
    assert video.duration_seconds == 31


def test_a_slow_ffprobe_is_given_up_on(monkeypatch):
    def too_slow(command, **kwargs):
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(media.shutil, "which", lambda _name: "/usr/bin/ffprobe")
    monkeypatch.setattr(media.subprocess, "run", too_slow)
    video = VideoFactory.build(duration_seconds=None)
    video.full_clean()
    assert video.duration_seconds is None


def test_a_file_ffprobe_cannot_read_keeps_the_editors_duration():
    garbled = b"\x1a\x45\xdf\xa3" + b"\x00" * 200  # WebM's first bytes, nothing playable
    video = VideoFactory.build(file=ContentFile(garbled, name="film.webm"))
    video.full_clean()
    assert video.duration_seconds == 27


@pytest.mark.skipif(not shutil.which("ffmpeg"), reason="ffmpeg/ffprobe are optional")
def test_a_file_with_sound_but_no_picture_is_refused(tmp_path):
    sound_only = tmp_path / "geluid.webm"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc", "-t", "1", str(sound_only)],
        check=True,
        timeout=60,
    )
    video = VideoFactory.build(file=ContentFile(sound_only.read_bytes(), name="geluid.webm"))
    assert "geen beeld" in clean_errors(video)["file"][0]


@pytest.mark.parametrize(
    ("url", "provider", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "YouTube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_external_videos_embed_from_the_privacy_enhanced_domains(url, provider, embed):
    video = Video(title="Film", external_url=url)
    video.full_clean()
    assert video.provider_name == provider
    assert video.embed_url() == embed


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/playlist?list=PL1234567890",
        "https://www.youtube.com/watch?v=kort",
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
        "javascript:alert(1)",
    ],
)
def test_other_addresses_are_refused(url):
    video = Video(title="Film", external_url=url)
    assert parse_external_url(url) is None
    assert "Dit adres kunnen we niet gebruiken" in " ".join(clean_errors(video)["external_url"])
    assert video.embed_url() == ""


def test_a_video_is_a_file_or_an_address_never_both_or_neither():
    both = VideoFactory.build(external_url="https://youtu.be/dQw4w9WgXcQ")
    assert "Kies één van de twee" in clean_errors(both)["external_url"][0]
    neither = Video(title="Leeg")
    assert "Kies een videobestand" in clean_errors(neither)["__all__"][0]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        (
            "film.mp4",
            b"Dit is gewoon tekst, geen film.",
            "Dit bestand heet .mp4, maar het is geen MP4",
        ),
        ("film.webm", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "geen WebM-video"),
        ("film.mp4", WEBM, "geen MP4-video"),
    ],
)
def test_a_file_must_really_be_the_video_its_name_says(name, data, words):
    video = VideoFactory.build(file=ContentFile(data, name=name))
    assert words in clean_errors(video)["file"][0]


def test_large_files_are_refused(settings):
    settings.VIDEO_MAX_UPLOAD_MB = 0
    error = clean_errors(VideoFactory.build())["file"][0]
    assert "te groot" in error
    assert "hoogstens 0 MB" in error


# --- The admin ------------------------------------------------------------------------------


def video_form(**files):
    return {
        "title": "Karin vertelt",
        "external_url": "",
        "duration_seconds": "",
        "poster": "",
        "file": SimpleUploadedFile("karin.webm", WEBM, content_type="video/webm"),
        "captions": SimpleUploadedFile("karin.vtt", VTT, content_type="text/vtt"),
        **files,
    }


def test_editors_upload_a_video_with_captions(client, editor):
    client.force_login(editor)
    add_url = reverse("wagtailsnippets_verhalen_video:add")
    form = client.get(add_url)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in text(form)

    response = client.post(add_url, video_form())
    assert response.status_code == 302, response.context["form"].errors
    video = Video.objects.get()
    assert video.file.name.endswith(".webm")
    assert video.captions_status() == "ja"
    if shutil.which("ffprobe"):
        assert video.duration_seconds == 27

    listing = client.get(reverse("wagtailsnippets_verhalen_video:list"), {"q": "Karin"})
    assert listing.status_code == 200
    assert "Karin vertelt" in text(listing)
    assert "0:27" in text(listing) or not shutil.which("ffprobe")

    # The documentary's video field offers it in Wagtail's chooser.
    chooser = client.get(reverse("wagtailsnippetchoosers_verhalen_video:choose"))
    assert chooser.status_code == 200
    assert "Karin vertelt" in chooser.json()["html"]


@pytest.mark.parametrize(
    ("files", "field", "words"),
    [
        (
            {"file": SimpleUploadedFile("film.mp4", b"Hallo, ik ben tekst.", "video/mp4")},
            "file",
            "maar het is geen MP4-video",
        ),
        ({"file": SimpleUploadedFile("film.mov", WEBM, "video/quicktime")}, "file", "mov"),
        (
            {"captions": SimpleUploadedFile("karin.vtt", BROKEN_VTT, "text/vtt")},
            "captions",
            "Regel 3",
        ),
        (
            {"captions": SimpleUploadedFile("karin.vtt", b"\xff\xfe\x00", "text/vtt")},
            "captions",
            "UTF-8",
        ),
        ({"captions": ""}, "captions", "Voeg ondertiteling toe"),
    ],
)
def test_bad_uploads_get_a_kind_form_error(client, editor, files, field, words):
    client.force_login(editor)
    response = client.post(reverse("wagtailsnippets_verhalen_video:add"), video_form(**files))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert words in " ".join(errors[field])
    assert not Video.objects.exists()


# --- Publishing a documentary ---------------------------------------------------------------


def page_form(page, **changes):
    values = {
        "title": page.title,
        "slug": page.slug,
        "display_name": page.display_name,
        "quote": page.quote,
        "summary": page.summary,
        "video": page.video_id,
        "transcript": page.transcript,
        "body": streamfield([]),
        "themes": "",
        "related_stories": inline_formset([]),
        "action-publish": "publish",
        **changes,
    }
    return nested_form_data(values)


def test_a_documentary_with_good_captions_is_published_from_the_admin(client, editor, story_index):
    page = DocumentaryPageFactory(parent=story_index, live=False)
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form(page))
    assert response.status_code == 302, response.context["form"].errors
    page.refresh_from_db()
    assert page.live


def test_broken_captions_stop_publishing_with_the_line_to_fix(client, editor, story_index):
    video = VideoFactory(captions=ContentFile(BROKEN_VTT, name="kapot.vtt"))
    page = DocumentaryPageFactory(parent=story_index, live=False, video=VideoFactory())
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form(page, video=video.pk)
    )
    assert response.status_code == 200
    assert "Regel 3: de ondertitel moet eindigen na het begin." in " ".join(
        response.context["form"].errors["video"]
    )
    page.refresh_from_db()
    assert not page.live


def test_a_video_without_captions_cannot_be_chosen(story_index):
    video = VideoFactory()
    Video.objects.filter(pk=video.pk).update(captions="")  # as if removed behind our back
    page = DocumentaryPageFactory.build(video=Video.objects.get(pk=video.pk))
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "nog geen ondertiteling" in excinfo.value.message_dict["video"][0]


def test_the_transcript_is_required(client, editor, story_index):
    page = DocumentaryPageFactory(parent=story_index, live=False)
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form(page, transcript="  ")
    )
    assert response.status_code == 200
    assert "transcript" in response.context["form"].errors
    page.refresh_from_db()
    assert not page.live


# --- What a resident gets -------------------------------------------------------------------


def test_the_page_plays_the_film_with_captions_and_never_autoplays(client, documentary):
    response = client.get(documentary.url)
    assert response.status_code == 200
    body = text(response)

    (_tag, player) = elements(response, "video")[0]
    assert "controls" in player
    assert "autoplay" not in body
    assert player["preload"] == "metadata"
    assert "playsinline" in player
    assert player["poster"].endswith(".webp")
    assert (player["width"], player["height"]) == ("1280", "720")

    (_tag, source) = elements(response, "source")[0]
    assert source["type"] == "video/webm"
    assert source["src"] == documentary.video.file.url

    (_tag, track) = elements(response, "track")[0]
    assert track["kind"] == "captions"
    assert track["srclang"] == "nl"
    assert track["label"] == "Nederlands"
    assert "default" in track
    assert track["src"] == documentary.video.captions.url

    downloads = [a for _t, a in elements(response, "a") if "download" in a]
    assert downloads and all(a["href"] == documentary.video.file.url for a in downloads)
    assert "Download de video (WebM," in body
    assert '<time datetime="PT27S">0:27</time>' in body
    assert "<iframe" not in body
    assert "js/video" not in body  # nothing to load on click


def test_summary_comes_first_then_the_film_then_the_transcript(client, documentary):
    body = text(client.get(documentary.url))
    positions = [
        body.index("In het kort"),
        body.index("<video"),
        body.index("Wat er gezegd wordt"),
        body.index("Ik belde de gemeente."),
        body.index('<section class="cta">'),
    ]
    assert positions == sorted(positions)
    assert "Meer verhalen over:" in body


def test_an_external_video_waits_for_a_click(client, external_documentary):
    response = client.get(external_documentary.url)
    body = text(response)
    assert "<iframe" not in body
    assert "<video" not in body
    for _tag, attrs in elements(response):
        for name in ("src", "srcset", "poster", "data", "action"):
            assert not THIRD_PARTY.search(attrs.get(name) or ""), (name, attrs)

    (_tag, figure) = next(e for e in elements(response, "figure") if "data-video-embed" in e[1])
    assert figure["data-video-embed"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert figure["data-video-title"] == "Video: Film bij YouTube (bij YouTube)"
    (_tag, button) = next(e for e in elements(response, "button") if "data-video-load" in e[1])
    assert "hidden" in button  # shown by video.js; without JavaScript the link below is used
    assert "Video laden van YouTube" in body
    assert "YouTube gegevens over je opslaan" in body
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in body

    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    (script,) = [a for _t, a in elements(response, "script") if "video" in a.get("src", "")]
    assert script["nonce"] == nonce
    assert "defer" in script


def test_the_policy_frames_only_the_privacy_enhanced_players(client, external_documentary):
    policy = client.get(external_documentary.url)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";")}
    assert directives["frame-src"] == [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ]
    assert directives["media-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]


def test_media_on_their_own_domain_are_allowed_as_images_and_video(client, documentary, settings):
    settings.MEDIA_URL = "https://media.rivierstad.example/media/"
    policy = client.get(documentary.url)["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";")}
    assert directives["media-src"] == ["'self'", "https://media.rivierstad.example"]
    assert directives["img-src"] == ["'self'", "data:", "https://media.rivierstad.example"]
    assert "https://media.rivierstad.example" not in directives["script-src"]


# --- The story overview ---------------------------------------------------------------------


def test_documentaries_are_marked_as_film_in_the_overview(client, story_index, documentary):
    StoryPageFactory(parent=story_index, title="Een geschreven verhaal")
    body = text(client.get(story_index.url))
    cards = body.split('<article class="story-card">')[1:]
    (film,) = [card for card in cards if "Karin vertelt" in card]
    (story,) = [card for card in cards if "Een geschreven verhaal" in card]
    assert '<p class="label-film" aria-hidden="true">Film</p>' in film
    assert '<span class="visually-hidden"> (film)</span>' in film
    assert "label-film" not in story


@pytest.mark.parametrize("count", [4, 30])
def test_film_labels_add_no_query_per_card(
    client, story_index, count, django_assert_max_num_queries
):
    video = VideoFactory()
    for number in range(count):
        factory = DocumentaryPageFactory if number % 2 else StoryPageFactory
        extra = {"video": video} if number % 2 else {}
        factory(parent=story_index, with_photo=True, title=f"Verhaal {number}", **extra)
    client.get(story_index.url)  # makes the image renditions once
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(story_index.url)
    assert text(response).count('class="label-film"') == min(count, 12) // 2


# --- The demo -------------------------------------------------------------------------------


def test_the_demo_documentary_is_published_with_consent_and_matching_captions(client):
    call_command("load_demo_content", stdout=io.StringIO())
    page = DocumentaryPage.objects.get(slug="karin-vertelt")
    assert page.live
    assert page.consent_problems() == []
    assert page.video.caption_problem() is None
    with page.video.captions.open("rb") as captions:
        cues = read_vtt(captions.read(), page.video.duration_seconds).cues
    transcript = " ".join(page.transcript.split())
    for cue in cues:
        assert " ".join(cue.text.split()) in transcript

    response = client.get(page.url)
    assert response.status_code == 200
    assert '<track kind="captions"' in text(response)

    out = io.StringIO()
    call_command("load_demo_content", stdout=out, verbosity=2)
    assert "al aanwezig: video: Karin vertelt (demo-film)" in out.getvalue()
    assert Video.objects.count() == 1
    assert DocumentaryPage.objects.count() == 1


@pytest.mark.parametrize("kind", ["hosted", "external"])
def test_the_transcript_is_one_link_away_right_by_the_player(
    client, documentary, external_documentary, kind
):
    page = documentary if kind == "hosted" else external_documentary
    html = text(client.get(page.url))

    player = html.index('class="video-player')
    link = html.index('href="#wat-er-gezegd-wordt"')
    transcript = html.index('id="wat-er-gezegd-wordt"')
    assert player < link < transcript
    # Nothing else stands between the player and the link to its transcript.
    assert html.count("<section", player, link) == 0
    assert "Lees alles wat er in de film gezegd wordt" in html
