"""Other languages in a real browser: Arabic reads right to left, on a phone and a desktop.

The screenshots are checked, not compared with stored pictures: in the right-to-left page the
site's name, the heading and the text start at the right edge, the page never scrolls
sideways, and the switcher takes the reader to the same page in another language.
"""

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import BROWSER_TEST_MARKS, page_structure_problems

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

SIZES = [(360, 780), (1280, 900)]


def line_margins(path):
    """For each line of dark text in the picture: (space on its left, space on its right)."""
    image = Image.open(path).convert("L")
    width, height = image.size
    pixels = image.load()
    rows = [[x for x in range(width) if pixels[x, y] < 90] for y in range(height)]
    margins, band = [], []
    for ink in [*rows, []]:
        if ink:
            band.append(ink)
        elif band:
            left = min(row[0] for row in band)
            right = max(row[-1] for row in band)
            margins.append((left, width - 1 - right))
            band = []
    return margins


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_arabic_pages_read_right_to_left(
    new_guarded_context, site_url, demo_content, tmp_path, width, height
):
    context = new_guarded_context(viewport={"width": width, "height": height})
    page = context.new_page()
    clearly_right = []
    for path in ("/ar/", "/ar/aanmelden/", "/ar/verhalen/de-post-niet-meer-open/"):
        page.goto(site_url(path))
        assert page_structure_problems(page) == [], path
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {width} px"

        heading = page.locator("main h1").first.bounding_box()
        main = page.locator("main .container").first.bounding_box()
        # Right-aligned: the heading ends at the right edge of its column, not the left.
        assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 40, path

        # The picture itself: every line of the heading hugs the right edge.
        shot = tmp_path / f"{path.strip('/').replace('/', '-')}-{width}.png"
        page.locator("main h1").first.screenshot(path=str(shot))
        lines = line_margins(shot)
        assert lines, f"no heading text to be seen in {shot.name}"
        for left, right in lines:
            assert right <= left + 4, f"a line of the heading starts on the left in {shot.name}"
        clearly_right.append(max(left - right for left, right in lines))
        page.screenshot(path=str(tmp_path / f"page-{shot.name}"), full_page=True)
        name = page.locator(".site-header__name").bounding_box()
        header = page.locator(".site-header").bounding_box()
        assert name["x"] + name["width"] > header["width"] * 0.6, "the site's name is not right"
    # At least one heading is short enough to show which side it starts from.
    assert max(clearly_right) > 20


def test_the_switcher_leads_to_the_same_page_in_another_language(page, site_url, demo_content):
    page.goto(site_url("/verhalen/de-post-niet-meer-open/"))
    assert page.evaluate("document.documentElement.lang") == "nl"
    switcher = page.get_by_role("navigation", name="Taal / Language")
    # The address changes as soon as the browser commits to the new page, before the new
    # document exists: wait for it to load, then read it.
    with page.expect_navigation(wait_until="load"):
        switcher.get_by_role("link", name="العربيّة").click()
    assert page.url.endswith("/ar/verhalen/de-post-niet-meer-open/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("navigation", name="اللغة / Language").get_by_role(
            "link", name="English"
        ).click()
    assert page.url.endswith("/en/verhalen/de-post-niet-meer-open/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page_structure_problems(page) == []


def test_signing_up_in_arabic_with_the_keyboard(page, site_url, demo_content):
    from doorvertellen.models import IntakeRecord

    page.goto(site_url("/ar/aanmelden/"))
    page.locator("input[name=name]").fill("سارة")
    page.locator("input[name=phone]").fill("0612345678")
    page.locator("input[name=postcode]").fill("3311 AB")
    page.locator("input[name=consent]").focus()
    page.keyboard.press("Space")
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "ar"
    record = IntakeRecord.objects.get()
    assert record.language == "ar"
    assert record.name == "سارة"


# The left edge of each character (spaces aside) of `example` where the element's text has it.
EXAMPLE_POSITIONS = """(element, example) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const start = node.data.indexOf(example);
        if (start < 0) continue;
        const positions = [];
        for (let i = start; i < start + example.length; i++) {
            if (node.data[i] === " ") continue;
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            positions.push(range.getBoundingClientRect().left);
        }
        return positions;
    }
    return null;
}"""


def shown_left_to_right(locator, example):
    positions = locator.evaluate(EXAMPLE_POSITIONS, example)
    assert positions is not None, f"{example!r} is not there"
    return positions == sorted(positions)


@pytest.mark.parametrize("path", ["/ar/", "/ar/aanmelden/", "/ar/contact/"])
def test_phone_numbers_read_left_to_right_on_an_arabic_page(page, site_url, demo_content, path):
    """In right-to-left text the groups of "010 123 45 67" would come out in reverse order."""
    page.goto(site_url(path))
    links = page.locator('a[href^="tel:"], a[href^="https://wa.me/"]')
    numbers = 0
    for index in range(links.count()):
        text = links.nth(index).inner_text().strip()
        if any(character.isdigit() for character in text):
            numbers += 1
            assert shown_left_to_right(links.nth(index), text), f"{text!r} on {path} is reversed"
    assert numbers, f"no phone number on {path}"


def test_the_arabic_form_shows_and_takes_numbers_and_postcodes_left_to_right(
    page, site_url, demo_content
):
    """The examples under the fields look like what is typed: "06 12345678", "3311 AB"."""
    page.goto(site_url("/ar/aanmelden/"))
    hints = {"#id_phone_helptext": "06 12345678", "#id_postcode_helptext": "3311 AB"}
    for hint, example in hints.items():
        assert shown_left_to_right(page.locator(hint), example), f"{example!r} is reversed"
    for field in ("#id_phone", "#id_email", "#id_postcode"):
        style = page.locator(field).evaluate(
            "field => [getComputedStyle(field).direction, getComputedStyle(field).textAlign]"
        )
        assert style == ["ltr", "right"], field
