"""The plain-language check in the admin: the panel in every page editor, the live check,
the publish confirmation, the report of pages harder than B1 and the list of difficult words.
"""

import pytest
from django.urls import reverse
from wagtail.models import get_page_models
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from doorvertellen.factories import StandardPageFactory, paragraph
from doorvertellen.models import JargonTerm, StandardPage
from doorvertellen.plain_language_admin import check_page, page_texts
from tests.helpers import text
from verhalen.models import StoryPage

pytestmark = pytest.mark.django_db

EASY = "Je bent niet de enige. We helpen je. Bel ons gerust."
HARD = (
    "De schuldhulpverlening organiseert een saneringskrediet bij de gemeentelijke "
    "kredietbank voor inwoners met problematische schulden en een beperkte "
    "aflossingscapaciteit."
)


@pytest.fixture
def page(home):
    return StandardPageFactory(
        parent=home, title="Hulp", slug="hulp", introduction=EASY, body=paragraph(EASY)
    )


def form_data(page, introduction, publish=False, confirm=False, body=EASY):
    values = {
        "title": page.title,
        "slug": page.slug,
        "introduction": introduction,
        "body": streamfield([("paragraph", rich_text(f"<p>{body}</p>"))]),
    }
    if publish:
        values["action-publish"] = "publish"
    if confirm:
        values["plain_language_confirmed"] = "on"
    return nested_form_data(values)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


# --- The panel ------------------------------------------------------------------------------


def test_every_public_page_type_has_the_check_in_its_editor():
    checked = [m for m in get_page_models() if getattr(m, "plain_language_checked", False)]
    names = {m.__name__ for m in checked}
    assert {
        "HomePage",
        "StandardPage",
        "IntakePage",
        "StoryIndexPage",
        "StoryPage",
        "DocumentaryPage",
        "CampaignLandingPage",
        "SuggestionPage",
        "StoryOfferPage",
        "YouSaidWeDidPage",
    } <= names
    for model in checked:
        handler = model.get_edit_handler()
        assert "plain_language_confirmed" in handler.get_form_class().base_fields
        content_tab = handler.children[0]
        assert type(content_tab.children[0]).__name__ == "PlainLanguagePanel", model


def test_the_texts_a_resident_reads_are_checked(story):
    labels = [label for label, _text in page_texts(story.specific)]
    for label in ("Titel", "Citaat", "In het kort", "Het verhaal"):
        assert any(label.lower() in found.lower() for found in labels), (label, labels)
    assert not any("naam van de verteller" in found.lower() for found in labels)


def test_panel_shows_score_long_sentences_and_words(client, editor, home):
    hard = StandardPageFactory(parent=home, title="Regeling", introduction=HARD)
    client.force_login(editor)
    response = client.get(edit_url(hard))
    assert response.status_code == 200
    body = text(response)
    assert "Leesbaarheid (B1)" in body
    assert "moeilijker dan B1" in body
    assert "1 lange zin (meer dan 15 woorden)" in body
    assert '<mark class="plain-language__long">schuldhulpverlening</mark>' in body
    assert f'data-check-url="/admin/leesbaarheid/pagina/{hard.pk}/"' in body
    assert "js/plain_language.js" in body


def test_panel_shows_the_check_after_saving_a_draft_without_javascript(client, editor, page):
    client.force_login(editor)
    response = client.post(edit_url(page), form_data(page, HARD))
    assert response.status_code == 302
    body = text(client.get(edit_url(page)))
    assert "moeilijker dan B1" in body
    assert "aflossingscapaciteit" in body


def test_panel_names_jargon_with_its_plain_alternative(client, editor, page):
    client.force_login(editor)
    client.post(edit_url(page), form_data(page, "Toen kwam de deurwaarder."))
    body = text(client.get(edit_url(page)))
    assert '<mark class="plain-language__jargon-term">deurwaarder</mark>' in body
    assert "iemand die geld komt ophalen" in body


# --- The live check ---------------------------------------------------------------------------


