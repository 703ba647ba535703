"""From a QR code on a poster to a sign-up, as a browser walks it, and the figures after it."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    axe_violations,
    format_violations,
    has_horizontal_scroll,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

# Headless Chromium says so in its user agent and is, rightly, not counted as a visitor.
PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "user_agent": PHONE_BROWSER}


def count_rows():
    from campagnes.models import DailyCount

    return {
        (row.day, row.event, row.code, row.page_id, row.variant, row.detail, row.variant_page): (
            row.count
        )
        for row in DailyCount.objects.all()
    }


def test_poster_code_to_landing_page_to_story_to_sign_up(page, site_url, demo_content):
    from campagnes.figures import funnels
    from campagnes.models import TrackedLink
    from doorvertellen.models import IntakeRecord

    poster = TrackedLink.objects.get(label="Poster mbo-school")
    before = count_rows()

    # The resident types the short address from the poster, in lower case.
    page.goto(site_url(f"/c/{poster.code.lower()}"))
    assert urlsplit(page.url).path == "/rood-staan/"
    assert parse_qs(urlsplit(page.url).query)["c"] == [poster.code]
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    # A story card on the landing page keeps the code.
    with page.expect_navigation():
        page.locator(".story-card a").first.click()
    story_url = urlsplit(page.url)
    assert parse_qs(story_url.query)["c"] == [poster.code]
    from verhalen.models import StoryPage

    story = StoryPage.objects.get(
        slug=story_url.path.strip("/").split("/")[-1], locale__language_code="nl"
    )

    # Its call to action leads to the form, carrying the story and the code.
    with page.expect_navigation():
        page.locator(".cta a.button").first.click()
    query = parse_qs(urlsplit(page.url).query)
    assert query["c"] == [poster.code]
    assert query["verhaal"] == [str(story.pk)]
    page.fill("#id_name", "Mo")
    page.fill("#id_phone", "06 12345678")
    page.fill("#id_postcode", "3311 AB")
    page.check("#id_consent")
    with page.expect_navigation():
        page.locator("form button[type='submit']").click()
    assert "bedankt" in page.url

    record = IntakeRecord.objects.get()
    assert record.campaign_code == poster.code
    assert record.source_story_id == story.pk

    # Exactly the right rows went up by one: on the story page, under the poster's code.
    after = count_rows()
    today = timezone.localdate()
    changed = {
        key: after[key] - before.get(key, 0) for key in after if after[key] != before.get(key, 0)
    }
    landing = poster.campaign.landing_page_id
    (landing_view,) = [key for key in changed if key[3] == landing]
    assert landing_view[:4] == (today, "view", poster.code, landing)
    assert landing_view[4] in ("A", "B")  # the headline version this view was given
    assert changed[landing_view] == 1
    # The version seen on the landing page came along through the story.
    version = landing_view[4]
    assert (record.campaign_variant, record.campaign_page_id) == (version, landing)
    # The story's own view carries no version: views of a version are those of its page.
    assert changed[(today, "view", poster.code, story.pk, "", "", 0)] == 1
    for event in ("cta_click", "started", "submitted"):
        assert changed[(today, event, poster.code, story.pk, version, "", landing)] == 1
    assert len(changed) == 5

    channel = next(
        row for row in funnels(today, today)["channel"] if row.label.endswith("Poster mbo-school")
    )
    submitted_before = sum(
        n for k, n in before.items() if k[:3] == (today, "submitted", poster.code)
    )
    assert channel.counts["submitted"] == submitted_before + 1


def test_landing_page_and_print_page_pass_axe_and_fit_a_phone(page, site_url, demo_content):
    from campagnes.models import TrackedLink

    page.set_viewport_size({"width": 360, "height": 800})
    for path in ("/rood-staan/", "/post-open/", "/zelfstandig/"):
        page.goto(site_url(path))
        violations = axe_violations(page)
        assert not violations, f"{path}\n{format_violations(violations)}"
        assert not has_horizontal_scroll(page), path

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url("/admin/login/"))
    page.fill("#id_username", "redactie")
    page.fill("#id_password", "demo-redactie-2026")
    with page.expect_navigation():
        page.locator("button[type='submit']").click()
    link = TrackedLink.objects.get(label="Flyer jongerenwerk")
    page.goto(site_url(f"/admin/campagnes/links/{link.pk}/afdrukken/"))
    assert page.locator("svg").count() == 1
    assert f"/c/{link.code}" in page.inner_text("body")
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
