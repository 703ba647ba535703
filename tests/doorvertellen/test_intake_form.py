"""The intake form: what a resident sees, and what is (not) stored."""

import json
import uuid
from urllib.parse import urlencode

import pytest
from django.core import mail, signing
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doorvertellen.models import IntakeRecord, OutsideAreaCount
from tests.helpers import form_inputs, signed_render_time, text, valid_data

pytestmark = pytest.mark.django_db


def thanks_url(intake_page):
    return intake_page.url + "bedankt/"


def test_form_page_shows_the_form_and_is_not_cached(client, intake_page):
    response = client.get(intake_page.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    fields = form_inputs(response)
    assert {"name", "phone", "email", "postcode", "token", "rendered_at", "website"} <= set(fields)
    assert uuid.UUID(fields["token"])
    assert "We bellen je binnen 2 werkdagen." in text(response)


def test_valid_submission_stores_one_record_and_thanks_the_resident(client, intake_page):
    fields = form_inputs(client.get(intake_page.url))
    fields.update(
        name="Sanne", phone="06 12345678", best_time="evening", postcode="3311ab", consent="on"
    )
    response = client.post(intake_page.url, fields)

    assert response.status_code == 302
    assert response["Location"] == thanks_url(intake_page)
    record = IntakeRecord.objects.get()
    assert record.name == "Sanne"
    assert record.phone == "06 12345678"
    assert record.postcode == "3311 AB"
    assert record.best_time == IntakeRecord.BestTime.EVENING
    assert record.status == IntakeRecord.Status.NEW
    assert record.consent_at is not None
    assert str(record.submission_token) == fields["token"]

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    assert "Je aanmelding is goed aangekomen. We bellen je binnen 2 werkdagen." in text(thanks)
    assert "Dank je wel. We bellen je." in text(thanks)


def test_the_thanks_page_makes_the_promise_set_in_the_site_settings(
    client, intake_page, service_settings
):
    service_settings.response_promise = "binnen 3 werkdagen"
    service_settings.save()
    response = client.post(intake_page.url, valid_data())
    assert response["Location"] == thanks_url(intake_page)
    body = text(client.get(response["Location"]))
    assert "Je aanmelding is goed aangekomen. We bellen je binnen 3 werkdagen." in body
    assert "2 werkdagen" not in body


def test_email_alone_is_enough_to_be_reached(client, intake_page):
    response = client.post(intake_page.url, valid_data(phone="", email="sanne@example.org"))
    assert response.status_code == 302
    assert IntakeRecord.objects.get().email == "sanne@example.org"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Vul je naam of een bijnaam in."),
        ({"name": "   "}, "Vul je naam of een bijnaam in."),
        ({"phone": "", "email": ""}, "Vul je telefoonnummer of je e-mailadres in."),
        ({"postcode": "1234"}, "Deze postcode klopt niet. Vul 4 cijfers en 2 letters in"),
        ({"postcode": "0123 AB"}, "Deze postcode klopt niet."),
        ({"postcode": ""}, "Vul je postcode in, bijvoorbeeld 3311 AB."),
        ({"phone": "bel me maar"}, "Dit telefoonnummer klopt niet."),
        ({"phone": "06 123"}, "Dit telefoonnummer klopt niet."),
        ({"email": "sanne@", "phone": ""}, "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ({"consent": None}, "Zet een vinkje als we contact met je mogen opnemen."),
    ],
)
def test_invalid_submission_explains_in_dutch_and_stores_nothing(
    client, intake_page, overrides, message
):
    response = client.post(intake_page.url, valid_data(**overrides))
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert "Bijna klaar. Kijk nog even naar deze punten:" in body
    assert "no-store" in response["Cache-Control"]
    assert not IntakeRecord.objects.exists()


def test_invalid_submission_keeps_what_the_resident_typed(client, intake_page):
    response = client.post(intake_page.url, valid_data(postcode="abc", name="Sanne de Vries"))
    assert response.status_code == 400
    assert form_inputs(response)["name"] == "Sanne de Vries"