def test_live_check_judges_the_form_without_saving(client, editor, page):
    client.force_login(editor)
    revisions = page.revisions.count()
    url = reverse("plain_language_check_page", args=[page.pk])
    response = client.post(url, form_data(page, HARD))
    assert response.status_code == 200
    body = text(response)
    assert "moeilijker dan B1" in body
    assert "schuldhulpverlening" in body
    page.refresh_from_db()
    assert page.revisions.count() == revisions
    assert page.introduction == EASY

    easy = text(client.post(url, form_data(page, EASY)))
    assert "goed te lezen" in easy


def test_live_check_of_a_new_page(client, editor, home):
    client.force_login(editor)
    url = reverse("plain_language_check_new", args=["doorvertellen", "standardpage", home.pk])
    data = nested_form_data(
        {
            "title": "",
            "slug": "",
            "introduction": HARD,
            "body": streamfield([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "moeilijker dan B1" in text(response)
    assert not StandardPage.objects.filter(introduction=HARD).exists()


def test_live_check_needs_the_right_to_edit(client, intake_member, page, home):
    client.force_login(intake_member)
    url = reverse("plain_language_check_page", args=[page.pk])
    new = reverse("plain_language_check_new", args=["doorvertellen", "standardpage", home.pk])
    for address in (url, new):
        response = client.post(address, form_data(page, HARD))
        assert response.status_code in (302, 403)  # Wagtail sends them back to the dashboard
        assert "schuldhulpverlening" not in text(response)


def test_live_check_refuses_what_it_cannot_check(client, editor, page, home):
    client.force_login(editor)
    url = reverse("plain_language_check_page", args=[page.pk])
    assert client.get(url).status_code == 405
    unknown = reverse("plain_language_check_new", args=["doorvertellen", "nothing", home.pk])
    assert client.post(unknown, {}).status_code == 404


def test_live_check_needs_a_sign_in(page):
    from django.test import Client

    response = Client().post(reverse("plain_language_check_page", args=[page.pk]), {})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- Publishing ---------------------------------------------------------------------------


def test_publishing_a_hard_page_asks_for_confirmation(client, editor, page):
    client.force_login(editor)
    response = client.post(edit_url(page), form_data(page, HARD, publish=True))
    assert response.status_code == 200
    body = text(response)
    assert "Deze tekst is moeilijker dan B1" in body
    assert HARD in body  # what the editor wrote is still there
    page.refresh_from_db()
    assert page.introduction == EASY
    assert not page.has_unpublished_changes or page.live_revision.as_object().introduction == EASY


def test_publishing_a_hard_page_with_confirmation(client, editor, page):
    client.force_login(editor)
    response = client.post(edit_url(page), form_data(page, HARD, publish=True, confirm=True))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.introduction == HARD


def test_publishing_an_easy_page_needs_no_confirmation(client, editor, page):
    client.force_login(editor)
    easy = "We bellen je terug. Dat is gratis."
    response = client.post(edit_url(page), form_data(page, easy, publish=True))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.introduction == easy


def test_saving_a_hard_draft_needs_no_confirmation(client, editor, page):
    client.force_login(editor)
    response = client.post(edit_url(page), form_data(page, HARD))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().introduction == HARD


def test_a_story_asks_for_both_consent_and_confirmation(client, superuser, story):
    """The story's own form (consent rules) also asks for the confirmation."""
    form_class = StoryPage.get_edit_handler().get_form_class()
    assert "plain_language_confirmed" in form_class.base_fields


# --- The report -----------------------------------------------------------------------------


def test_report_lists_live_pages_above_b1_with_their_worst_sentences(client, editor, page, home):
    hard = StandardPageFactory(parent=home, title="Regeling", slug="regeling", introduction=HARD)
    hard_draft = StandardPageFactory(parent=home, title="Concept", introduction=HARD, live=False)
    client.force_login(editor)
    response = client.get(reverse("plain_language_report"))
    assert response.status_code == 200
    body = text(response)
    assert "Moeilijker dan B1" in body
    assert hard.title in body
    assert HARD in body  # its worst sentence
    score = check_page(hard).rounded_score
    assert score < 60
    assert f"<td >\n    {score}\n</td>" in body  # its score
    assert "(Titel)" not in body  # a one-word title is no sentence to start with
    assert edit_url(hard) in body
    assert edit_url(page) not in body  # easy
    assert edit_url(hard_draft) not in body  # not live

    results = client.get(reverse("plain_language_report_results"))
    assert results.status_code == 200
    assert hard.title in text(results)


def test_report_exports_as_csv(client, editor, home):
    StandardPageFactory(parent=home, title="Regeling", slug="regeling", introduction=HARD)
    client.force_login(editor)
    response = client.get(reverse("plain_language_report") + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "Regeling" in content
    assert "aflossingscapaciteit" in content


def test_report_is_in_the_reports_menu_for_editors_only(client, editor, intake_member):
    client.force_login(editor)
    assert reverse("plain_language_report") in text(client.get(reverse("wagtailadmin_home")))
    client.force_login(intake_member)
    assert reverse("plain_language_report") not in text(client.get(reverse("wagtailadmin_home")))
    assert client.get(reverse("plain_language_report")).status_code in (302, 403)


# --- The list of difficult words -------------------------------------------------------------


def test_the_list_is_seeded():
    terms = set(JargonTerm.objects.values_list("term", flat=True))
    assert {
        "beslaglegging",
        "dwangbevel",
        "schuldeiser",
        "budgetbeheer",
        "WSNP",
        "moratorium",
        "saneringskrediet",
        "verrekening",
        "beslagvrije voet",
        "schuldsanering",
        "incassobureau",
        "deurwaarder",
    } <= terms
    assert all(JargonTerm.objects.values_list("alternative", flat=True))


def test_editors_keep_the_list(client, editor):
    client.force_login(editor)
    index = reverse("wagtailsnippets_doorvertellen_jargonterm:list")
    response = client.get(index, {"q": "deurwaard"})
    assert response.status_code == 200
    assert "iemand die geld komt ophalen" in text(response)
    assert "moratorium" not in text(response)

    add = reverse("wagtailsnippets_doorvertellen_jargonterm:add")
    response = client.post(
        add, {"term": "  aflossingscapaciteit ", "alternative": "wat je kunt terugbetalen"}
    )
    assert response.status_code == 302
    term = JargonTerm.objects.get(term="aflossingscapaciteit")

    edit = reverse("wagtailsnippets_doorvertellen_jargonterm:edit", args=[term.pk])
    response = client.post(
        edit, {"term": term.term, "alternative": "wat je kunt aflossen", "explanation": ""}
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.alternative == "wat je kunt aflossen"


def test_a_new_term_is_checked_at_once(client, editor, page):
    JargonTerm.objects.create(term="aflossingscapaciteit", alternative="wat je kunt aflossen")
    client.force_login(editor)
    url = reverse("plain_language_check_page", args=[page.pk])
    body = text(client.post(url, form_data(page, HARD)))
    assert "wat je kunt aflossen" in body


def test_other_roles_cannot_change_the_list(client, intake_member):
    client.force_login(intake_member)
    add = reverse("wagtailsnippets_doorvertellen_jargonterm:add")
    response = client.post(add, {"term": "x", "alternative": "y"})
    assert response.status_code in (302, 403)
    assert not JargonTerm.objects.filter(term="x").exists()


# --- Demo content -----------------------------------------------------------------------------


def test_all_demo_content_is_b1_without_unexplained_jargon(client, editor):
    import io

    from django.core.management import call_command
    from wagtail.models import Page

    call_command("load_demo_content", stdout=io.StringIO())
    from doorvertellen.plain_language_admin import in_dutch

    # The check measures Dutch; the demo's translations are left out, as in the editor.
    pages = [
        page
        for page in Page.objects.live().exclude(depth=1).specific()
        if getattr(page, "plain_language_checked", False) and in_dutch(page)
    ]
    assert len(pages) >= 15  # home, stories, films, landing pages, intake, standard pages
    for page in pages:
        report = check_page(page)
        assert not report.above_b1, (page.title, report.rounded_score)
        assert report.level in ("A1", "A2", "B1"), page.title
        assert report.unexplained_jargon == [], (page.title, report.unexplained_jargon)
        assert report.long_sentences == [], (page.title, report.long_sentences)

    client.force_login(editor)
    body = text(client.get(reverse("plain_language_report")))
    for page in pages:
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) not in body
