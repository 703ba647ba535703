"""The plain-language panel in the page editor follows what the editor types, through this
site's own check address and without any request to another site."""

from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import BROWSER_TEST_MARKS

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

HARD = (
    "De schuldhulpverlening organiseert een saneringskrediet bij de gemeentelijke "
    "kredietbank voor inwoners met problematische schulden en een beperkte "
    "aflossingscapaciteit."
)
RESULTS = "[data-plain-language-results]"


def test_panel_updates_while_the_editor_types(page, site_url, demo_content, offsite_requests):
    privacy = demo_content.privacy
    check_path = f"/admin/leesbaarheid/pagina/{privacy.pk}/"
    checks = []
    page.on("request", lambda r: checks.append(r.url) if "/leesbaarheid/" in r.url else None)

    page.goto(site_url("/admin/login/"))
    page.fill("#id_username", "redactie")
    page.fill("#id_password", "demo-redactie-2026")
    with page.expect_navigation():
        page.locator("form:not([data-sprite] form) button[type='submit']").click()
    assert urlsplit(page.url).path == "/admin/"

    page.goto(site_url(f"/admin/pages/{privacy.pk}/edit/"))
    results = page.locator(RESULTS)
    results.wait_for()
    assert "goed te lezen" in results.inner_text()

    score = results.locator(".plain-language__verdict strong").inner_text()

    # A bureaucratic introduction: the long sentence is shown with its long words marked, and
    # the score of the whole page drops.
    page.fill("#id_introduction", HARD)
    page.wait_for_function(
        "s => document.querySelector(s).innerText.includes('aflossingscapaciteit')", arg=RESULTS
    )
    assert results.locator("mark.plain-language__long", has_text="aflossingscapaciteit").count()
    assert "1 lange zin" in results.inner_text()
    assert results.locator(".plain-language__verdict strong").inner_text() != score

    # A difficult word typed in the rich text of the body: named with its plain alternative.
    page.fill("#id_introduction", "We bewaren weinig.")
    editor = page.locator("[data-contentpath='body'] .public-DraftEditor-content").first
    editor.click()
    editor.press("End")
    editor.type(" Toen kwam de deurwaarder.")
    page.wait_for_function(
        "s => document.querySelector(s).innerText.includes('iemand die geld komt ophalen')",
        arg=RESULTS,
    )
    assert "goed te lezen" in results.inner_text()

    # Every check was answered by this site's own check address; nothing went elsewhere.
    assert checks and all(urlsplit(url).path == check_path for url in checks)
    assert offsite_requests == []
    # Let Wagtail's own autosave of the draft finish before the test database goes away.
    page.wait_for_load_state("networkidle")
    page.close()
