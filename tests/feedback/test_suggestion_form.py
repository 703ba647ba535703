"""Denk mee: a former client's suggestion, what is stored (encrypted, once) and what is not."""

import html
import logging
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.db import connection

from feedback.factories import SuggestionPageFactory, YouSaidWeDidPageFactory
from feedback.models import Phase, Suggestion
from tests.helpers import form_inputs, links, signed_render_time, text

pytestmark = pytest.mark.django_db

SUMMARY_TITLE = "Bijna klaar. Kijk nog even naar deze punten:"


@pytest.fixture
def suggestion_page(home, service_settings):
    page = SuggestionPageFactory(parent=home)
    page.answers_page = YouSaidWeDidPageFactory(parent=page)
    page.save()
    return page


def thanks_url(page):
    return page.url + "bedankt/"


def textarea_value(response, name):
    """What a browser would show in a textarea (its content, HTML-unescaped)."""
    match = re.search(
        rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', text(response), re.S
    )
    assert match, f"no textarea {name}"
    return html.unescape(match.group(1))


def suggestion_data(**overrides):
    data = {
        "phase": Phase.FIRST_MEETING,
        "what_happened": "Ik moest drie weken wachten op een gesprek.",
        "what_better": "Bel mensen binnen een week terug.",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "token": str(uuid.uuid4()),
        "rendered_at": signed_render_time(),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def raw_row(suggestion):
    """The personal columns exactly as the database holds them, bypassing the model."""
    columns = ("what_happened", "what_better", "contact_name", "contact_email", "contact_phone")
    table = connection.ops.quote_name(Suggestion._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table} WHERE id = %s", [suggestion.pk])  # noqa: S608
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_form_page_shows_every_phase_and_is_not_cached(client, suggestion_page):
    response = client.get(suggestion_page.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = text(response)
    for _value, label in Phase.choices:
        assert str(label) in body
    fields = form_inputs(response)
    assert {"token", "rendered_at", "website", "contact_name", "contact_email"} <= set(fields)
    assert uuid.UUID(fields["token"])
    assert "Alleen de feedbackcoördinator ziet je naam en gegevens." in body
    assert "Ik wil meedenken in een panel van ervaringsdeskundigen" in body
    assert "Ik wil mijn verhaal vertellen als verhalenambassadeur" in body


def test_valid_submission_stores_one_encrypted_suggestion(client, suggestion_page):
    data = suggestion_data(
        what_happened="Mijn brief van de gemeente snapte ik niet. Zoë",
        contact_name="Sanne Geheimnaam",
        contact_email="sanne.geheim@example.org",
        contact_phone="06 98765432",
        wants_panel="on",
    )
    response = client.post(suggestion_page.url, data, HTTP_ACCEPT_LANGUAGE="nl")

    assert response.status_code == 302
    assert response["Location"] == thanks_url(suggestion_page) + "?contact=mail"
    suggestion = Suggestion.objects.get()
    assert suggestion.phase == Phase.FIRST_MEETING
    assert suggestion.what_happened == "Mijn brief van de gemeente snapte ik niet. Zoë"
    assert suggestion.what_better == "Bel mensen binnen een week terug."
    assert suggestion.contact_email == "sanne.geheim@example.org"
    assert suggestion.contact_phone == "06 98765432"
    assert suggestion.wants_panel is True
    assert suggestion.wants_ambassador is False
    assert suggestion.language == "nl"
    assert str(suggestion.submission_token) == data["token"]

    stored = raw_row(suggestion)
    for column, plain in [
        ("what_happened", "snapte ik niet"),
        ("what_better", "binnen een week"),
        ("contact_name", "Geheimnaam"),
        ("contact_email", "sanne.geheim"),
        ("contact_phone", "98765432"),
    ]:
        assert plain not in str(stored[column]), column

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    body = text(thanks)
    assert "binnen twee weken" in body
    assert "Verandert er iets aan je voorstel? Dan laten we het je weten." in body
    assert suggestion_page.answers_page.url in links(thanks)


def test_anonymous_suggestion_is_welcome(client, suggestion_page):
    response = client.post(suggestion_page.url, suggestion_data())
    assert response.status_code == 302
    assert response["Location"] == thanks_url(suggestion_page)
    suggestion = Suggestion.objects.get()
    assert (suggestion.contact_name, suggestion.contact_email, suggestion.contact_phone) == (
        "",
        "",
        "",
    )
    assert not suggestion.has_contact
    thanks = client.get(response["Location"])
    assert "Je hebt geen e-mailadres of telefoonnummer ingevuld." in text(thanks)


def test_a_phone_number_alone_is_told_that_news_comes_by_mail_only(client, suggestion_page):
    response = client.post(suggestion_page.url, suggestion_data(contact_phone="06 98765432"))
    assert response["Location"] == thanks_url(suggestion_page) + "?contact=telefoon"
    assert Suggestion.objects.get().contact_phone == "06 98765432"
    body = text(client.get(response["Location"]))
    assert "Je hebt alleen je telefoonnummer ingevuld." in body
    assert "dus dat krijg je niet vanzelf" in body
    assert "Dan laten we het je weten." not in body


def test_the_thanks_page_ignores_a_made_up_contact_flag(client, suggestion_page):
    body = text(client.get(thanks_url(suggestion_page) + "?contact=<b>ja</b>"))
    assert "Je hebt geen e-mailadres of telefoonnummer ingevuld." in body
    assert "<b>ja</b>" not in body


def test_same_form_sent_twice_stores_one_suggestion(client, suggestion_page):
    data = suggestion_data()
    first = client.post(suggestion_page.url, data)
    second = client.post(suggestion_page.url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Suggestion.objects.count() == 1


def test_a_new_form_is_a_new_suggestion(client, suggestion_page):
    client.post(suggestion_page.url, suggestion_data())
    client.post(suggestion_page.url, suggestion_data())
    assert Suggestion.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phase": None}, "Kies over welk deel van de hulp je voorstel gaat."),
        ({"phase": "iets-anders"}, "Kies over welk deel van de hulp je voorstel gaat."),
        ({"what_happened": ""}, "Vertel kort wat er gebeurde."),
        ({"what_happened": "  \u200b "}, "Vertel kort wat er gebeurde."),
        ({"what_better": ""}, "Vertel kort wat er beter kan."),
        ({"what_better": "x" * 2001}, "Je tekst is te lang. Gebruik hoogstens 2000 tekens."),
        ({"what_happened": "x" * 2001}, "Je tekst is te lang. Gebruik hoogstens 2000 tekens."),
        ({"contact_name": "n" * 101}, "Je naam is te lang."),
        ({"contact_email": "sanne@"}, "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ({"contact_phone": "bel me maar"}, "Dit telefoonnummer klopt niet."),
        ({"contact_phone": "06 123"}, "Dit telefoonnummer klopt niet."),
        ({"wants_panel": "on"}, "Vul dan je e-mailadres of telefoonnummer in."),
        ({"wants_ambassador": "on"}, "Vul dan je e-mailadres of telefoonnummer in."),
    ],
)
def test_bad_input_is_explained_kindly_and_kept(client, suggestion_page, overrides, message):
    typed = {"what_happened": "Wachten <duurde> lang & ik was bang.", "contact_name": "Noor"}
    data = suggestion_data(**{**typed, **overrides})
    response = client.post(suggestion_page.url, data)

    assert response.status_code == 400
    body = text(response)
    assert SUMMARY_TITLE in body
    assert message in body
    assert "no-store" in response["Cache-Control"]
    assert not Suggestion.objects.exists()
    # Everything typed is still there.
    fields = form_inputs(response)
    if "contact_name" not in overrides:
        assert fields["contact_name"] == "Noor"
    assert fields["token"] == data["token"]
    if "what_happened" not in overrides:
        assert textarea_value(response, "what_happened") == data["what_happened"]
    else:
        assert (
            textarea_value(response, "what_happened").strip() == overrides["what_happened"].strip()
        )
    if "what_better" not in overrides:
        assert textarea_value(response, "what_better") == data["what_better"]
    if overrides.get("phase") in Phase.values or "phase" not in overrides:
        assert fields["phase"] == data["phase"]
    for box in ("wants_panel", "wants_ambassador"):
        if box in overrides:
            assert box in fields  # a ticked box is sent back ticked


def test_error_summary_links_to_the_first_radio_button(client, suggestion_page):
    response = client.post(suggestion_page.url, suggestion_data(phase=None))
    assert "#id_phase_0" in links(response)
    assert 'id="id_phase_0"' in text(response)


def test_text_of_exactly_the_maximum_length_is_stored(client, suggestion_page):
    longest = "a" * 2000
    response = client.post(
        suggestion_page.url, suggestion_data(what_happened=longest, what_better=longest)
    )
    assert response.status_code == 302
    assert Suggestion.objects.get().what_happened == longest


def test_textareas_carry_the_length_limit(client, suggestion_page):
    body = text(client.get(suggestion_page.url))
    assert body.count('maxlength="2000"') == 2


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
def test_bot_submission_looks_accepted_but_stores_nothing(client, suggestion_page, overrides):
    response = client.post(suggestion_page.url, suggestion_data(**overrides))
    assert response.status_code == 302
    assert response["Location"].startswith(thanks_url(suggestion_page))
    assert not Suggestion.objects.exists()


def test_form_sent_back_too_fast_is_not_stored(client, suggestion_page, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 3
    response = client.post(
        suggestion_page.url, suggestion_data(rendered_at=signed_render_time(seconds_ago=0))
    )
    assert response.status_code == 302
    assert not Suggestion.objects.exists()

    client.post(suggestion_page.url, suggestion_data(rendered_at=signed_render_time(seconds_ago=5)))
    assert Suggestion.objects.count() == 1


def test_form_left_open_too_long_asks_to_send_again_and_keeps_the_text(
    client, suggestion_page, settings
):
    stale = signed_render_time(seconds_ago=settings.PUBLIC_FORM_MAX_AGE + 60)
    data = suggestion_data(rendered_at=stale)
    response = client.post(suggestion_page.url, data)
    assert response.status_code == 400
    assert "Dit formulier stond te lang open." in text(response)
    assert textarea_value(response, "what_better") == data["what_better"]
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"what_happened": "Help\x00"},
        {"contact_name": "Jan\x00"},
        {"what_better": "x" * 100_000},
    ],
    ids=["nul-text", "nul-name", "huge-text"],
)
def test_hostile_values_are_refused(client, suggestion_page, overrides):
    response = client.post(suggestion_page.url, suggestion_data(**overrides))
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_body_that_is_not_utf8_is_refused(client, suggestion_page):
    data = suggestion_data()
    del data["what_better"]
    body = urlencode(data).encode() + b"&what_better=geld%FF%FEzorgen"
    response = client.generic(
        "POST", suggestion_page.url, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Je gegevens kwamen niet goed bij ons aan." in text(response)
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, suggestion_page, method):
    response = getattr(client, method)(suggestion_page.url, suggestion_data())
    assert response.status_code == 405
    assert "POST" in response["Allow"]