def test_postcode_outside_the_area_refers_elsewhere_and_only_counts(
    client, intake_page, service_settings
):
    service_settings.service_postcodes = "3300-3339, 3350"
    service_settings.save()

    for _ in range(2):
        response = client.post(intake_page.url, valid_data(postcode="1011 AB"))
        assert response.status_code == 302
        assert response["Location"] == intake_page.url + "buiten-ons-gebied/"

    assert not IntakeRecord.objects.exists()
    count = OutsideAreaCount.objects.get()
    assert (count.postcode_area, count.count) == ("1011", 2)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Geldfit" in text(page)
    assert "We hebben je gegevens niet bewaard." in text(page)


def test_postcode_inside_the_area_is_stored(client, intake_page, service_settings):
    service_settings.service_postcodes = "3300-3339, 3350"
    service_settings.save()
    response = client.post(intake_page.url, valid_data(postcode="3350 XY"))
    assert response["Location"] == thanks_url(intake_page)
    assert IntakeRecord.objects.count() == 1
    assert not OutsideAreaCount.objects.exists()


def test_same_form_sent_twice_stores_one_record(client, intake_page):
    data = valid_data()
    first = client.post(intake_page.url, data)
    second = client.post(intake_page.url, data)
    assert first["Location"] == second["Location"] == thanks_url(intake_page)
    assert IntakeRecord.objects.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"website": "http://goedkope-leningen.example"},
        {"rendered_at": "1700000000"},
        {"rendered_at": signing.dumps(0, salt="een-ander-formulier")},
        {"rendered_at": ""},
    ],
    ids=["honeypot", "unsigned-time", "foreign-signature", "no-time"],
)
def test_bot_submission_looks_accepted_but_stores_nothing(client, intake_page, overrides):
    response = client.post(intake_page.url, valid_data(**overrides))
    assert response.status_code == 302
    assert response["Location"] == thanks_url(intake_page)
    assert not IntakeRecord.objects.exists()


def test_form_sent_back_too_fast_is_not_stored(client, intake_page, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 3
    client.post(intake_page.url, valid_data(rendered_at=signed_render_time(seconds_ago=0)))
    assert not IntakeRecord.objects.exists()

    client.post(intake_page.url, valid_data(rendered_at=signed_render_time(seconds_ago=5)))
    assert IntakeRecord.objects.count() == 1


def test_form_left_open_too_long_asks_to_send_again(client, intake_page, settings):
    stale = signed_render_time(seconds_ago=settings.PUBLIC_FORM_MAX_AGE + 60)
    response = client.post(intake_page.url, valid_data(rendered_at=stale))
    assert response.status_code == 400
    assert "Dit formulier stond te lang open." in text(response)
    assert not IntakeRecord.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "Jan\x00"},
        {"message": "Help\x00"},
        {"postcode": "3311\x00AB"},
        {"message": "x" * 100_000},
        {"name": "n" * 256},
    ],
    ids=["nul-name", "nul-message", "nul-postcode", "huge-message", "long-name"],
)
def test_hostile_values_are_refused(client, intake_page, overrides):
    response = client.post(intake_page.url, valid_data(**overrides))
    assert response.status_code == 400
    assert not IntakeRecord.objects.exists()


