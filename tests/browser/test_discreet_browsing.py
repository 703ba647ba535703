"""Discreet browsing in a real browser: the quick exit, and what a sign-up leaves behind.

For a resident who shares a device with someone who must not know. The neutral site is
answered by the test itself (no request leaves the machine).
"""

from urllib.parse import urlsplit

import pytest

from doorvertellen.models import IntakeRecord
from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    assert_focus_visible,
    describe,
    focused,
    matches_focused,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

NEUTRAL = "https://neutraal.example/weer"
NAME = "Sanne de Wit"
PHONE = "0612345678"
POSTCODE = "3311 AB"


@pytest.fixture
def neutral_site(demo_content):
    service = demo_content.service
    service.quick_exit_url = NEUTRAL
    service.save()
    return demo_content


@pytest.fixture
def answer_neutral(context):
    """The neutral site, answered locally (routes added later win over the guard)."""
    context.route(
        "https://neutraal.example/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Het weer</title><h1>Het weer</h1>"
        ),
    )
    return context


def history_length(page):
    return page.evaluate("() => history.length")


def test_quick_exit_replaces_the_page_in_the_history(
    page, site_url, neutral_site, answer_neutral, offsite_requests
):
    page.goto(site_url("/"))
    story = neutral_site.stories[0]
    page.goto(site_url(story.url))
    length = history_length(page)

    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url(NEUTRAL)
    assert page.locator("h1").inner_text() == "Het weer"
    # The story's entry was replaced, not added to: "back" goes to the page before it.
    assert history_length(page) == length
    page.go_back()
    assert urlsplit(page.url).path == "/"
    assert offsite_requests == []


def test_escape_twice_leaves_and_once_does_not(page, site_url, neutral_site, answer_neutral):
    page.goto(site_url(neutral_site.intake.url))
    page.locator("#id_name").focus()
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)  # too long after: a second press on its own
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert urlsplit(page.url).path == neutral_site.intake.url

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL)


def test_the_quick_exit_is_the_second_stop_for_the_keyboard(page, site_url, neutral_site):
    for path in ("/", neutral_site.stories[0].url, neutral_site.intake.url, "/bestaat-niet/"):
        page.goto(site_url(path))
        page.keyboard.press("Tab")
        assert matches_focused(page, "a.skip-link"), describe(focused(page))
        page.keyboard.press("Tab")
        assert matches_focused(page, "a[data-quick-exit]"), describe(focused(page))
        assert_focus_visible(page)
        box = page.locator("a[data-quick-exit]").bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24


def test_without_javascript_the_quick_exit_is_a_plain_link_without_referrer(
    new_guarded_context, site_url, neutral_site
):
    context = new_guarded_context(java_script_enabled=False)
    referrers = []

    def neutral(route):
        referrers.append(route.request.headers.get("referer"))
        route.fulfill(status=200, content_type="text/html", body="<h1>Het weer</h1>")

    context.route("https://neutraal.example/**", neutral)
    page = context.new_page()
    page.goto(site_url(neutral_site.stories[0].url))
    page.get_by_role("link", name="Snel weg").click()
    page.wait_for_url(NEUTRAL)
    assert referrers == [None]


def test_a_sign_up_leaves_nothing_personal_in_addresses_or_the_form(page, site_url, neutral_site):
    visited = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    page.goto(site_url(neutral_site.intake.url))
    page.fill("#id_name", NAME)
    page.fill("#id_phone", PHONE)
    page.fill("#id_postcode", POSTCODE)
    page.check("#id_consent")
    page.locator("form button[type='submit']").click()
    page.wait_for_url("**/bedankt/")
    assert IntakeRecord.objects.count() == 1

    for url in visited:
        for value in (NAME, "Sanne", PHONE, "3311"):
            assert value not in url and value.replace(" ", "+") not in url, url
    # Back to the form: the browser may not show what was typed (the page is not stored).
    page.go_back()
    page.wait_for_selector("#id_name")
    assert page.input_value("#id_name") == ""
    assert page.input_value("#id_phone") == ""
    assert page.input_value("#id_postcode") == ""


def test_stepping_away_from_a_half_filled_form_keeps_what_was_typed(page, site_url, neutral_site):
    page.goto(site_url(neutral_site.intake.url))
    page.fill("#id_name", NAME)
    page.goto(site_url(neutral_site.privacy.url))
    page.go_back()
    page.wait_for_selector("#id_name")
    assert page.input_value("#id_name") == NAME
