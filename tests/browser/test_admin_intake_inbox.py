"""Smoke test of the intake inbox: the intake team sees a new sign-up, the editors do not."""

from urllib.parse import urlsplit

import pytest

from doorvertellen.models import IntakeRecord
from tests.browser.helpers import BROWSER_TEST_MARKS

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

INBOX = "/admin/aanmeldingen/"
INBOX_LINK = f"a[href='{INBOX}']"
NAME = "Kees de Boer"


def log_in(context, site_url, username, password):
    page = context.new_page()
    page.goto(site_url("/admin/login/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("form button[type='submit']").first.click()
    assert urlsplit(page.url).path == "/admin/", f"{username} could not log in: {page.url}"
    # The sidebar is drawn by script; the account menu appears last.
    page.locator("a[href='/admin/account/']").first.wait_for(state="attached")
    return page


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
    team = log_in(new_guarded_context(), site_url, "aanmeldteam", "demo-aanmeldteam-2026")
    assert team.locator(INBOX_LINK).count() >= 1, "no 'Aanmeldingen' in the intake team's menu"
    assert team.locator(INBOX_LINK).first.inner_text().strip() == "Aanmeldingen"
    with team.expect_navigation():
        team.locator(INBOX_LINK).first.click()
    assert urlsplit(team.url).path == INBOX
    listing = team.locator("main").inner_text()
    assert record.reference in listing
    assert NAME in listing

    # An editor has no such menu item, and the address leads nowhere.
    editor = log_in(new_guarded_context(), site_url, "redactie", "demo-redactie-2026")
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
