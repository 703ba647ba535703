"""Denk mee and "Jullie zeiden, wij deden" in a real browser: keyboard only, without
JavaScript, on a small screen, and checked by axe for WCAG 2.2 AA."""

from urllib.parse import urlsplit

import pytest

from feedback.models import Phase, PublicItem, Status, Suggestion
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

WHAT_HAPPENED = "Ik kreeg een brief die ik niet begreep."
WHAT_BETTER = "Schrijf brieven in gewone taal, met een telefoonnummer erbij."


@pytest.fixture
def feedback_pages(live_server):
    """A home page with Denk mee and its answers page under it, in the live server's database."""
    from wagtail.models import Site

    from doorvertellen.factories import make_home_site
    from feedback.factories import SuggestionPageFactory, YouSaidWeDidPageFactory

    home = make_home_site()
    suggestion_page = SuggestionPageFactory(parent=home)
    answers_page = YouSaidWeDidPageFactory(parent=suggestion_page)
    suggestion_page.answers_page = answers_page
    suggestion_page.save()
    Site.clear_site_root_paths_cache()
    return suggestion_page, answers_page


def path_of(page):
    return urlsplit(page.url).path


def expect_focus(page, selector):
    assert matches_focused(page, selector), (
        f"expected focus on {selector!r}, found {describe(focused(page))}"
    )
    assert_focus_visible(page)


def test_keyboard_only_suggestion_with_one_error_then_the_public_answer(
    page, site_url, feedback_pages, offsite_requests
):
    suggestion_page, answers_page = feedback_pages
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))

    page.goto(site_url(suggestion_page.url))
    page.keyboard.press("Tab")
    expect_focus(page, "a.skip-link")
    page.keyboard.press("Enter")

    # The phase: the first radio button, chosen with Space; then on to "Brieven en contact".
    tab_to(page, "input[name='phase']")
    expect_focus(page, "#id_phase_0")
    page.keyboard.press("Space")
    for _ in range(list(Phase.values).index(Phase.LETTERS)):
        page.keyboard.press("ArrowDown")
    expect_focus(page, f"input[name='phase'][value='{Phase.LETTERS}']:checked")
    page.keyboard.press("Tab")
    expect_focus(page, "#id_what_happened")
    page.keyboard.type(WHAT_HAPPENED)
    page.keyboard.press("Tab")
    expect_focus(page, "#id_what_better")  # forgotten: the one error
    tab_to(page, "form button[type='submit']")
    assert_focus_visible(page)
    press_and_wait_for_navigation(page)

    # Back with a kind summary, and what was typed is still there.
    assert path_of(page) == suggestion_page.url
    summary = page.locator(".error-summary")
    assert "Vertel kort wat er beter kan." in summary.inner_text()
    assert page.locator("#id_what_happened").input_value() == WHAT_HAPPENED
    assert page.locator(f"#id_phase_{list(Phase.values).index(Phase.LETTERS)}").is_checked()
    assert not Suggestion.objects.exists()

    # The summary's link leads to the field.
    page.keyboard.press("Tab")
    expect_focus(page, "a.skip-link")
    page.keyboard.press("Enter")
    tab_to(page, ".error-summary a")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    if not matches_focused(page, "#id_what_better"):
        tab_to(page, "#id_what_better", limit=3)
    assert_focus_visible(page)
    page.keyboard.type(WHAT_BETTER)
    tab_to(page, "form button[type='submit']")
    press_and_wait_for_navigation(page)

    assert path_of(page) == suggestion_page.url + "bedankt/"
    main = page.locator("main").inner_text()
    assert "binnen twee weken" in main
    suggestions = list(Suggestion.objects.all())
    assert len(suggestions) == 1
    suggestion = suggestions[0]
    assert (suggestion.phase, suggestion.what_happened, suggestion.what_better) == (
        Phase.LETTERS,
        WHAT_HAPPENED,
        WHAT_BETTER,
    )
    assert not suggestion.has_contact

    # The coordinator answers in their own words and publishes it.
    item = PublicItem.objects.create(
        title="Brieven in gewone taal",
        summary="Mensen begrijpen onze brieven niet goed.",
        phase=Phase.LETTERS,
        status=Status.CHANGED,
        answer="Al onze brieven zijn herschreven in gewone taal.",
        change_url="https://www.example.org/brieven",
        published=True,
    )
    suggestion.public_item = item
    suggestion.save()

    # From the thanks page to the answers, by keyboard.
    tab_to(page, f"main a[href='{answers_page.url}']")
    press_and_wait_for_navigation(page)
    assert path_of(page) == answers_page.url
    answer = page.locator(".answer", has_text="Brieven in gewone taal")
    text = answer.inner_text()
    assert "Status: Veranderd" in " ".join(text.split())
    assert "Al onze brieven zijn herschreven in gewone taal." in text
    assert WHAT_HAPPENED not in page.locator("main").inner_text()
    assert errors == []


