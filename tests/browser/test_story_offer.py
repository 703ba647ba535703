"""Deel je verhaal and "Had je hier iets aan?", as a real browser uses them.

Keyboard only: no mouse, no `.click()`, no `.fill()`. axe checks each page for WCAG 2.2 AA,
and each page fits a 360 px wide phone.
"""

import pytest

from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    assert_focus_visible,
    axe_violations,
    describe,
    focused,
    format_violations,
    has_horizontal_scroll,
    matches_focused,
    page_structure_problems,
    press_and_wait_for_navigation,
    tab_to,
    widest_elements,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

PHONE = {"width": 360, "height": 740}
# Headless Chromium says so in its user agent and is, rightly, not counted as a visitor.
PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Mobile Safari/537.36"
)
STORY = "Ik durfde mijn post niet meer open te maken. Nu heb ik weer rust."


@pytest.fixture
def offer_page(live_server, settings, home, story_index, service_settings):
    from feedback.factories import StoryOfferPageFactory

    settings.SITE_URL = live_server.url
    return StoryOfferPageFactory(parent=home)


@pytest.fixture
def shown_story(live_server, story_index, theme, service_settings):
    """A published story, made after the live server started (it shares the connection)."""
    from verhalen.factories import StoryPageFactory

    return StoryPageFactory(
        parent=story_index, title="Hoe Sandra weer rust kreeg", display_name="Sandra"
    )


def audit(page, label, problems):
    """Collect axe's violations, the page structure and the 360 px fit of the current page."""
    found = page_structure_problems(page)
    violations = axe_violations(page)
    if violations:
        found.append("axe (WCAG 2.2 AA):\n" + format_violations(violations))
    viewport = page.viewport_size
    page.set_viewport_size(PHONE)
    if has_horizontal_scroll(page):
        found.append(f"scrolls sideways at 360 px: {widest_elements(page)}")
    page.set_viewport_size(viewport)
    if found:
        problems[label] = found


def expect_focus(page, selector):
    assert matches_focused(page, selector), (
        f"expected focus on {selector!r}, found {describe(focused(page))}"
    )
    assert_focus_visible(page)


def test_offer_a_story_by_keyboard_with_one_mistake_corrected(
    page, site_url, offer_page, offsite_requests
):
    from verhalen.models import ConsentRecord, StoryPage

    problems = {}
    page.goto(site_url(offer_page.url))
    audit(page, "offer page, empty", problems)

    tab_to(page, "#id_story")
    expect_focus(page, "#id_story")
    page.keyboard.type(STORY)
    tab_to(page, "#id_display_name")
    page.keyboard.type("Mirjam")
    tab_to(page, "#id_phone")
    page.keyboard.type("06 123")  # one digit group short
    tab_to(page, "#id_contact_ok")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]")
    expect_focus(page, "button[type=submit]")
    press_and_wait_for_navigation(page)

    assert page.locator(".error-summary").is_visible()
    assert "Dit telefoonnummer klopt niet." in page.locator(".error-summary").inner_text()
    assert page.locator("#id_story").input_value() == STORY
    assert page.locator("#id_display_name").input_value() == "Mirjam"
    assert page.locator("#id_contact_ok").is_checked()
    assert not StoryPage.objects.filter(slug__startswith="aanbod-").exists()
    audit(page, "offer page, with an error", problems)

    # From the summary's link to the field, then correct it.
    tab_to(page, ".error-summary a")
    assert "Dit telefoonnummer klopt niet." in focused(page)["text"]
    page.keyboard.press("Enter")
    expect_focus(page, "#id_phone")
    page.keyboard.press("Control+A")
    page.keyboard.type("06 12345678")
    tab_to(page, "button[type=submit]")
    press_and_wait_for_navigation(page)

    assert page.url.endswith(offer_page.url + "bedankt/")
    assert "Er staat nog niets online." in page.inner_text("main")
    audit(page, "thanks page", problems)

    draft = StoryPage.objects.get(slug__startswith="aanbod-")
    assert draft.live is False
    assert ConsentRecord.objects.get().contact_phone == "06 12345678"
    assert problems == {}, "\n\n".join(f"{k}:\n" + "\n".join(v) for k, v in problems.items())
    assert offsite_requests == []


def test_was_this_useful_works_without_javascript_by_keyboard(
    page, new_guarded_context, site_url, shown_story, offsite_requests
):
    from feedback.models import UsefulComment, UsefulCount

    story = shown_story
    # No JavaScript at all: the plain form does the work. (Focus is read through Playwright's
    # own script channel, which works with the page's scripts off.)
    context = new_guarded_context(java_script_enabled=False, user_agent=PHONE_BROWSER)
    reader = context.new_page()
    reader.set_default_timeout(15_000)
    reader.goto(site_url(story.url))
    assert reader.locator("#nuttig h2").inner_text() == "Had je hier iets aan?"

    reader.locator("#nuttig-opmerking").focus()
    tab_to(reader, "#nuttig button[value=ja]")
    tab_to(reader, "#nuttig-opmerking", backwards=True)
    reader.keyboard.type("Fijn om te lezen.")
    reader.keyboard.press("Tab")
    assert matches_focused(reader, "#nuttig button[value=ja]"), describe(focused(reader))
    press_and_wait_for_navigation(reader)

    assert reader.url.endswith(f"{story.url}?nuttig=bedankt#nuttig")
    assert reader.locator("#nuttig h2").inner_text() == "Dank je wel!"
    assert reader.locator("#nuttig form").count() == 0
    assert context.cookies() == []
    thanks_url = reader.url
    context.close()
    count = UsefulCount.objects.get(page_id=story.pk)
    assert (count.useful, count.count) == (True, 1)
    assert UsefulComment.objects.get().comment == "Fijn om te lezen."

    # axe needs scripts: the same page, as an ordinary browser shows it.
    page.goto(thanks_url)
    problems = {}
    audit(page, "story after thanks", problems)
    assert problems == {}, "\n\n".join(f"{k}:\n" + "\n".join(v) for k, v in problems.items())
    assert offsite_requests == []
