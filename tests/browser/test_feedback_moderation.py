"""From a resident's suggestion to a public answer, in a real browser.

A resident sends a suggestion with contact details using only the keyboard; the feedback
coordinator signs in (with the second step), moderates it in the admin, writes the public
version and the answer, and merges a second suggestion into the same item. The public page then
shows the coordinator's words with the status and how many people raised it, and none of what
the resident typed; the resident gets one status message with nothing personal but a greeting.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from feedback.factories import SuggestionFactory
from feedback.models import Phase, PublicItem, Status, Suggestion, YouSaidWeDidPage
from tests.browser.helpers import (
    BROWSER_TEST_MARKS,
    assert_focus_visible,
    describe,
    focused,
    matches_focused,
    press_and_wait_for_navigation,
    sign_in,
    tab_to,
)

pytestmark = [pytest.mark.browser, *BROWSER_TEST_MARKS]

# Sentinels: none of these may ever appear on a public page or in the status message.
WHAT_HAPPENED = "Bij de balie in Zuidwijk moest ik hardop mijn schuld van 4312 euro noemen."
WHAT_BETTER = "Een aparte kamer voor het eerste gesprek, zodat niemand meeluistert."
NAME = "Margriet Oosterbroek"
EMAIL = "margriet.oosterbroek@voorbeeld.example"
PHONE = "06 48151623"
SECOND_TEXT = "Iedereen in de wachtkamer hoorde mijn verhaal, met mijn achternaam Pieterse."

# The coordinator's own words.
TITLE = "Meer privacy bij het eerste gesprek"
SUMMARY = "Mensen voelen zich niet op hun gemak als anderen kunnen meeluisteren."
ANSWER = "Vanaf volgend jaar voeren we elk eerste gesprek in een aparte kamer."

PHASE = Phase.FIRST_MEETING
ADMIN_FORM = "main form[method='post']"


def path_of(page):
    return urlsplit(page.url).path


def expect_focus(page, selector):
    assert matches_focused(page, selector), (
        f"expected focus on {selector!r}, found {describe(focused(page))}"
    )
    assert_focus_visible(page)


def type_into(page, selector, text):
    page.keyboard.press("Tab")
    expect_focus(page, selector)
    page.keyboard.type(text)


def send_suggestion_by_keyboard(page, url):
    page.goto(url)
    page.keyboard.press("Tab")
    expect_focus(page, "a.skip-link")
    page.keyboard.press("Enter")
    tab_to(page, "input[name='phase']")
    page.keyboard.press("Space")
    for _ in range(list(Phase.values).index(PHASE)):
        page.keyboard.press("ArrowDown")
    expect_focus(page, f"input[name='phase'][value='{PHASE}']:checked")
    type_into(page, "#id_what_happened", WHAT_HAPPENED)
    type_into(page, "#id_what_better", WHAT_BETTER)
    tab_to(page, "#id_contact_name")
    page.keyboard.type(NAME)
    type_into(page, "#id_contact_email", EMAIL)
    type_into(page, "#id_contact_phone", PHONE)
    tab_to(page, "form button[type='submit']")
    assert_focus_visible(page)
    press_and_wait_for_navigation(page)


def save_admin_form(page):
    with page.expect_navigation():
        page.locator(f"{ADMIN_FORM} button[type='submit']").first.click()


def status_mails(outbox):
    return [message for message in outbox if EMAIL in message.to]


def test_suggestion_is_moderated_merged_and_answered_publicly_without_personal_data(
    page, new_guarded_context, site_url, demo_content, mailoutbox, offsite_requests
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))
    answers_page = YouSaidWeDidPage.objects.live().get()
    suggestion_page = answers_page.get_parent().specific
    demo_suggestions = list(Suggestion.objects.values_list("pk", flat=True))

    # 1. A resident sends a suggestion with contact details, keyboard only.
    send_suggestion_by_keyboard(page, site_url(suggestion_page.url))
    assert path_of(page) == suggestion_page.url + "bedankt/"
    assert "Dan laten we het je weten." in page.locator("main").inner_text()
    before = set(demo_suggestions)
    new = [s for s in Suggestion.objects.all() if s.pk not in before]
    assert len(new) == 1, "the suggestion was not stored exactly once"
    suggestion = new[0]
    assert (suggestion.phase, suggestion.what_happened, suggestion.what_better) == (
        PHASE,
        WHAT_HAPPENED,
        WHAT_BETTER,
    )
    assert (suggestion.contact_name, suggestion.contact_email) == (NAME, EMAIL)
    assert suggestion.contact_phone.replace(" ", "") == PHONE.replace(" ", "")
    assert suggestion.status == Status.NEW
    # Someone else raised the same thing, anonymously.
    second = SuggestionFactory(phase=PHASE, what_happened=SECOND_TEXT)
    assert status_mails(mailoutbox) == []

    # 2. The coordinator signs in and finds it with the phase and status filters.
    admin = sign_in(new_guarded_context(), site_url, "feedback", "demo-feedback-2026")
    admin.goto(
        site_url(reverse("feedback_suggestions:index") + f"?phase={PHASE}&status={Status.NEW}")
    )
    listing = admin.locator("main")
    inspect_url = reverse("feedback_suggestions:inspect", args=[suggestion.pk])
    assert listing.locator(f"a[href='{inspect_url}']").count() == 1
    assert listing.locator(
        f"a[href='{reverse('feedback_suggestions:inspect', args=[second.pk])}']"
    ).count()
    assert WHAT_HAPPENED not in listing.inner_text()  # the list shows no contents
    with admin.expect_navigation():
        listing.locator(f"a[href='{inspect_url}']").click()
    details = admin.locator("main").inner_text()
    assert WHAT_HAPPENED in details and EMAIL in details  # only here, for the coordinator

    # Merge into a new public answer: written by the coordinator, nothing copied.
    admin.goto(site_url(reverse("feedback_suggestions:merge", args=[suggestion.pk])))
    save_admin_form(admin)
    assert path_of(admin) == reverse("feedback_public_items:add")
    assert admin.locator("#id_phase").input_value() == PHASE
    assert admin.locator("#id_title").input_value() == ""
    assert WHAT_HAPPENED not in admin.locator("#id_summary").input_value()
    admin.fill("#id_title", TITLE)
    admin.fill("#id_summary", SUMMARY)
    admin.select_option("#id_status", Status.PLANNED)
    admin.fill("#id_answer", ANSWER)
    admin.check("#id_published")
    save_admin_form(admin)
    item = PublicItem.objects.get(title=TITLE)
    assert (item.status, item.published, item.summary) == (Status.PLANNED, True, SUMMARY)
    suggestion.refresh_from_db()
    assert suggestion.public_item_id == item.pk

    # The second suggestion joins the same item.
    admin.goto(site_url(reverse("feedback_suggestions:merge", args=[second.pk])))
    admin.select_option("#id_public_item", str(item.pk))
    save_admin_form(admin)
    second.refresh_from_db()
    assert second.public_item_id == item.pk
    assert "Samengevoegd" in admin.locator("body").inner_text()

    # Saving again without a new status sends nothing more.
    admin.goto(site_url(reverse("feedback_public_items:edit", args=[item.pk])))
    assert "Er zijn 2 verbetervoorstellen samengevoegd" in admin.locator("main").inner_text()
    admin.fill("#id_answer", ANSWER + " Je hoort van ons als het zover is.")
    save_admin_form(admin)
    item.refresh_from_db()
    assert item.answer.endswith("zover is.")

    # 3. The public page: the coordinator's words, the status and "2 mensen", nothing personal.
    page.goto(site_url(answers_page.url))
    page.keyboard.press("Tab")
    expect_focus(page, "a.skip-link")
    tab_to(page, "#fase")
    page.select_option("#fase", PHASE)  # a native select: the keyboard opens it the same way
    page.keyboard.press("Tab")
    expect_focus(page, "form.filter button[type='submit']")
    press_and_wait_for_navigation(page)
    assert f"fase={PHASE}" in page.url
    answer = page.locator(".answer", has_text=TITLE)
    assert answer.count() == 1
    text = " ".join(answer.inner_text().split())
    assert "Status: Gepland" in text
    assert "2 mensen zeiden dit" in text
    assert SUMMARY in text and ANSWER in text
    public = page.content()
    for private in (WHAT_HAPPENED, WHAT_BETTER, NAME, EMAIL, PHONE, SECOND_TEXT, "Pieterse"):
        assert private not in public, f"{private!r} is on the public page"

    # 4. One status message, only to the resident, with nothing but a greeting and a link.
    mails = status_mails(mailoutbox)
    assert len(mails) == 1, [message.subject for message in mails]
    message = mails[0]
    assert message.to == [EMAIL]
    body = message.subject + "\n" + message.body
    assert "Hallo Margriet Oosterbroek," in body
    assert "Gepland" in body
    assert answers_page.url in body
    for private in (WHAT_HAPPENED, WHAT_BETTER, EMAIL, PHONE, SECOND_TEXT, TITLE, SUMMARY):
        assert private not in body, f"{private!r} is in the status message"
    assert errors == []
    assert offsite_requests == []
