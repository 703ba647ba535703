"""WCAG 2.2 AA, as far as axe-core can tell, on every kind of public page.

Each test visits several pages on one load of the demo content and reports every problem of
every page at once: the rule, its impact, the elements (CSS selectors) and how to fix it.
"""

import pytest

from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    axe_violations,
    format_violations,
    page_structure_problems,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]


class PageAudit:
    """Collects the problems of each page visited, to fail once with all of them."""

    def __init__(self, page):
        self.page = page
        self.problems = {}
        self.audited = []

    def __call__(self, label, expected_status=200, response=None):
        problems = []
        if response is not None and response.status != expected_status:
            problems.append(f"HTTP status {response.status}, expected {expected_status}")
        problems += page_structure_problems(self.page)
        violations = axe_violations(self.page)
        if violations:
            problems.append("axe (WCAG 2.2 AA):\n" + format_violations(violations))
        if problems:
            self.problems[f"{label} ({self.page.url})"] = problems
        self.audited.append(label)

    def report(self):
        return "\n\n".join(
            f"== {label}\n" + "\n".join(problems) for label, problems in self.problems.items()
        )

    def assert_no_problems(self):
        if self.problems:
            pytest.fail(f"{len(self.problems)} page(s) with problems:\n\n{self.report()}")


def submit(page, data=None):
    """Send the intake form with `data` (field id -> value; True ticks a box)."""
    for field_id, value in (data or {}).items():
        if value is True:
            page.check(f"#{field_id}")
        else:
            page.fill(f"#{field_id}", value)
    with page.expect_navigation() as navigation:
        page.locator("form button[type='submit']").click()
    return navigation.value


def test_reading_pages(page, site_url, demo_content, offsite_requests):
    audit = PageAudit(page)
    story = demo_content.stories[0]
    theme = story.themes.first()

    audit("home", response=page.goto(site_url("/")))
    audit("story index", response=page.goto(site_url(demo_content.story_index.url)))

    response = page.goto(site_url(f"{demo_content.story_index.url}?thema={theme.slug}"))
    assert page.locator(".story-card").count() >= 1
    audit(f"story index, theme {theme.name}", response=response)

    response = page.goto(site_url(f"{demo_content.story_index.url}?thema=bestaat-niet"))
    assert page.locator(".story-card").count() == 0
    audit("story index, a theme without stories", response=response)

    audit("story", response=page.goto(site_url(story.url)))
    audit("privacy statement", response=page.goto(site_url(demo_content.privacy.url)))

    response = page.goto(site_url("/zoeken/?q=energierekening"))
    assert page.locator(".search-results a").count() >= 1, "search found no story"
    audit("search results", response=response)

    audit(
        "page not found",
        expected_status=404,
        response=page.goto(site_url("/deze-pagina-bestaat-niet/")),
    )

    assert len(audit.audited) == 8
    audit.assert_no_problems()
    assert offsite_requests == []


def test_intake_pages(page, site_url, demo_content, offsite_requests):
    audit = PageAudit(page)
    intake_url = site_url(demo_content.intake.url)

    audit("intake form", response=page.goto(intake_url))

    response = submit(page)
    assert page.locator(".error-summary").is_visible()
    audit("intake form with errors", expected_status=400, response=response)

    page.goto(intake_url)
    response = submit(
        page,
        {"id_name": "Noor", "id_phone": "0612345678", "id_postcode": "9999 AA", "id_consent": True},
    )
    assert page.url.endswith("/buiten-ons-gebied/")
    audit("outside the service area", response=response)

    page.goto(intake_url)
    response = submit(
        page,
        {"id_name": "Noor", "id_phone": "0612345678", "id_postcode": "3311 AB", "id_consent": True},
    )
    assert page.url.endswith("/bedankt/")
    audit("thank you", response=response)

    assert len(audit.audited) == 4
    audit.assert_no_problems()
    assert offsite_requests == []
