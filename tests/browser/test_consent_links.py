"""A storyteller approves their story and later withdraws, by keyboard only, without logging in.

No mouse, no `.click()`, no `.fill()`. axe checks every page on the way for WCAG 2.2 AA, and
each page fits a 360 px wide phone.
"""

from urllib.parse import urlsplit

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


@pytest.fixture
def asked(live_server, settings, story_index, service_settings):
    """A draft story, its teller's recorded consent, and the approval link's token."""
    from verhalen.factories import ConsentRecordFactory, StoryPageFactory
    from verhalen.models import StoryApproval

    settings.SITE_URL = live_server.url  # links in the pages and mails point to this server
    story = StoryPageFactory(
        parent=story_index,
        title="Hoe Noor weer rust kreeg",
        display_name="Noor",
        city="Dordrecht",
        what_helped="Een vaste hulpverlener die terugbelde.",
        live=False,
        consent=False,
    )
    consent = ConsentRecordFactory(display_name="Noor", given_at=None, pages=[story])
    approval, token = StoryApproval.create_for(consent, story, story.save_revision())
    return story, approval, token


def skip_to_content(page):
    page.keyboard.press("Tab")
    assert matches_focused(page, "a.skip-link"), describe(focused(page))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert matches_focused(page, "main#inhoud"), describe(focused(page))


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


def test_approve_and_later_withdraw_by_keyboard(page, site_url, asked, offsite_requests):
    from verhalen.models import ConsentRecord, StoryApproval

    story, approval, token = asked
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    problems = {}

    # The link from the mail: the exact story, and what saying yes means.
    response = page.goto(site_url(f"/toestemming/akkoord/{token}/"))
    assert response.status == 200
    assert "Een vaste hulpverlener die terugbelde." in page.locator("main").inner_text()
    audit(page, "approval", problems)

    skip_to_content(page)
    tab_to(page, "button.button--large")
    assert_focus_visible(page)
    assert focused(page)["text"] == "Ja, dit klopt. Zet het online."
    press_and_wait_for_navigation(page)

    assert page.locator("h1").inner_text().strip() == "Dank je wel voor je akkoord"
    audit(page, "approval done", problems)
    approval.refresh_from_db()
    assert approval.status == StoryApproval.Status.APPROVED
    consent = ConsentRecord.objects.get()
    assert consent.given_at is not None

    # The editor publishes the approved version.
    approval.revision.publish()
    story.refresh_from_db()
    assert story.live

    # Later: the withdrawal link shown on the done page, followed with the keyboard.
    skip_to_content(page)
    tab_to(page, ".consent-link__url a")
    assert_focus_visible(page)
    withdrawal_path = urlsplit(focused(page)["href"]).path
    assert withdrawal_path.startswith("/toestemming/intrekken/")
    press_and_wait_for_navigation(page)
    assert urlsplit(page.url).path == withdrawal_path
    assert "Je verhaal gaat meteen offline." in page.locator("main").inner_text()
    audit(page, "withdrawal", problems)

    story.refresh_from_db()
    assert story.live  # the first click only explains

    skip_to_content(page)
    tab_to(page, "form button[type='submit']")
    assert_focus_visible(page)
    assert focused(page)["text"] == "Ja, trek mijn toestemming in"
    press_and_wait_for_navigation(page)

    assert page.locator("h1").inner_text().strip() == "Je toestemming is ingetrokken"
    audit(page, "withdrawal done", problems)
    story.refresh_from_db()
    assert not story.live
    assert ConsentRecord.objects.get().withdrawn_at is not None

    # The used link now explains kindly what to do.
    response = page.goto(site_url(withdrawal_path))
    assert response.status == 404
    audit(page, "used withdrawal link", problems)

    assert not problems, "\n\n".join(
        f"== {label}\n" + "\n".join(found) for label, found in problems.items()
    )
    assert offsite_requests == []
    assert errors == []
    # No login, and no cookie but the forms' CSRF cookie.
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    assert cookies <= {"csrftoken"}
