"""Smoke tests of staff sign-in and the intake inbox: the intake team sees a new sign-up, the
editors do not."""

from urllib.parse import urlsplit

import pytest

from doorvertellen.models import IntakeRecord
from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    TWO_FACTOR_VERIFY,
    sign_in,
    submit_own_form,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

INBOX = "/admin/aanmeldingen/"
INBOX_LINK = f"a[href='{INBOX}']"
NAME = "Kees de Boer"


def test_intake_team_sees_a_new_sign_up_and_editors_do_not(
    page, new_guarded_context, site_url, demo_content, offsite_requests
):
    # A resident signs up.
    page.goto(site_url(demo_content.intake.url))
    page.fill("#id_name", NAME)
    page.fill("#id_phone", "06 87654321")
    page.fill("#id_postcode", "3312 CD")
    page.check("#id_consent")
    with page.expect_navigation():
        page.locator("form button[type='submit']").click()
    assert page.url.endswith("/bedankt/")
    record = IntakeRecord.objects.get()

    # The intake team finds it in its inbox.
    team = sign_in(new_guarded_context(), site_url, "aanmeldteam", "demo-aanmeldteam-2026")
    assert team.locator(INBOX_LINK).count() >= 1, "no 'Aanmeldingen' in the intake team's menu"
    assert team.locator(INBOX_LINK).first.inner_text().strip() == "Aanmeldingen"
    with team.expect_navigation():
        team.locator(INBOX_LINK).first.click()
    assert urlsplit(team.url).path == INBOX
    listing = team.locator("main").inner_text()
    assert record.reference in listing
    assert NAME in listing

    # An editor has no such menu item, and the address leads nowhere.
    editor = sign_in(new_guarded_context(), site_url, "redactie", "demo-redactie-2026")
    assert editor.locator("a[href='/admin/images/']").count() >= 1  # the menu is there
    assert editor.locator(INBOX_LINK).count() == 0, "editors see 'Aanmeldingen' in the menu"
    response = editor.goto(site_url(INBOX))
    assert response.status == 403 or urlsplit(editor.url).path != INBOX, (
        f"editor reached the inbox: {response.status} {editor.url}"
    )
    content = editor.content()
    assert NAME not in content
    assert record.reference not in content
    assert "geen toegang" in editor.locator("body").inner_text()

    assert offsite_requests == []


def test_second_step_page_shows_its_form_once(
    new_guarded_context, site_url, demo_content, offsite_requests
):
    """The admin's icon sprite must not be answered with the second-step page itself.

    Wagtail fetches /admin/sprite/ on every admin page and puts the answer at the top of the
    body; if the two-factor check redirects that fetch, a second copy of the code form (with
    next=/admin/sprite/) appears above the real one, and a code typed there lands the user on
    the raw sprite.
    """
    page = new_guarded_context().new_page()
    sprite_responses = []
    page.on(
        "response",
        lambda response: (
            sprite_responses.append((response.status, response.url))
            if urlsplit(response.url).path.startswith("/admin/sprite")
            else None
        ),
    )
    page.goto(site_url("/admin/login/"))
    page.fill("#id_username", "aanmeldteam")
    page.fill("#id_password", "demo-aanmeldteam-2026")
    page.wait_for_load_state("networkidle")
    sprite_responses.clear()  # the login page's own (fine) sprite
    submit_own_form(page)
    assert urlsplit(page.url).path == TWO_FACTOR_VERIFY
    page.wait_for_load_state("networkidle")

    forms = page.locator("form").count()
    assert forms == 1, (
        f"the second-step page shows {forms} forms; the icon sprite request got: "
        f"{sprite_responses} (RequireTwoFactorMiddleware redirects /admin/sprite/)"
    )
    assert offsite_requests == []
