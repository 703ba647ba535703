"""The mini-documentary in a real browser: captions on, keyboard operable, YouTube only on a click.

The live server does not serve media files (DEBUG is off in tests), so the tests hand the
browser the uploaded files themselves through a route: the film and its captions really load.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings

from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    assert_focus_visible,
    axe_violations,
    describe,
    focused,
    format_violations,
    has_horizontal_scroll,
    tab_to,
)
from verhalen.factories import DocumentaryPageFactory, VideoFactory
from verhalen.models import DocumentaryPage

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

THIRD_PARTY_HOSTS = ("youtube", "youtu.be", "vimeo", "ytimg", "googlevideo")


@pytest.fixture
def serve_media(live_server):
    """serve_media(page_or_context): answer /media/... from MEDIA_ROOT, as a web server would."""
    root = Path(settings.MEDIA_ROOT).resolve()
    prefix = urlsplit(settings.MEDIA_URL).path

    def handle(route):
        relative = unquote(urlsplit(route.request.url).path)[len(prefix) :]
        path = (root / relative).resolve()
        if root not in path.parents or not path.is_file():
            route.fulfill(status=404, body="")
            return
        kind = "text/vtt" if path.suffix == ".vtt" else mimetypes.guess_type(path.name)[0]
        route.fulfill(status=200, body=path.read_bytes(), content_type=kind or "")

    def _serve(target):
        target.route(f"{live_server.url.rstrip('/')}{prefix}**", handle)
        return target

    return _serve


@pytest.fixture
def documentary(demo_content):
    return DocumentaryPage.objects.live().get(slug="karin-vertelt")


@pytest.fixture
def external_documentary(demo_content):
    return DocumentaryPageFactory(
        parent=demo_content.story_index,
        title="Samira vertelt bij YouTube",
        display_name="Sandra",
        video=VideoFactory(external=True, title="Samira bij YouTube"),
    )


def test_the_film_has_captions_on_and_the_keyboard_plays_it(
    page, site_url, documentary, serve_media, offsite_requests
):
    serve_media(page)
    page.goto(site_url(documentary.url))
    video = page.locator("video")

    state = video.evaluate(
        """async (video) => {
            const track = video.textTracks[0];
            const element = video.querySelector("track");
            if (element.readyState !== 2) {
                await new Promise((done) => {
                    element.addEventListener("load", done, {once: true});
                    element.addEventListener("error", done, {once: true});
                    setTimeout(done, 5000);
                });
            }
            return {kind: track.kind, language: track.language, label: track.label,
                    mode: track.mode, cues: track.cues ? track.cues.length : 0,
                    trackState: element.readyState, autoplay: video.autoplay,
                    paused: video.paused, controls: video.controls};
        }"""
    )
    assert state == {
        "kind": "captions",
        "language": "nl",
        "label": "Nederlands",
        "mode": "showing",
        "cues": 6,
        "trackState": 2,
        "autoplay": False,
        "paused": True,
        "controls": True,
    }

    page.locator("body").focus()
    passed = tab_to(page, "video")
    assert passed, "the video should come after the summary, not first"
    assert_focus_visible(page)
    page.keyboard.press("Space")
    page.wait_for_function("() => !document.querySelector('video').paused", timeout=5000)
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('video').paused", timeout=5000)

    # Past the player the keyboard goes on to the download link and the rest of the page.
    tab_to(page, ".video-player__meta a[download]")
    assert "Download de video" in describe(focused(page))
    assert offsite_requests == []


def test_youtube_is_asked_nothing_before_the_click(
    page, site_url, external_documentary, offsite_requests
):
    page.goto(site_url(external_documentary.url))
    page.wait_for_load_state("networkidle")
    assert page.locator("iframe").count() == 0
    assert offsite_requests == [], "a third party was contacted before the click"

    button = page.get_by_role("button", name="Video laden van YouTube")
    assert button.is_visible()
    assert page.get_by_text("YouTube gegevens over je opslaan").is_visible()

    # Keyboard: Tab reaches the button, Enter loads the player (blocked here by the guard).
    page.locator("body").focus()
    tab_to(page, "[data-video-load]")
    assert_focus_visible(page)
    with page.expect_request(lambda request: "youtube-nocookie.com" in request.url):
        page.keyboard.press("Enter")

    frame = page.locator("iframe")
    assert frame.count() == 1
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert frame.get_attribute("title") == "Video: Samira vertelt bij YouTube (bij YouTube)"
    assert frame.get_attribute("allowfullscreen") == ""
    assert page.evaluate("() => document.activeElement.tagName") == "IFRAME"
    assert offsite_requests, "the click should have asked the embed host"
    hosts = {urlsplit(url).hostname for url in offsite_requests}
    assert hosts == {"www.youtube-nocookie.com"}, offsite_requests


def test_without_javascript_the_placeholder_links_to_youtube(
    new_guarded_context, site_url, external_documentary, offsite_requests
):
    page = new_guarded_context(java_script_enabled=False).new_page()
    page.goto(site_url(external_documentary.url))
    assert not page.get_by_role("button", name="Video laden van YouTube").is_visible()
    link = page.get_by_role("link", name="Bekijk de video op YouTube")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert offsite_requests == []


@pytest.mark.parametrize("width", [360, 1280])
def test_documentary_pages_pass_axe_and_fit_the_screen(
    new_guarded_context, site_url, documentary, external_documentary, serve_media, width
):
    context = serve_media(new_guarded_context(viewport={"width": width, "height": 800}))
    page = context.new_page()
    problems = []
    for label, target in (("hosted film", documentary), ("YouTube film", external_documentary)):
        response = page.goto(site_url(target.url))
        assert response.status == 200
        if has_horizontal_scroll(page):
            problems.append(f"{label}: scrolls sideways at {width} px")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{label}:\n{format_violations(violations)}")
    page.goto(site_url(documentary.get_parent().url))
    assert page.locator(".story-card .label-film").count() == 2  # both films
    violations = axe_violations(page)
    if violations:
        problems.append(f"story index:\n{format_violations(violations)}")
    assert not problems, "\n\n".join(problems)
