"""A resident's way from the homepage to a sign-up, as a real browser walks it.

The first journey uses the keyboard only: no mouse, no `.click()`, no `.fill()`.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from doorvertellen.models import IntakeRecord
from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    assert_focus_visible,
    describe,
    focused,
    has_horizontal_scroll,
    matches_focused,
    press_and_wait_for_navigation,
    tab_to,
    widest_elements,
)
from verhalen.models import StoryPage

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

NAME = "Fatima van Dijk"
PHONE = "06 12345678"
MESSAGE = "Ik heb een betalingsachterstand bij de energie."
POSTCODE = "3311 AB"


def path_of(page):
    return urlsplit(page.url).path


def expect_focus(page, selector):
    assert matches_focused(page, selector), (
        f"expected focus on {selector!r}, found {describe(focused(page))}"
    )
    assert_focus_visible(page)


def skip_to_content(page):
    """Tab to the skip link (the first stop on every page) and follow it."""
    page.keyboard.press("Tab")
    expect_focus(page, "a.skip-link")
    page.keyboard.press("Enter")
    assert matches_focused(page, "main#inhoud"), (
        f"the skip link did not move focus to the main content: {describe(focused(page))}"
    )


def test_keyboard_only_from_home_via_a_story_to_a_sign_up(
    page, site_url, demo_content, offsite_requests
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )

    # Home: the very first Tab reaches the skip link, and it shows that it has focus.
    page.goto(site_url("/"))
    page.keyboard.press("Tab")
    expect_focus(page, "a.skip-link")
    assert focused(page)["href"] == "#inhoud"
    # One step on and back again: Shift+Tab returns to it.
    page.keyboard.press("Tab")
    assert not matches_focused(page, "a.skip-link")
    assert_focus_visible(page)
    page.keyboard.press("Shift+Tab")
    expect_focus(page, "a.skip-link")
    page.keyboard.press("Enter")
    assert matches_focused(page, "main#inhoud"), describe(focused(page))

    # A featured story on the homepage.
    tab_to(page, ".stories-section .story-card a")
    assert_focus_visible(page)
    story_path = urlsplit(focused(page)["href"]).path
    press_and_wait_for_navigation(page)
    assert path_of(page) == story_path
    story = StoryPage.objects.live().get(url_path__endswith=story_path, locale__language_code="nl")
    assert story in demo_content.featured_stories

    # The story's own call to action (not the menu's): it carries the story along.
    skip_to_content(page)
    tab_to(page, "main .cta a[href*='verhaal=']")
    assert_focus_visible(page)
    press_and_wait_for_navigation(page)
    assert path_of(page) == demo_content.intake.url
    assert parse_qs(urlsplit(page.url).query)["verhaal"] == [str(story.pk)]

    # The form, field by field in reading order; typing, Tab and Space only.
    skip_to_content(page)
    tab_to(page, "#id_name")
    assert_focus_visible(page)
    page.keyboard.type(NAME)
    page.keyboard.press("Tab")
    expect_focus(page, "#id_phone")
    page.keyboard.type(PHONE)
    page.keyboard.press("Tab")
    expect_focus(page, "#id_email")  # left empty: a phone number is enough
    page.keyboard.press("Tab")
    expect_focus(page, "input[name='best_time']:checked")  # the preset "any time" is fine
    page.keyboard.press("Tab")
    expect_focus(page, "#id_message")
    page.keyboard.type(MESSAGE)
    page.keyboard.press("Tab")
    expect_focus(page, "#id_postcode")
    page.keyboard.type(POSTCODE)
    page.keyboard.press("Tab")
    expect_focus(page, "#id_consent")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked") is True
    tab_to(page, "form button[type='submit']", limit=3)  # past the privacy statement link
    assert_focus_visible(page)
    press_and_wait_for_navigation(page)

    # The thank-you page keeps the promise made on every button.
    assert path_of(page) == demo_content.intake.url + "bedankt/"
    assert page.locator("h1").inner_text().strip() == demo_content.intake.thank_you_heading
    promise = f"We bellen je {demo_content.service.response_promise}"
    assert promise in page.locator("main").inner_text()

    # The live server wrote into the database the test reads.
    records = list(IntakeRecord.objects.all())
    assert len(records) == 1
    record = records[0]
    assert record.name == NAME
    assert record.phone == PHONE
    assert record.postcode == POSTCODE
    assert record.message == MESSAGE
    assert record.source_story_id == story.pk

    assert offsite_requests == []
    assert errors == []


def test_small_screen_has_no_sideways_scrolling(
    new_guarded_context, site_url, demo_content, offsite_requests
):
    context = new_guarded_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    seen = []

    def check(label):
        assert not has_horizontal_scroll(page), (
            f"{label} ({page.url}) scrolls sideways at 360 px; sticking out: "
            f"{widest_elements(page)}"
        )
        seen.append(label)

    page.goto(site_url("/"))
    check("home")

    page.goto(site_url(page.locator("nav a[href$='/verhalen/']").first.get_attribute("href")))
    check("story index")

    page.goto(site_url(page.locator(".story-card a").first.get_attribute("href")))
    check("story")

    page.goto(site_url(page.locator("main .cta a.button").first.get_attribute("href")))
    assert path_of(page) == demo_content.intake.url
    check("intake form")

    with page.expect_navigation():
        page.locator("form button[type='submit']").click()
    assert page.locator(".error-summary").is_visible()
    check("intake form with errors")

    assert seen == ["home", "story index", "story", "intake form", "intake form with errors"]
    assert offsite_requests == []


def test_sign_up_works_without_javascript(
    new_guarded_context, site_url, demo_content, offsite_requests
):
    context = new_guarded_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url(demo_content.intake.url))

    page.fill("#id_name", NAME)
    page.fill("#id_email", "fatima@example.org")
    page.fill("#id_postcode", "3350 ZZ")
    page.check("#id_consent")
    with page.expect_navigation():
        page.locator("form button[type='submit']").click()

    assert path_of(page) == demo_content.intake.url + "bedankt/"
    records = list(IntakeRecord.objects.all())
    assert [(r.name, r.email, r.postcode) for r in records] == [
        (NAME, "fatima@example.org", "3350 ZZ")
    ]
    assert offsite_requests == []
