"""The core page types, the error pages and site search."""

import time

import pytest
from django.test import Client, RequestFactory
from django.urls import path, reverse
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from doorvertellen.factories import StandardPageFactory
from doorvertellen.models import HomePage, IntakePage, StandardPage
from doorvertellen.views import server_error
from tests.helpers import text
from verhalen.models import StoryIndexPage, StoryPage


def _broken_view(request):
    raise RuntimeError("geheime-foutmelding-uit-de-code")


# Used as the URLconf of the 500 test below.
urlpatterns = [path("kapot/", _broken_view)]
handler500 = "doorvertellen.views.server_error"


def test_page_types_only_go_under_their_parent():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert IntakePage.allowed_parent_page_models() == [HomePage]
    assert IntakePage.allowed_subpage_models() == []
    assert StoryIndexPage.allowed_parent_page_models() == [HomePage]
    assert StoryPage.allowed_parent_page_models() == [StoryIndexPage]
    assert StoryPage.allowed_subpage_models() == []
    assert StandardPage in HomePage.allowed_subpage_models()


@pytest.mark.django_db
def test_single_instance_pages_cannot_be_added_twice(home, intake_page, story_index):
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert not IntakePage.can_create_at(home)
    assert not StoryIndexPage.can_create_at(home)
    assert StandardPage.can_create_at(home)
    assert StoryPage.can_create_at(story_index)
    assert not StoryPage.can_create_at(home)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("home", ["Geldzorgen? Je bent niet de enige.", "Veel mensen in Nederland", "Nibud"]),
        ("privacy_page", ["Privacyverklaring", "We bewaren je gegevens niet langer dan nodig."]),
        ("intake_page", ["Aanmelden", "Het is gratis. We oordelen niet.", "Meld je aan"]),
        ("story_index", ["Verhalen", "Mensen vertellen hoe zij uit de schulden kwamen."]),
        ("story", ["Hoe Sandra weer rust kreeg", "Het verhaal van Sandra"]),
    ],
)
def test_each_page_type_renders_its_content(client, request, service_settings, fixture, expected):
    page = request.getfixturevalue(fixture)
    response = client.get(page.url)
    assert response.status_code == 200
    body = text(response)
    for snippet in expected:
        assert snippet in body
    assert "14 010" in body  # the service's phone number, from the site settings


@pytest.mark.django_db
def test_editor_creates_and_publishes_a_standard_page(client, superuser, home):
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=("doorvertellen", "standardpage", home.pk))
    data = nested_form_data(
        {
            "title": "Wat gebeurt er na je aanmelding",
            "slug": "na-je-aanmelding",
            "introduction": "We bellen je en maken een afspraak.",
            "body": streamfield(
                [("paragraph", rich_text("<p>Je krijgt een vaste hulpverlener.</p>"))]
            ),
            "action-publish": "publish",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors

    page = StandardPage.objects.get(slug="na-je-aanmelding")
    assert page.live
    assert page.get_parent().specific == home
    public = Client().get(page.url)
    assert public.status_code == 200
    assert "Je krijgt een vaste hulpverlener." in text(public)


@pytest.mark.django_db
def test_editor_writes_a_story_as_a_draft_under_the_index(client, superuser, story_index, theme):
    """Publishing waits for the teller's consent (tests/verhalen/test_publishing_rules.py)."""
    client.force_login(superuser)
    url = reverse("wagtailadmin_pages:add", args=("verhalen", "storypage", story_index.pk))
    data = nested_form_data(
        {
            "title": "Ahmed vertelt",
            "slug": "ahmed",
            "display_name": "Ahmed",
            "quote": "Bellen was het moeilijkste, daarna ging het vanzelf.",
            "summary": "Ahmed verloor zijn baan. Nu heeft hij weer overzicht.",
            "body": streamfield([("paragraph", rich_text("<p>Het begon met een brief.</p>"))]),
            "themes": theme.name,
            "related_stories": inline_formset([]),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors

    story = StoryPage.objects.get(slug="ahmed")
    assert not story.live
    draft = story.get_latest_revision_as_object()
    assert list(draft.themes.all()) == [theme]
    assert draft.quote == "Bellen was het moeilijkste, daarna ging het vanzelf."


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/bestaat-niet/", "/aanmelden/bestaat-niet/"])
def test_unknown_address_shows_the_site_styled_404(client, intake_page, url):
    response = client.get(url)
    assert response.status_code == 404
    body = text(response)
    assert "Deze pagina bestaat niet (meer)" in body
    assert 'class="site-header"' in body
    assert "Schuldhulp van de gemeente" in body  # service name from the site settings
    assert 'href="/zoeken/"' in body


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_crash_shows_the_static_500_page_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/kapot/")
    assert response.status_code == 500
    body = text(response)
    assert "Er ging iets mis aan onze kant" in body
    assert "Het ligt niet aan jou." in body
    assert "geheime-foutmelding-uit-de-code" not in body
    assert "Traceback" not in body
    assert "RuntimeError" not in body


def test_500_page_needs_no_database():
    # No django_db mark: any query would raise instead of rendering.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Er ging iets mis aan onze kant" in response.content


@pytest.mark.django_db
def test_search_finds_public_pages_but_not_restricted_ones(client, home):
    public = StandardPageFactory(parent=home, title="Zonnebloemveld openbaar", slug="open")
    restricted = StandardPageFactory(parent=home, title="Zonnebloemveld besloten", slug="dicht")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/zoeken/", {"q": "Zonnebloemveld"})

    assert response.status_code == 200
    body = text(response)
    assert public.title in body
    assert restricted.title not in body
    assert restricted.url not in body


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["a" * 10_000, '"' * 1000, "x " * 5000])
def test_search_survives_huge_queries(client, home, query):
    started = time.monotonic()
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    assert time.monotonic() - started < 2
    assert query not in text(response)  # cut to a sane length before use


@pytest.mark.django_db
def test_search_without_results_says_so_kindly(client, home):
    response = client.get("/zoeken/", {"q": "qwertyuiop"})
    assert response.status_code == 200
    assert "We vonden niets voor" in text(response)
