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


# --- Forms, thank-you pages and the storyteller's links: never kept by a browser or proxy ---


@pytest.fixture
def form_pages(intake_page, home, story_index, editor):
    """Every public address that shows a form or what a resident just sent."""
    from feedback.factories import StoryOfferPageFactory, SuggestionPageFactory
    from verhalen.factories import ConsentRecordFactory, StoryPageFactory
    from verhalen.models import StoryApproval

    suggestion = SuggestionPageFactory(parent=home)
    offer = StoryOfferPageFactory(parent=home)
    draft = StoryPageFactory(parent=story_index, live=False, consent=False, owner=editor)
    consent = ConsentRecordFactory(given_at=None, pages=[draft])
    _approval, approval_token = StoryApproval.create_for(consent, draft, draft.save_revision())
    withdrawal_token = consent.new_withdrawal_token()
    consent.save()
    return {
        "intake": intake_page.url,
        "intake_thanks": intake_page.url + "bedankt/",
        "intake_outside_area": intake_page.url + "buiten-ons-gebied/",
        "suggestion": suggestion.url,
        "suggestion_thanks": suggestion.url + "bedankt/",
        "story_offer": offer.url,
        "story_offer_thanks": offer.url + "bedankt/",
        "approval": reverse("verhalen:approval", args=[approval_token]),
        "withdrawal": reverse("verhalen:withdrawal", args=[withdrawal_token]),
    }


def test_forms_and_thank_you_pages_are_never_stored(client, form_pages):
    for name, url in form_pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"], name
        csp = directives(response)
        assert "'unsafe-inline'" not in csp["script-src"], name
        assert csp["frame-ancestors"] == ["'none'"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] in ("same-origin", "strict-origin"), name


def test_refusals_of_bad_input_carry_the_same_headers(client, intake_page):
    for response in (
        client.post(intake_page.url, {"name": "x\x00"}),
        client.generic("PUT", intake_page.url),
        client.post(intake_page.url, "{}", content_type="application/json"),
    ):
        assert response.status_code in (400, 405)
        assert "no-store" in response["Cache-Control"]
        assert directives(response)["frame-ancestors"] == ["'none'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert not response.cookies


def test_admin_pages_with_personal_data_are_never_stored(
    client, superuser, intake_member, feedback_coordinator, consent_manager
):
    from doorvertellen.factories import IntakeRecordFactory
    from feedback.factories import SuggestionFactory
    from verhalen.factories import ConsentRecordFactory

    record = IntakeRecordFactory()
    suggestion = SuggestionFactory(contact_email="jan@example.org")
    consent = ConsentRecordFactory(contact_email="noor@example.org")
    client.force_login(superuser)
    for url in (
        reverse("intake_inbox:index"),
        reverse("intake_inbox:inspect", args=[record.pk]),
        reverse("intake_inbox:edit", args=[record.pk]),
        reverse("intake_inbox:export_csv"),
        reverse("intake_inbox:export_json"),
        reverse("consent_records:index"),
        reverse("consent_records:inspect", args=[consent.pk]),
        reverse("consent_records:edit", args=[consent.pk]),
        reverse("feedback_suggestions:index"),
        reverse("feedback_suggestions:inspect", args=[suggestion.pk]),
        reverse("feedback_useful_report"),
        reverse("audit_log:index"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


# --- No cookie at all where there is no form ---------------------------------------------


def test_pages_without_a_form_set_no_cookie(client, home, story, privacy_page):
    from campagnes.factories import CampaignLandingPageFactory
    from feedback.factories import YouSaidWeDidPageFactory

    landing = CampaignLandingPageFactory(parent=home)
    answers = YouSaidWeDidPageFactory(parent=home)
    for url in (
        home.url,
        story.url,
        privacy_page.url,
        landing.url,
        answers.url,
        "/zoeken/?q=geld",
        "/bestaat-niet/",
        "/sitemap.xml",
        "/healthz/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "Set-Cookie" not in response, url
        assert not response.cookies, url


# --- Production: HSTS and __Host- cookies ------------------------------------------------


@pytest.fixture
def production(monkeypatch, settings):
    """The transport and cookie settings of the production module, applied to this run."""
    import importlib
    import sys

    from cryptography.fernet import Fernet
    from django.conf import global_settings

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    sys.modules.pop("doorvertellen.settings.production", None)
    module = importlib.import_module("doorvertellen.settings.production")
    sys.modules.pop("doorvertellen.settings.production", None)
    for name in (
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "CSRF_COOKIE_SAMESITE",
        "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN",
        "SESSION_COOKIE_PATH",
        "CSRF_COOKIE_PATH",
    ):
        # Django's defaults for what production leaves alone (no cookie domain, path /).
        setattr(settings, name, getattr(module, name, getattr(global_settings, name)))
    return module


def test_production_sends_hsts_on_every_https_answer(client, production, home):
    response = client.get(home.url, secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    plain = client.get(home.url)
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")


def test_production_form_cookie_has_the_host_prefix(client, production, intake_page):
    response = client.get(intake_page.url, secure=True)
    assert set(response.cookies) == {"__Host-csrftoken"}
    cookie = response.cookies["__Host-csrftoken"]
    # What browsers require of a __Host- cookie: Secure, Path=/, no Domain.
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    assert cookie["samesite"] == "Lax"


def test_production_staff_session_cookie_has_the_host_prefix(client, production, superuser):
    from tests.conftest import STAFF_PASSWORD

    login = client.get(reverse("wagtailadmin_login"), secure=True)
    token = login.cookies["__Host-csrftoken"].value
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": superuser.username, "password": STAFF_PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    assert "sessionid" not in response.cookies


def test_every_admin_policy_exception_is_written_down():
    """The admin's looser policy is an accepted risk only as far as the README says so: every
    directive that differs from the public policy, and every source it adds, is named there."""
    from doorvertellen.middleware import ADMIN_POLICY, public_policy
    from tests.helpers import BASE_DIR

    readme = (BASE_DIR / "README.md").read_text()
    public = {p.split()[0]: p.split()[1:] for p in public_policy("n").split("; ")}
    admin = {p.split()[0]: p.split()[1:] for p in ADMIN_POLICY.split("; ")}
    assert set(admin) == set(public)
    differing = {name for name in admin if admin[name] != public[name]}
    assert {"script-src", "style-src", "frame-ancestors"} <= differing
    for name in differing:
        assert f"`{name}" in readme, name
        for value in set(admin[name]) - set(public[name]):
            assert f"`{value}`" in readme or f"`{name} {value}`" in readme, (name, value)
    assert not any("'unsafe-" in value for values in public.values() for value in values)