def _urlencoded(client, url, body):
    return client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize(
    "bad", [b"geld\xff\xfezorgen", b"geld%FF%FEzorgen", b"\xc3\x28"], ids=["raw", "escaped", "cut"]
)
def test_body_that_is_not_utf8_is_refused(client, intake_page, bad):
    """Django would read it as Latin-1 (or U+FFFD) and store mangled contact details."""
    data = valid_data(name="Zoë")
    del data["message"]
    body = urlencode(data).encode() + b"&message=" + bad
    response = client.generic(
        "POST", intake_page.url, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Je gegevens kwamen niet goed bij ons aan." in text(response)
    assert not IntakeRecord.objects.exists()


def test_utf8_body_with_accents_is_stored_exactly(client, intake_page):
    data = valid_data(name="Zoë Çelik", message="Ik wil graag hulp € 2.000")
    body = urlencode(data).encode()
    response = client.generic(
        "POST", intake_page.url, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    record = IntakeRecord.objects.get()
    assert (record.name, record.message) == ("Zoë Çelik", "Ik wil graag hulp € 2.000")


def test_oversized_body_is_refused(client, intake_page):
    response = client.post(intake_page.url, valid_data(message="x" * (3 * 1024 * 1024)))
    assert response.status_code == 413
    assert not IntakeRecord.objects.exists()


def test_too_many_fields_are_refused(client, intake_page):
    data = valid_data()
    data.update({f"extra{i}": "1" for i in range(1001)})
    response = client.post(intake_page.url, data)
    assert response.status_code == 400
    assert not IntakeRecord.objects.exists()


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_other_content_types_are_refused(client, intake_page, content_type):
    body = json.dumps(valid_data()) if content_type == "application/json" else "name=x"
    response = client.post(intake_page.url, body, content_type=content_type)
    assert response.status_code == 400
    assert not IntakeRecord.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, intake_page, method):
    response = getattr(client, method)(intake_page.url, valid_data())
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert not IntakeRecord.objects.exists()


def test_post_without_csrf_token_is_refused(intake_page):
    client = Client(enforce_csrf_checks=True)
    response = client.post(intake_page.url, valid_data())
    assert response.status_code == 403
    assert not IntakeRecord.objects.exists()


def test_story_and_campaign_travel_from_link_to_record(client, intake_page, story):
    response = client.get(intake_page.url, {"verhaal": story.pk, "via": story.pk, "c": "ab12"})
    fields = form_inputs(response)
    assert fields["verhaal"] == str(story.pk)
    assert fields["c"] == "ab12"

    fields.update(name="Sanne", phone="0612345678", postcode="3311 AB", consent="on")
    client.post(intake_page.url, fields)

    record = IntakeRecord.objects.get()
    assert record.source_story_id == story.pk
    assert record.source_page_id == story.pk
    assert record.campaign_code == "AB12"


@pytest.mark.parametrize("verhaal", ["999999", "abc", "-1", "1" * 11, "intake"], ids=str)
def test_unknown_story_reference_is_dropped_silently(client, intake_page, story, verhaal):
    if verhaal == "intake":
        verhaal = str(intake_page.pk)  # a live page, but not a story
    response = client.post(intake_page.url, valid_data(verhaal=verhaal, c="zomer!"))
    assert response.status_code == 302
    record = IntakeRecord.objects.get()
    assert record.source_story_id is None
    assert record.campaign_code == ""


def test_intake_team_gets_a_link_without_any_personal_data(
    client, intake_page, django_capture_on_commit_callbacks
):
    data = valid_data(
        name="Zwaantje Sentinelson",
        phone="06 98765432",
        email="zwaantje@example.org",
        message="Schuld bij de Belastingdienst",
        postcode="3312 QQ",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(intake_page.url, data)

    record = IntakeRecord.objects.get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aanmeldteam@example.org"]
    assert f"/admin/aanmeldingen/inspect/{record.pk}/" in message.body
    whole = message.subject + message.body + str(message.message())
    for value in ("Zwaantje", "Sentinelson", "98765432", "zwaantje@", "Belastingdienst", "3312"):
        assert value not in whole


def test_no_mail_for_a_bot(client, intake_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(intake_page.url, valid_data(website="spam"))
    assert mail.outbox == []


free_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # no lone surrogates
    max_size=300,
)


@settings(
    max_examples=40,
    database=None,  # no example store left in the checkout
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=free_text, message=free_text, email=st.one_of(st.just(""), st.emails()))
def test_any_text_is_refused_or_stored_exactly(client, intake_page, name, message, email):
    token = str(uuid.uuid4())
    data = valid_data(name=name, message=message, email=email, token=token)
    response = client.post(intake_page.url, data)

    assert response.status_code in (302, 400)
    record = IntakeRecord.objects.filter(submission_token=token).first()
    if response.status_code == 400:
        assert record is None
        return
    assert record is not None
    assert record.name == name.strip()
    assert record.message == message.strip()
    assert record.email == email.strip()
