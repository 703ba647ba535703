"""Malformed sends to every public form: a kind Dutch page with a 4xx status, never a 500,
and nothing stored (doorvertellen.bad_input)."""

import json
import logging
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from doorvertellen.models import IntakeRecord, OutsideAreaCount
from feedback.factories import StoryOfferPageFactory, SuggestionPageFactory
from feedback.models import Phase, Suggestion, UsefulComment, UsefulCount
from tests.helpers import signed_render_time, text, valid_data
from verhalen.factories import ConsentRecordFactory, StoryPageFactory
from verhalen.models import ConsentRecord, StoryApproval, StoryPage

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
DID_NOT_ARRIVE = "Je gegevens kwamen niet goed bij ons aan."
NOTHING_STORED = "Er is niets opgeslagen."


@dataclass
class PublicFormCase:
    """One public form: where it is posted, a send that is accepted, and its text fields."""

    url: str
    make_data: object
    text_fields: list = field(default_factory=list)

    def data(self, **overrides):
        data = self.make_data()
        data.update(overrides)
        return data


def _common():
    return {"rendered_at": signed_render_time(), "website": ""}


@pytest.fixture
def intake_form(intake_page):
    return PublicFormCase(
        intake_page.url,
        lambda: valid_data(email="sanne@example.org"),
        ["name", "phone", "email", "message", "postcode"],
    )


@pytest.fixture
def suggestion_form(home, service_settings):
    page = SuggestionPageFactory(parent=home)

    def data():
        return {
            "phase": Phase.FIRST_MEETING,
            "what_happened": "Ik moest drie weken wachten.",
            "what_better": "Bel mensen binnen een week terug.",
            "contact_name": "Jan",
            "contact_email": "jan@example.org",
            "contact_phone": "06 12345678",
            "token": str(uuid.uuid4()),
            **_common(),
        }

    return PublicFormCase(
        page.url,
        data,
        ["what_happened", "what_better", "contact_name", "contact_email", "contact_phone"],
    )


@pytest.fixture
def story_offer_form(home, service_settings, story_index, editor, consent_manager):
    page = StoryOfferPageFactory(parent=home)

    def data():
        return {
            "story": "Ik durfde mijn post niet meer open te maken. Nu heb ik weer rust.",
            "display_name": "Mirjam",
            "phone": "06 12345678",
            "email": "mirjam@example.org",
            "contact_ok": "on",
            "token": str(uuid.uuid4()),
            **_common(),
        }

    return PublicFormCase(page.url, data, ["story", "display_name", "phone", "email"])


@pytest.fixture
def useful_form(story):
    return PublicFormCase(
        reverse("feedback:useful", args=[story.pk]),
        lambda: {"answer": "ja", "comment": "Fijn om te lezen.", **_common()},
        ["comment"],
    )


@pytest.fixture
def approval_form(story_index, service_settings, editor):
    draft = StoryPageFactory(
        parent=story_index, title="Hoe Noor rust kreeg", live=False, consent=False, owner=editor
    )
    consent = ConsentRecordFactory(
        display_name="Noor", given_at=None, contact_email="noor@example.org", pages=[draft]
    )
    _approval, token = StoryApproval.create_for(consent, draft, draft.save_revision())
    return PublicFormCase(
        reverse("verhalen:approval", args=[token]),
        lambda: {"answer": "changes", "comment": "Mijn dochter heet Lies.", **_common()},
        ["answer", "comment"],
    )


@pytest.fixture
def withdrawal_form(db, service_settings):
    consent = ConsentRecordFactory(display_name="Sandra", contact_email="sandra@example.org")
    token = consent.new_withdrawal_token()
    consent.save()
    return PublicFormCase(
        reverse("verhalen:withdrawal", args=[token]), _common, ["rendered_at", "website"]
    )


FORMS = ["intake", "suggestion", "story_offer", "useful", "approval", "withdrawal"]


@pytest.fixture(params=FORMS)
def form(request):
    return request.getfixturevalue(f"{request.param}_form")


@pytest.fixture
def visitor():
    return Client(HTTP_USER_AGENT=BROWSER)


def stored():
    """Everything a public form can add or change, as plain values to compare."""
    return {
        "intake": IntakeRecord.objects.count(),
        "outside_area": list(OutsideAreaCount.objects.values_list("postcode_area", "count")),
        "suggestions": Suggestion.objects.count(),
        "stories": StoryPage.objects.count(),
        "consents": list(
            ConsentRecord.objects.order_by("pk").values_list("pk", "given_at", "withdrawn_at")
        ),
        "approvals": list(StoryApproval.objects.order_by("pk").values_list("pk", "status")),
        "useful": list(UsefulCount.objects.values_list("page_id", "useful", "count")),
        "comments": UsefulComment.objects.count(),
    }


