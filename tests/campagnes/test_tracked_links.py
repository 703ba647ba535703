"""Short links from flyers and posters, and their QR codes."""

import re

import pytest
from django.urls import reverse

from campagnes.factories import CampaignFactory, CampaignLandingPageFactory, TrackedLinkFactory
from campagnes.models import CODE_ALPHABET, CODE_LENGTH, DailyCount, new_code
from tests.helpers import text

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}


@pytest.fixture
def landing(home):
    return CampaignLandingPageFactory(parent=home, slug="geldzorgen")


@pytest.fixture
def link(landing):
    return TrackedLinkFactory(campaign=CampaignFactory(landing_page=landing))


@pytest.mark.django_db
def test_codes_are_short_and_have_no_look_alike_characters():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == CODE_LENGTH for code in codes)
    assert not set("".join(codes)) - set(CODE_ALPHABET)
    assert not set("01OILSZB5285") & set(CODE_ALPHABET)


@pytest.mark.django_db
def test_short_link_leads_to_the_landing_page_carrying_the_code(client, link, landing):
    response = client.get(f"/c/{link.code}", **BROWSER)
    assert response.status_code == 302
    assert response["Location"] == f"{landing.url}?c={link.code}"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


@pytest.mark.django_db
def test_short_link_forgives_lower_case_and_spaces(client, link, landing):
    typed = f"{link.code[:2].lower()} {link.code[2:].lower()}"
    response = client.get(f"/c/{typed}/", **BROWSER)
    assert response["Location"] == f"{landing.url}?c={link.code}"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XXXXX", "a", "WRONG-CODE"])
def test_unknown_code_leads_kindly_home(client, home, code):
    response = client.get(f"/c/{code}", **BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_link_to_an_unpublished_page_leads_home(client, link, landing):
    landing.unpublish()
    assert client.get(f"/c/{link.code}", **BROWSER)["Location"] == "/"


@pytest.mark.django_db
def test_landing_view_through_the_link_is_counted_without_cookies(client, link, landing):
    response = client.get(f"{landing.url}?c={link.code}", **BROWSER)
    assert response.status_code == 200
    assert not response.cookies
    row = DailyCount.objects.get(event="view", code=link.code, page=landing)
    assert row.count == 1


@pytest.mark.django_db
def test_made_up_codes_and_bots_are_not_counted(client, link, landing):
    client.get(f"{landing.url}?c=ZZZZZ", **BROWSER)
    client.get(f"{landing.url}?c={link.code}", HTTP_USER_AGENT="Googlebot/2.1")
    client.get(f"{landing.url}?c={link.code}", HTTP_USER_AGENT="WhatsApp/2.23")
    assert list(DailyCount.objects.values_list("code", "count")) == [("", 1)]


@pytest.mark.django_db
def test_staff_print_page_shows_qr_and_the_short_address(client, editor, link, settings):
    settings.SITE_URL = "https://geldhulp.example.nl"
    client.force_login(editor)
    response = client.get(reverse("campagnes_print_link", args=[link.pk]))
    assert response.status_code == 200
    body = text(response)
    assert f"geldhulp.example.nl/c/{link.code}" in body
    assert "<svg" in response.content.decode()
    svg = client.get(reverse("campagnes_qr_code", args=[link.pk, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    png = client.get(reverse("campagnes_qr_code", args=[link.pk, "png"]))
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(reverse("campagnes_qr_code", args=[link.pk, "gif"])).status_code == 404


@pytest.mark.django_db
def test_roles_without_campaign_rights_get_no_qr(client, intake_member, link):
    client.force_login(intake_member)
    response = client.get(reverse("campagnes_print_link", args=[link.pk]))
    assert response.status_code in (302, 403)
    assert link.code not in response.content.decode()
    assert re.match(r"^[A-Z0-9]+$", link.code)


@pytest.mark.django_db
def test_campaign_page_in_the_admin_lists_links_with_their_qr_codes(client, editor, link):
    client.force_login(editor)
    response = client.get(
        reverse("wagtailsnippets_campagnes_campaign:inspect", args=[link.campaign.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert link.short_path in html
    assert reverse("campagnes_print_link", args=[link.pk]) in html
    assert reverse("campagnes_qr_code", args=[link.pk, "png"]) in html
