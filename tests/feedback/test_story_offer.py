"""Deel je verhaal: an offer becomes a draft and a pending consent, never anything public."""

import html
import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from doorvertellen.models import AuditEntry
from feedback.factories import StoryOfferPageFactory
from tests.helpers import form_inputs, signed_render_time, text
from verhalen.models import ConsentRecord, ConsentText, StoryPage
from verhalen.models.pages import PublishRefused

pytestmark = pytest.mark.django_db

SUMMARY_TITLE = "Bijna klaar. Kijk nog even naar deze punten:"
STORY = (
    "Ik durfde mijn post niet meer open te maken. Mijn zus zei: bel de gemeente.\n\n"
    "Nu heb ik weer rust. Ik slaap beter."
)


@pytest.fixture
def offer_page(home, service_settings, story_index):
    return StoryOfferPageFactory(parent=home)


@pytest.fixture
def staff(editor, consent_manager):
    return [editor, consent_manager]


def offer_data(**overrides):
    data = {
        "story": STORY,
        "display_name": "Mirjam",
        "phone": "06 12345678",
        "email": "mirjam@example.org",
        "contact_ok": "on",
        "token": str(uuid.uuid4()),
        "rendered_at": signed_render_time(),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def drafts():
    return StoryPage.objects.filter(slug__startswith="aanbod-")


def textarea_value(response, name):
    match = re.search(
        rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', text(response), re.S
    )
    assert match, f"no textarea {name}"
    return html.unescape(match.group(1))


def raw_contact(consent):
    """The contact columns exactly as the database holds them, bypassing the model."""
    columns = ("contact_email", "contact_phone")
    table = connection.ops.quote_name(ConsentRecord._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table} WHERE id = %s", [consent.pk])  # noqa: S608
        return dict(zip(columns, cursor.fetchone(), strict=True))


def send_offer(client, page, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(page.url, offer_data(**overrides))


def test_form_page_asks_little_and_is_not_cached(client, offer_page):
    response = client.get(offer_page.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    fields = form_inputs(response)
    assert {"display_name", "phone", "email", "token", "rendered_at", "website"} <= set(fields)
    assert uuid.UUID(fields["token"])
    body = text(response)
    assert "Hoe wil je genoemd worden?" in body
    assert "Je voornaam of een verzonnen naam (schuilnaam)." in body
    assert 'name="story"' in body


def test_offer_becomes_a_draft_story_with_a_pending_consent(
    client, offer_page, story_index, staff, django_capture_on_commit_callbacks
):
    response = send_offer(client, offer_page, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == offer_page.url + "bedankt/"

    story = drafts().get()
    assert story.live is False
    assert story.get_parent().specific == story_index
    assert story.title == "Aanbod: Mirjam"
    assert story.display_name == "Mirjam"
    assert story.quote == "Ik durfde mijn post niet meer open te maken."
    assert story.summary == STORY
    paragraphs = [str(block.value) for block in story.body]
    assert len(paragraphs) == 2
    assert "Nu heb ik weer rust." in paragraphs[1]

    consent = ConsentRecord.objects.get()
    assert consent.status == ConsentRecord.Status.PENDING
    assert consent.given_at is None
    assert consent.scope_website is True
    assert not (consent.scope_social or consent.scope_print or consent.scope_video)
    assert not (consent.photo_allowed or consent.city_shown)
    assert (consent.expires_on - consent.recorded_at.date()).days in (365, 366)
    assert consent.display_name == "Mirjam"
    assert consent.contact_email == "mirjam@example.org"
    assert consent.contact_phone == "06 12345678"
    assert list(consent.pages()) == [story.page_ptr]
    # Encrypted at rest: the database holds no readable address or number.
    raw = raw_contact(consent)
    assert "mirjam@example.org" not in raw["contact_email"]
    assert "12345678" not in raw["contact_phone"]

    # The newest consent text is recorded; with none at all a text for offers is made once.
    assert consent.text_version.version == "aanbod"
    entry = AuditEntry.objects.get(object_type="verhalen.ConsentRecord")
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.object_id == str(consent.pk)
    assert entry.detail == "story offer"

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "no-store" in thanks["Cache-Control"]
    body = text(thanks)
    assert "Er staat nog niets online." in body
    assert "binnen twee weken contact" in body
    assert "Jij beslist of het online mag." in body
    assert "Je kunt altijd stoppen" in body


def test_the_page_chosen_consent_text_is_recorded(
    client, offer_page, django_capture_on_commit_callbacks
):
    chosen = ConsentText.objects.create(version="2026-1", text="Gekozen tekst.")
    ConsentText.objects.create(
        version="2026-2", text="Nieuwste tekst.", created_at=chosen.created_at + timedelta(days=1)
    )
    send_offer(client, offer_page, django_capture_on_commit_callbacks)
    assert ConsentRecord.objects.get().text_version.version == "2026-2"

    offer_page.consent_text = chosen
    offer_page.save()
    send_offer(client, offer_page, django_capture_on_commit_callbacks, display_name="Kees")
    assert ConsentRecord.objects.get(display_name="Kees").text_version == chosen


def test_draft_is_not_publicly_reachable_anywhere(
    client, offer_page, story, django_capture_on_commit_callbacks
):
    send_offer(client, offer_page, django_capture_on_commit_callbacks, display_name="Zeldzaam")
    draft = drafts().get()

    assert client.get(f"{draft.get_parent().url}{draft.slug}/").status_code == 404
    index = client.get(draft.get_parent().url)
    assert index.status_code == 200
    assert story.title in text(index)
    assert "Zeldzaam" not in text(index)
    assert "Ik durfde mijn post" not in text(index)
    for query in ("durfde", "Zeldzaam", "Aanbod"):
        search = client.get("/zoeken/", {"q": query})
        assert search.status_code == 200
        assert "Aanbod: Zeldzaam" not in text(search)
        assert "Ik durfde mijn post" not in text(search)
        assert draft.slug not in text(search)
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert draft.slug not in text(sitemap)


def test_the_draft_cannot_be_published_without_consent(
    client, offer_page, django_capture_on_commit_callbacks
):
    send_offer(client, offer_page, django_capture_on_commit_callbacks)
    draft = drafts().get()
    revision = draft.save_revision()
    with pytest.raises(PublishRefused):
        revision.publish()
    draft.refresh_from_db()
    assert draft.live is False


def test_staff_mail_holds_no_personal_data(
    client, offer_page, staff, django_capture_on_commit_callbacks
):
    send_offer(client, offer_page, django_capture_on_commit_callbacks)
    draft = drafts().get()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(user.email for user in staff)
    assert message.subject == "Er is een nieuw verhaal aangeboden"
    assert "Er is een nieuw verhaal aangeboden" in message.body
    assert f"/admin/pages/{draft.pk}/edit/" in message.body
    for personal in ("Mirjam", "mirjam@example.org", "12345678", "post", "rust"):
        assert personal not in message.subject
        assert personal not in message.body


def test_double_submit_stores_once(client, offer_page, staff, django_capture_on_commit_callbacks):
    data = offer_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(offer_page.url, data)
        second = client.post(offer_page.url, data)
    assert first.status_code == second.status_code == 302
    assert drafts().count() == 1
    assert ConsentRecord.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="verhalen.ConsentRecord").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"story": ""}, "Vertel in een paar zinnen wat je wilt delen."),
        ({"story": " \u200b "}, "Vertel in een paar zinnen wat je wilt delen."),
        ({"story": "a" * 3001}, "Je verhaal is te lang. Gebruik hoogstens 3000 tekens."),
        ({"display_name": ""}, "Vul een voornaam of een schuilnaam in."),
        ({"display_name": "x" * 41}, "Deze naam is te lang. Gebruik hoogstens 40 tekens."),
        ({"phone": "", "email": ""}, "Vul je telefoonnummer of je e-mailadres in."),
        ({"phone": "bel me maar"}, "Dit telefoonnummer klopt niet."),
        ({"email": "mirjam@", "phone": ""}, "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ({"contact_ok": None}, "Zet een vinkje als we contact met je mogen opnemen."),
    ],
)
def test_bad_input_is_explained_kindly_and_kept(client, offer_page, overrides, message):
    response = client.post(offer_page.url, offer_data(**overrides))
    assert response.status_code == 400
    assert "no-store" in response["Cache-Control"]
    body = text(response)
    assert SUMMARY_TITLE in body
    assert message in body
    assert "<title>Fout:" in body
    data = offer_data(**overrides)
    assert textarea_value(response, "story") == data["story"]
    assert form_inputs(response)["display_name"] == data["display_name"]
    assert drafts().count() == 0
    assert ConsentRecord.objects.count() == 0


@pytest.mark.parametrize(
    "overrides",
    [{"website": "http://spam.example"}, {"rendered_at": "rommel"}],
)
def test_bots_look_accepted_but_nothing_is_stored(client, offer_page, staff, overrides):
    response = client.post(offer_page.url, offer_data(**overrides))
    assert response.status_code == 302
    assert drafts().count() == 0
    assert ConsentRecord.objects.count() == 0
    assert mail.outbox == []


def test_too_fast_stores_nothing(client, offer_page, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 5
    response = client.post(offer_page.url, offer_data(rendered_at=signed_render_time(1)))
    assert response.status_code == 302
    assert drafts().count() == 0


def test_rate_limit_answers_429_and_keeps_the_input(client, offer_page, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    for _attempt in range(2):
        client.post(offer_page.url, offer_data(story=""))
    response = client.post(offer_page.url, offer_data())
    assert response.status_code == 429
    assert "Wacht tien minuten" in text(response)
    assert textarea_value(response, "story") == STORY
    assert drafts().count() == 0
