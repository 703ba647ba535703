"""The filters and the search, with the keyboard only: choose, send, land on what was chosen.

The forms (intake, suggestion, story offer, "was this useful?", consent links) and the video
player have their own keyboard tests beside their other browser tests.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from feedback.models import YouSaidWeDidPage
from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    assert_focus_visible,
    describe,
    focused,
    matches_focused,
    press_and_wait_for_navigation,
    tab_to,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]


def choose_with_arrows(page, select, steps=1):
    """Move a focused, closed <select> down by `steps` options, as a keyboard user does."""
    before = page.eval_on_selector(select, "el => el.selectedIndex")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")
    after = page.eval_on_selector(select, "el => el.selectedIndex")
    assert after == before + steps, f"the arrow keys did not move {select}"
    return page.eval_on_selector(select, "el => el.value")


def query_of(page):
    return parse_qs(urlsplit(page.url).query)


def test_story_themes_by_keyboard(page, site_url, demo_content):
    page.goto(site_url(demo_content.story_index.url))
    tab_to(page, "select#thema")
    assert_focus_visible(page)
    slug = choose_with_arrows(page, "select#thema")
    page.keyboard.press("Tab")
    assert matches_focused(page, "form.filter button[type='submit']"), describe(focused(page))
    assert_focus_visible(page)
    press_and_wait_for_navigation(page)

    assert query_of(page)["thema"] == [slug]
    assert page.eval_on_selector("select#thema", "el => el.value") == slug
    titles = page.locator(".story-card h2, .story-card h3").all_inner_texts()
    expected = {
        story.title
        for story in demo_content.stories
        if slug in {t.slug for t in story.themes.all()}
    }
    assert titles and set(titles) <= expected

    # On to a story from the filtered list, still by keyboard.
    tab_to(page, ".story-card a")
    target = urlsplit(focused(page)["href"]).path
    press_and_wait_for_navigation(page)
    assert urlsplit(page.url).path == target


def test_answers_by_phase_by_keyboard(page, site_url, demo_content):
    answers = YouSaidWeDidPage.objects.live().get()
    page.goto(site_url(answers.url))
    tab_to(page, "select#fase")
    assert_focus_visible(page)
    phase = choose_with_arrows(page, "select#fase")
    tab_to(page, "form.filter button[type='submit']", limit=2)
    press_and_wait_for_navigation(page)

    assert query_of(page)["fase"] == [phase]
    assert page.eval_on_selector("select#fase", "el => el.value") == phase
    assert "antwoord" in page.locator(".result-count").inner_text()


def test_search_by_keyboard(page, site_url, demo_content):
    story = demo_content.stories[0]
    word = story.title.split()[-1].strip(".,!?")
    page.goto(site_url("/"))
    tab_to(page, "footer a[href='/zoeken/']")
    press_and_wait_for_navigation(page)
    tab_to(page, "input#q")
    assert_focus_visible(page)
    page.keyboard.type(word)
    press_and_wait_for_navigation(page)
    assert query_of(page)["q"] == [word]

    tab_to(page, ".search-results a")
    assert_focus_visible(page)
    target = urlsplit(focused(page)["href"]).path
    press_and_wait_for_navigation(page)
    assert urlsplit(page.url).path == target