def test_over_the_rate_limit_stores_nothing_and_keeps_the_input(
    client, suggestion_page, settings, caplog
):
    settings.PUBLIC_FORM_RATE_LIMIT = 3
    settings.PUBLIC_FORM_RATE_WINDOW = 600
    for _ in range(3):
        assert client.post(suggestion_page.url, suggestion_data()).status_code == 302
    data = suggestion_data(contact_name="Noor", wants_ambassador="on", contact_phone="0612345678")
    with caplog.at_level(logging.WARNING, logger="doorvertellen.forms"):
        response = client.post(suggestion_page.url, data)
    assert response.status_code == 429
    assert Suggestion.objects.count() == 3
    assert "Wacht tien minuten" in text(response)
    fields = form_inputs(response)
    assert fields["contact_name"] == "Noor"
    assert "wants_ambassador" in fields  # still ticked
    assert fields["phase"] == data["phase"]
    assert textarea_value(response, "what_happened") == data["what_happened"]
    assert any("rate limit" in record.getMessage() for record in caplog.records)


def test_rate_limit_is_its_own_and_not_the_intake_one(client, suggestion_page, settings):
    """A busy intake form from the same address does not block a suggestion."""
    from django.test import RequestFactory

    from doorvertellen import ratelimit

    settings.PUBLIC_FORM_RATE_LIMIT = 1
    ratelimit.hit(RequestFactory().post("/", REMOTE_ADDR="127.0.0.1"), "intake")
    ratelimit.hit(RequestFactory().post("/", REMOTE_ADDR="127.0.0.1"), "intake")
    assert client.post(suggestion_page.url, suggestion_data()).status_code == 302


def test_no_cookie_other_than_csrftoken(client, suggestion_page):
    response = client.get(suggestion_page.url)
    assert set(response.cookies) <= {"csrftoken"}
    posted = client.post(suggestion_page.url, suggestion_data(contact_email="a@example.org"))
    assert set(posted.cookies) <= {"csrftoken"}
    thanks = client.get(posted["Location"])
    assert set(thanks.cookies) <= {"csrftoken"}
    assert "sessionid" not in client.cookies
