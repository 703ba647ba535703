"""Every page in the sitemap, so that new pages are covered without touching this test.

Per page: axe (WCAG 2.2 A and AA) with zero violations; reflow without horizontal scrolling at
320 CSS px (400% zoom of a 1280 px window) and at 640 px (200% zoom); targets of at least
24 by 24 px (links inside running text excepted, as WCAG 2.5.8 does); nothing moving when the
visitor asked for reduced motion. The 500 page is not in the sitemap and is checked here too.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.test import RequestFactory

from doorvertellen.views import server_error
from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    axe_violations,
    format_violations,
    has_horizontal_scroll,
    page_structure_problems,
    widest_elements,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

LOC_RE = re.compile(r"<loc>([^<]+)</loc>")

SMALL_TARGETS_JS = """() => {
    const out = [];
    const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
    for (const el of document.querySelectorAll(selector)) {
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        if (style.display === "none" || style.visibility === "hidden" || !box.width) continue;
        if (box.bottom < 0 || box.right < 0) continue;  // the skip link, until focused
        // A link in a sentence may be as small as the text around it (WCAG 2.5.8, inline).
        if (el.tagName === "A" && style.display === "inline") continue;
        if (box.width < 24 || box.height < 24) {
            const cls = typeof el.className === "string" && el.className
                ? "." + el.className.trim().split(/\\s+/).join(".") : "";
            out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${cls}`
                + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return out;
}"""

MOVING_JS = """() => {
    const moving = document.getAnimations().filter(a => a.playState === "running");
    const smooth = getComputedStyle(document.documentElement).scrollBehavior === "smooth";
    return {moving: moving.length, smooth};
}"""


def sitemap_paths(page, site_url):
    response = page.request.get(site_url("/sitemap.xml"))
    assert response.ok
    return sorted({urlsplit(loc).path for loc in LOC_RE.findall(response.text())})


def problems_of(page):
    problems = page_structure_problems(page)
    violations = axe_violations(page)
    if violations:
        problems.append("axe (WCAG 2.2 AA):\n" + format_violations(violations))
    return problems


def reflow_problems(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    problems = []
    if has_horizontal_scroll(page):
        problems.append(f"horizontal scrolling at {width} px: {widest_elements(page)}")
    if width == 320:
        small = page.evaluate(SMALL_TARGETS_JS)
        if small:
            problems.append(f"targets smaller than 24 px at {width} px: {small}")
    page.set_viewport_size({"width": 1280, "height": 800})
    return problems


def test_every_page_in_the_sitemap(page, site_url, demo_content, offsite_requests):
    paths = sitemap_paths(page, site_url)
    # The demo site: home, stories, a documentary, landing pages, forms and their answers.
    assert len(paths) >= 15, paths
    report = {}
    for path in paths:
        response = page.goto(site_url(path))
        problems = [] if response.status == 200 else [f"HTTP status {response.status}"]
        problems += problems_of(page)
        problems += reflow_problems(page, 320)
        problems += reflow_problems(page, 640)
        if problems:
            report[path] = problems
    assert not report, "\n\n".join(f"== {path}\n" + "\n".join(p) for path, p in report.items())
    assert offsite_requests == []


def test_nothing_moves_for_visitors_who_asked_for_reduced_motion(
    new_guarded_context, site_url, demo_content
):
    page = new_guarded_context(reduced_motion="reduce").new_page()
    for path in sitemap_paths(page, site_url):
        page.goto(site_url(path))
        assert page.evaluate(MOVING_JS) == {"moving": 0, "smooth": False}, path


def test_the_500_page(page, site_url, demo_content):
    page.goto(site_url("/"))  # the error page's own files come from the site
    page.set_content(server_error(RequestFactory().get("/")).content.decode())
    page.wait_for_load_state()
    problems = problems_of(page) + reflow_problems(page, 320)
    assert problems == []
