"""Security headers on public pages and in the admin."""

import re

import pytest
from django.urls import reverse

from tests.helpers import elements

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "story_index", "story", "intake_page", "privacy_page"]


def directives(response):
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def nonce_of(response):
    (nonce,) = [
        value[len("'nonce-") : -1]
        for value in directives(response)["script-src"]
        if value.startswith("'nonce-")
    ]
    return nonce


@pytest.mark.parametrize("fixture", PUBLIC_PAGES)
def test_public_pages_have_a_strict_policy(client, request, fixture):
    page = request.getfixturevalue(fixture)
    response = client.get(page.url)
    assert response.status_code == 200

    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    # Nothing is loaded from a third party; only the privacy-enhanced video players may be
    # framed, and a page loads them only after a click (tests/verhalen/test_documentary.py).
    assert csp["frame-src"] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
    for name, values in csp.items():
        if name != "frame-src":
            assert not any(re.match(r"https?://", value) for value in values), name

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_response_gets_its_own_nonce(client, home):
    nonces = {nonce_of(client.get(home.url)) for _ in range(3)}
    assert len(nonces) == 3
    assert all(len(nonce) >= 16 for nonce in nonces)


@pytest.mark.parametrize("fixture", PUBLIC_PAGES)
def test_every_inline_script_carries_the_nonce(client, request, fixture):
    response = client.get(request.getfixturevalue(fixture).url)
    nonce = nonce_of(response)
    for _tag, attrs in elements(response, "script"):
        assert attrs.get("src") or attrs.get("nonce") == nonce


def test_404_and_search_pages_have_the_policy_too(client, home):
    for url in ("/bestaat-niet/", "/zoeken/?q=geld"):
        response = client.get(url)
        assert directives(response)["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("fixture", ["home", "story_index", "story"])
def test_reading_pages_set_no_cookie(client, request, fixture):
    response = client.get(request.getfixturevalue(fixture).url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response


def test_the_form_page_sets_only_the_csrf_cookie(client, intake_page):
    response = client.get(intake_page.url)
    assert set(response.cookies) == {"csrftoken"}
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_admin_login_page_is_never_cached(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_admin_pages_are_never_cached_and_cannot_be_framed_elsewhere(client, superuser, home):
    client.force_login(superuser)
    for url in (
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[home.pk]),
        reverse("intake_inbox:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        csp = directives(response)
        assert csp["object-src"] == ["'none'"]
        assert csp["frame-ancestors"] in (["'self'"], ["'none'"])