@pytest.fixture
def no_server_errors(caplog):
    """Fails the test when Django logs a server error for any request in it."""
    caplog.set_level(logging.WARNING, logger="django.request")
    yield
    errors = [r for r in caplog.records if r.name == "django.request" and r.levelno >= 40]
    assert errors == []


def assert_refused_kindly(response, status=400, heading=DID_NOT_ARRIVE):
    assert response.status_code == status
    body = text(response)
    assert '<html lang="nl"' in body
    assert heading in body
    assert NOTHING_STORED in body
    assert "no-store" in response["Cache-Control"]


def post_raw(client, url, body, content_type="application/x-www-form-urlencoded"):
    return client.generic("POST", url, body, content_type=content_type)


def multipart(fields):
    """A multipart body from raw bytes per field, as a broken or hostile client might send."""
    parts = [
        b'--grens\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (name, value)
        for name, value in fields.items()
    ]
    return b"".join(parts) + b"--grens--\r\n", "multipart/form-data; boundary=grens"


def as_bytes(data):
    return {key.encode(): str(value).encode() for key, value in data.items()}


# --- A valid send is stored: without this, "nothing stored" below would prove nothing -------


def test_a_valid_send_is_stored(visitor, form, no_server_errors):
    before = stored()
    response = visitor.post(form.url, form.data())
    assert response.status_code in (200, 302, 303)
    assert stored() != before


def test_a_valid_multipart_send_is_stored(visitor, form, no_server_errors):
    """Browsers may send a form as multipart: that is not bad input."""
    before = stored()
    body, content_type = multipart(as_bytes(form.data()))
    response = post_raw(visitor, form.url, body, content_type)
    assert response.status_code in (200, 302, 303)
    assert stored() != before


# --- NUL bytes -------------------------------------------------------------------------------


def test_nul_byte_in_any_field_is_refused(visitor, form, no_server_errors):
    for name in form.text_fields:
        before = stored()
        data = form.data()
        data[name] = f"{data.get(name, '')}\x00"
        response = visitor.post(form.url, data)
        assert_refused_kindly(response)
        assert stored() == before, name


def test_nul_byte_in_a_field_name_is_refused(visitor, form, no_server_errors):
    before = stored()
    response = visitor.post(form.url, {**form.data(), "extra\x00": "1"})
    assert_refused_kindly(response)
    assert stored() == before


def test_nul_byte_in_a_multipart_field_is_refused(visitor, form, no_server_errors):
    before = stored()
    fields = as_bytes(form.data())
    name = form.text_fields[0].encode()
    fields[name] = fields.get(name, b"") + b"\x00"
    body, content_type = multipart(fields)
    assert_refused_kindly(post_raw(visitor, form.url, body, content_type))
    assert stored() == before


def test_nul_byte_in_the_address_is_refused(visitor, form, no_server_errors):
    response = visitor.get(form.url + "?via=%00")
    assert_refused_kindly(response)


# --- Invalid UTF-8 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", [b"geld\xff\xfezorgen", b"geld%FF%FEzorgen", b"\xc3\x28"], ids=["raw", "escaped", "cut"]
)
def test_url_encoded_body_that_is_not_utf8_is_refused(visitor, form, bad, no_server_errors):
    before = stored()
    data = form.data()
    name = form.text_fields[-1]
    data.pop(name, None)
    body = urlencode(data).encode() + b"&" + name.encode() + b"=" + bad
    assert_refused_kindly(post_raw(visitor, form.url, body))
    assert stored() == before


def test_multipart_body_that_is_not_utf8_is_refused(visitor, form, no_server_errors):
    before = stored()
    fields = as_bytes(form.data())
    fields[form.text_fields[-1].encode()] = b"geld\xff\xfezorgen"
    body, content_type = multipart(fields)
    assert_refused_kindly(post_raw(visitor, form.url, body, content_type))
    assert stored() == before


def test_another_declared_charset_is_refused(visitor, form, no_server_errors):
    before = stored()
    body = urlencode(form.data()).encode()
    response = post_raw(
        visitor, form.url, body, "application/x-www-form-urlencoded; charset=iso-8859-1"
    )
    assert_refused_kindly(response)
    assert stored() == before


# --- Huge bodies and too many fields ---------------------------------------------------------