def test_suggestion_without_javascript_on_a_small_screen(
    new_guarded_context, site_url, feedback_pages, offsite_requests
):
    suggestion_page, answers_page = feedback_pages
    context = new_guarded_context(
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()

    def no_sideways_scroll(label):
        assert not has_horizontal_scroll(page), (
            f"{label} scrolls sideways at 360 px: {widest_elements(page)}"
        )

    page.goto(site_url(suggestion_page.url))
    no_sideways_scroll("form")
    with page.expect_navigation():
        page.locator("form button[type='submit']").click()
    assert page.locator(".error-summary").is_visible()
    no_sideways_scroll("form with errors")

    page.check("#id_phase_1")
    page.fill("#id_what_happened", WHAT_HAPPENED)
    page.fill("#id_what_better", WHAT_BETTER)
    page.fill("#id_contact_email", "fatima@example.org")
    page.check("#id_wants_panel")
    with page.expect_navigation():
        page.locator("form button[type='submit']").click()
    assert path_of(page) == suggestion_page.url + "bedankt/"
    assert "Dan laten we het je weten." in page.locator("main").inner_text()
    no_sideways_scroll("thanks")
    suggestions = list(Suggestion.objects.all())
    assert [(s.contact_email, s.wants_panel) for s in suggestions] == [("fatima@example.org", True)]

    PublicItem.objects.create(
        title="Een heel lang woord: schuldhulpverleningstrajectbegeleidingsgesprek",
        summary="Mensen wachten te lang.",
        phase=Phase.FIRST_MEETING,
        status=Status.PLANNED,
        published=True,
    )
    page.goto(site_url(answers_page.url))
    page.select_option("#fase", Phase.FIRST_MEETING)
    with page.expect_navigation():
        page.locator("form.filter button[type='submit']").click()
    assert f"fase={Phase.FIRST_MEETING}" in page.url
    assert page.locator(".answer").count() == 1
    no_sideways_scroll("answers, filtered")
    assert offsite_requests == []


def test_no_wcag_violations_on_the_feedback_pages(page, site_url, feedback_pages):
    suggestion_page, answers_page = feedback_pages
    problems = {}

    def audit(label, expected_status=200, response=None):
        found = []
        if response is not None and response.status != expected_status:
            found.append(f"HTTP status {response.status}, expected {expected_status}")
        found += page_structure_problems(page)
        violations = axe_violations(page)
        if violations:
            found.append("axe (WCAG 2.2 AA):\n" + format_violations(violations))
        if found:
            problems[f"{label} ({page.url})"] = found

    audit("suggestion form", response=page.goto(site_url(suggestion_page.url)))
    with page.expect_navigation() as navigation:
        page.locator("form button[type='submit']").click()
    assert page.locator(".error-summary").is_visible()
    audit("suggestion form with errors", expected_status=400, response=navigation.value)

    page.check("#id_phase_0")
    page.fill("#id_what_happened", WHAT_HAPPENED)
    page.fill("#id_what_better", WHAT_BETTER)
    with page.expect_navigation() as navigation:
        page.locator("form button[type='submit']").click()
    assert path_of(page) == suggestion_page.url + "bedankt/"
    audit("thanks", response=navigation.value)

    for number, status in enumerate(Status):
        PublicItem.objects.create(
            title=f"Voorstel {number}",
            summary="Mensen zeiden iets.",
            phase=Phase.LETTERS if number % 2 else Phase.WEBSITE,
            status=status,
            answer="Dit doen we ermee.",
            change_url="https://www.example.org/" if status == Status.CHANGED else "",
            published=True,
        )
    audit("answers", response=page.goto(site_url(answers_page.url)))
    audit("answers, empty filter", response=page.goto(site_url(answers_page.url + "?fase=")))
    response = page.goto(site_url(f"{answers_page.url}?fase={Phase.LETTERS}"))
    assert page.locator(".answer").count() >= 1
    audit("answers, filtered", response=response)
    response = page.goto(site_url(f"{answers_page.url}?fase={Phase.AFTERCARE}"))
    assert page.locator(".answer").count() == 0
    audit("answers, a phase without answers", response=response)

    if problems:
        pytest.fail(
            "\n\n".join(f"== {label}\n" + "\n".join(found) for label, found in problems.items())
        )