def test_huge_body_is_refused(visitor, form, no_server_errors):
    before = stored()
    data = form.data(**{form.text_fields[0]: "x" * (3 * 1024 * 1024)})
    response = visitor.post(form.url, data)
    assert_refused_kindly(response, status=413, heading="Je bericht is te lang")
    assert stored() == before


def test_one_byte_over_the_limit_is_refused(visitor, form, settings, no_server_errors):
    before = stored()
    body = urlencode(form.data()).encode()
    name = form.text_fields[0].encode()
    padding = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1 - len(body) - len(name) - 2
    body += b"&" + name + b"=" + b"x" * padding
    assert len(body) == settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    response = post_raw(visitor, form.url, body)
    assert_refused_kindly(response, status=413, heading="Je bericht is te lang")
    assert stored() == before


def test_huge_multipart_body_is_refused(visitor, form, no_server_errors):
    before = stored()
    fields = as_bytes(form.data())
    fields[form.text_fields[0].encode()] = b"x" * (3 * 1024 * 1024)
    body, content_type = multipart(fields)
    response = post_raw(visitor, form.url, body, content_type)
    assert_refused_kindly(response, status=413, heading="Je bericht is te lang")
    assert stored() == before


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_too_many_fields_are_refused(visitor, form, encoding, no_server_errors):
    before = stored()
    data = form.data()
    data.update({f"extra{i}": "1" for i in range(1001)})
    if encoding == "urlencoded":
        response = visitor.post(form.url, data)
    else:
        body, content_type = multipart(as_bytes(data))
        response = post_raw(visitor, form.url, body, content_type)
    assert_refused_kindly(response)
    assert stored() == before


def test_too_many_fields_in_the_address_are_refused(visitor, form, no_server_errors):
    query = urlencode({f"x{i}": "1" for i in range(1001)})
    assert_refused_kindly(visitor.get(f"{form.url}?{query}"))


# --- Wrong methods and content types ---------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"])
def test_other_methods_are_refused(visitor, form, method, no_server_errors):
    before = stored()
    body = urlencode(form.data())
    response = visitor.generic(
        method, form.url, body, content_type="application/x-www-form-urlencoded"
    )
    assert_refused_kindly(response, status=405, heading="Dat kan hier niet")
    assert response["Allow"] == "GET, HEAD, POST"
    # TRACE never echoes the request back.
    assert form.data()["rendered_at"][:20] not in text(response)
    assert stored() == before


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "text/plain", "application/xml", "multipart/form-data", ""],
    ids=["json", "text", "xml", "multipart-without-boundary", "none"],
)
def test_other_content_types_are_refused(visitor, form, content_type, no_server_errors):
    before = stored()
    data = form.data()
    body = json.dumps(data) if content_type == "application/json" else urlencode(data)
    response = post_raw(visitor, form.url, body, content_type)
    assert_refused_kindly(response)
    assert stored() == before


def test_broken_multipart_is_refused(visitor, form, no_server_errors):
    before = stored()
    body = b"--grens\r\nContent-Disposition: form-data\r\n\r\nzonder naam en zonder einde"
    response = post_raw(visitor, form.url, body, "multipart/form-data; boundary=grens")
    assert response.status_code < 500
    assert stored() == before


# --- The staff admin and other suspicious requests -------------------------------------------


def test_the_admin_is_left_to_its_own_checks(client, superuser):
    """Wagtail's admin posts JSON of its own; the public gate does not stand in its way."""
    client.force_login(superuser)
    response = client.generic("OPTIONS", reverse("wagtailadmin_home"))
    assert "Dat kan hier niet" not in text(response)


def test_a_suspicious_request_elsewhere_gets_the_kind_page_too(visitor, settings, home):
    """Django's own 400 (here: a host name the site does not serve) is Dutch and kind."""
    settings.ALLOWED_HOSTS = ["doorvertellen.example"]
    response = visitor.get("/", HTTP_HOST="aanvaller.example")
    assert response.status_code == 400
    body = text(response)
    assert '<html lang="nl"' in body
    assert DID_NOT_ARRIVE in body
    assert "aanvaller" not in body


def test_refusals_are_logged_without_the_contents(visitor, form, caplog):
    caplog.set_level(logging.WARNING, logger="doorvertellen.bad_input")
    visitor.post(form.url, form.data(**{form.text_fields[0]: "Zwaluwstaart\x00"}))
    messages = [r.getMessage() for r in caplog.records if r.name == "doorvertellen.bad_input"]
    assert messages == ["Public request refused: nul (POST)"]
    assert "Zwaluwstaart" not in caplog.text
