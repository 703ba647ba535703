"""The consent managers' admin: consent records, texts, and asking the teller for approval.

Only the consent managers (and administrators) reach these screens; every look and change is
in the audit log; the private approval links are shown once and never stored.
"""

import io
import re
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from doorvertellen.models import AuditEntry
from verhalen.factories import ConsentRecordFactory, ConsentTextFactory, StoryPageFactory
from verhalen.models import ConsentRecord, StoryApproval, StoryPage
from verhalen.models.consent import hash_token

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Grietje Toestemmingproef",
    "contact_email": "grietje.proef@voorbeeld.example",
    "contact_phone": "06 24681357",
}
COMMENT = "Haal alsjeblieft de naam van mijn zus eruit"


@pytest.fixture
def consent(story):
    """The story's teller, with contact details and a request for a change on record."""
    record = story.consents().get()
    for name, value in CONTACT.items():
        setattr(record, name, value)
    record.save()
    StoryApproval.objects.create(
        consent=record,
        page=story,
        revision=story.get_latest_revision(),
        content_hash="0" * 64,
        token_hash="1" * 64,
        status=StoryApproval.Status.CHANGES_REQUESTED,
        decided_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=14),
        comment=COMMENT,
    )
    return record


def url(name, *args):
    return reverse(f"consent_records:{name}", args=args)


def entries(action, **kwargs):
    return AuditEntry.objects.filter(action=action, object_type="verhalen.ConsentRecord", **kwargs)


def form_data(consent, **changes):
    """The edit form as a browser would send it, with `changes` applied."""
    values = {
        "display_name": consent.display_name,
        "naming": consent.naming,
        "scope_website": "on",
        "scope_social": "on",
        "photo_allowed": "on",
        "city_shown": "on",
        "given_at": timezone.localtime(consent.given_at).strftime("%Y-%m-%d %H:%M")
        if consent.given_at
        else "",
        "expires_on": consent.expires_on.isoformat(),
        "text_version": consent.text_version_id,
        "withdrawn_at": "",
        **CONTACT,
        "page_links": inline_formset(
            [{"id": link.pk, "page": link.page_id} for link in consent.page_links.all()],
            initial=consent.page_links.count(),
        ),
    }
    values.update(changes)
    return nested_form_data(values)


# --- Who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "intake_member", "feedback_coordinator"])
def test_other_roles_reach_no_consent_screen(request, client, consent, role):
    client.force_login(request.getfixturevalue(role))
    for target in [
        url("index"),
        url("add"),
        url("inspect", consent.pk),
        url("edit", consent.pk),
        url("delete", consent.pk),
        url("history", consent.pk),
        url("request_approval", consent.pk),
        reverse("consent_texts:index"),
        reverse("consent_texts:edit", args=[consent.text_version_id]),
    ]:
        response = client.get(target)
        assert response.status_code in (302, 403), target
        body = response.content.decode()
        for value in [*CONTACT.values(), COMMENT]:
            assert value not in body, target
    post = client.post(url("request_approval", consent.pk))
    assert post.status_code in (302, 403)
    assert not StoryApproval.objects.filter(status=StoryApproval.Status.PENDING).exists()
    assert entries(AuditEntry.Action.VIEW, result=AuditEntry.Result.DENIED).exists()
    assert entries(AuditEntry.Action.CHANGE, result=AuditEntry.Result.DENIED).exists()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "toestemmingen/" not in menu


def test_the_list_shows_state_but_no_contact_details_or_comments(client, consent_manager, consent):
    client.force_login(consent_manager)
    response = client.get(url("index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert consent.display_name in body
    assert "Gegeven" in body
    assert "website, sociale media" in body
    assert consent.page_links.get().page.title in body
    assert "Wil een verandering" in body
    assert COMMENT not in body
    for value in CONTACT.values():
        assert value not in body
    assert entries(AuditEntry.Action.LIST, actor=consent_manager).count() == 1


def test_the_inspect_view_hides_nothing_and_is_logged(client, consent_manager, consent):
    client.force_login(consent_manager)
    response = client.get(url("inspect", consent.pk))
    assert response.status_code == 200
    body = response.content.decode()
    for value in [*CONTACT.values(), COMMENT, "Wil een verandering", "Versie"]:
        assert value in body
    (entry,) = entries(AuditEntry.Action.VIEW, object_id=str(consent.pk))
    assert entry.actor == consent_manager
    assert not any(value in entry.detail for value in CONTACT.values())


def test_search_and_filters(client, consent_manager, consent, story_index):
    other = ConsentRecordFactory(display_name="Willem", given_at=None, contact_email="")
    withdrawn = ConsentRecordFactory(display_name="Kees", withdrawn_at=timezone.now())
    expired = ConsentRecordFactory(
        display_name="Fatima", expires_on=timezone.localdate() - timedelta(days=1)
    )
    website_only = ConsentRecordFactory(display_name="Noor", scope_social=False)
    client.force_login(consent_manager)

    def names(**params):
        response = client.get(url("index"), params)
        assert response.status_code == 200
        return {
            name
            for name in ("Sandra", "Willem", "Kees", "Fatima", "Noor")
            if f">{name}<" in re.sub(r"\s+", "", response.content.decode())
        }

    assert names(q="will") == {other.display_name}
    assert names(status="pending") == {"Willem"}
    assert names(status="withdrawn") == {withdrawn.display_name}
    assert names(status="expired") == {expired.display_name}
    assert names(status="given") == {"Sandra", "Noor"}
    assert names(scope="social") == {"Sandra", "Willem", "Kees", "Fatima"}
    assert website_only.display_name in names()
    soon = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert names(expires_on_to=soon) == {"Fatima"}
    # Nonsense in the query string gets the whole list, never an error.
    assert client.get(url("index"), {"status": "x" * 500, "scope": "<b>"}).status_code == 200
    assert client.get(url("index"), {"expires_on_from": "gisteren"}).status_code == 200


# --- Create, edit, delete ------------------------------------------------------------------


def test_create_links_stories_records_who_and_is_logged(client, consent_manager, story_index):
    text = ConsentTextFactory()
    page = StoryPageFactory(parent=story_index, display_name="Henk", consent=False, live=False)
    client.force_login(consent_manager)
    assert client.get(url("add")).status_code == 200
    data = nested_form_data(
        {
            "display_name": "Henk",
            "naming": "first_name",
            "scope_website": "on",
            "given_at": "",
            "expires_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
            "text_version": text.pk,
            "withdrawn_at": "",
            **CONTACT,
            "page_links": inline_formset([{"page": page.pk}]),
        }
    )
    response = client.post(url("add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    consent = ConsentRecord.objects.get(display_name="Henk")
    assert consent.recorded_by == consent_manager
    assert consent.contact_email == CONTACT["contact_email"]
    assert list(consent.pages()) == [page.page_ptr]
    (entry,) = entries(AuditEntry.Action.CREATE, result=AuditEntry.Result.OK).exclude(object_id="")
    assert entry.object_id == str(consent.pk)


def test_a_bad_email_or_end_date_gets_a_kind_message(client, consent_manager, consent):
    client.force_login(consent_manager)
    response = client.post(
        url("edit", consent.pk),
        form_data(
            consent,
            contact_email="grietje at voorbeeld",
            expires_on=(timezone.localdate() - timedelta(days=400)).isoformat(),
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dit e-mailadres klopt niet" in body
    assert "Kies een latere datum" in body
    consent.refresh_from_db()
    assert consent.contact_email == CONTACT["contact_email"]


def test_a_withdrawal_entered_by_hand_takes_the_story_offline(
    client, consent_manager, consent, story
):
    assert story.live
    client.force_login(consent_manager)
    response = client.post(
        url("edit", consent.pk),
        form_data(consent, withdrawn_at=timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    consent.refresh_from_db()
    assert not story.live
    assert consent.status == ConsentRecord.Status.WITHDRAWN
    assert consent.offline_since is not None
    assert entries(AuditEntry.Action.CHANGE, object_id=str(consent.pk)).count() >= 2


def test_deleting_a_record_takes_its_stories_offline_first(client, consent_manager, consent, story):
    client.force_login(consent_manager)
    assert client.get(url("delete", consent.pk)).status_code == 200
    response = client.post(url("delete", consent.pk))
    assert response.status_code == 302
    assert not ConsentRecord.objects.filter(pk=consent.pk).exists()
    assert not StoryApproval.objects.filter(consent_id=consent.pk).exists()
    story.refresh_from_db()
    assert not story.live
    assert entries(AuditEntry.Action.DELETE, object_id=str(consent.pk)).exists()


# --- Asking for approval -------------------------------------------------------------------


def test_the_form_only_explains_what_will_happen(client, consent_manager, consent):
    client.force_login(consent_manager)
    before = StoryApproval.objects.count()
    response = client.get(url("request_approval", consent.pk))
    assert response.status_code == 200
    assert "Maak de links" in response.content.decode()
    assert StoryApproval.objects.count() == before
    assert not mail.outbox


def test_asking_shows_each_link_once_and_mails_it(client, consent_manager, consent, story):
    client.force_login(consent_manager)
    old = StoryApproval.objects.create(
        consent=consent,
        page=story,
        content_hash="2" * 64,
        token_hash="3" * 64,
        expires_at=timezone.now() + timedelta(days=3),
    )
    response = client.post(url("request_approval", consent.pk))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store")
    body = response.content.decode()
    (link,) = re.findall(r"https?://[^\"'<\s]+/toestemming/akkoord/([^/\"]+)/", body)
    approval = StoryApproval.objects.get(token_hash=hash_token(link))
    assert approval.status == StoryApproval.Status.PENDING
    assert approval.created_by == consent_manager
    assert approval.content_hash == story.get_latest_revision().as_object().approval_hash()
    old.refresh_from_db()
    assert old.status == StoryApproval.Status.SUPERSEDED
    assert link not in approval.token_hash

    (message,) = mail.outbox
    assert message.to == [CONTACT["contact_email"]]
    assert f"Hallo {consent.display_name}," in message.body
    assert link in message.body
    for value in (CONTACT["contact_name"], CONTACT["contact_phone"], story.title):
        assert value not in message.body

    (entry,) = entries(AuditEntry.Action.CHANGE, object_id=str(consent.pk))
    assert entry.detail == "approval requested: 1 pages, mail sent"

    # The list and the record show the question, never the link.
    for screen in (url("index"), url("inspect", consent.pk)):
        page = client.get(screen).content.decode()
        assert "Wacht op de verteller" in page
        assert link not in page


def test_without_an_email_address_the_links_are_only_shown(client, consent_manager, consent):
    consent.contact_email = ""
    consent.save()
    client.force_login(consent_manager)
    response = client.post(url("request_approval", consent.pk))
    assert response.status_code == 200
    assert "/toestemming/akkoord/" in response.content.decode()
    assert not mail.outbox


def test_a_failing_mail_server_still_shows_the_links(client, consent_manager, consent, monkeypatch):
    def fail(*args, **kwargs):
        raise SMTPException("down")

    monkeypatch.setattr("verhalen.wagtail_hooks.send_mail", fail)
    client.force_login(consent_manager)
    response = client.post(url("request_approval", consent.pk), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "/toestemming/akkoord/" in body
    assert "De e-mail kon niet worden verstuurd" in body


def test_a_story_without_a_revision_gets_one(client, consent_manager, story_index):
    page = StoryPageFactory(parent=story_index, display_name="Lies", consent=False, live=False)
    page.revisions.all().delete()
    consent = ConsentRecordFactory(display_name="Lies", pages=[page])
    client.force_login(consent_manager)
    response = client.post(url("request_approval", consent.pk))
    assert response.status_code == 200
    approval = StoryApproval.objects.get(consent=consent)
    assert approval.revision is not None
    assert approval.content_hash == page.approval_hash()


def test_no_questions_for_a_withdrawn_consent_or_one_without_stories(client, consent_manager):
    withdrawn = ConsentRecordFactory(display_name="Kees", withdrawn_at=timezone.now())
    lonely = ConsentRecordFactory(display_name="Ans")
    client.force_login(consent_manager)
    for consent, message in ((withdrawn, "ingetrokken"), (lonely, "Koppel eerst een verhaal")):
        assert message in client.get(url("request_approval", consent.pk)).content.decode()
        response = client.post(url("request_approval", consent.pk))
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not StoryApproval.objects.exists()
    assert client.get(url("request_approval", 999999)).status_code == 404


# --- Consent texts -------------------------------------------------------------------------


def test_a_text_in_use_cannot_be_changed(client, consent_manager, consent):
    text = consent.text_version
    client.force_login(consent_manager)
    response = client.post(
        reverse("consent_texts:edit", args=[text.pk]),
        {"version": text.version, "text": "Een andere tekst"},
    )
    assert response.status_code == 200
    assert "maak een nieuwe versie" in response.content.decode()
    text.refresh_from_db()
    assert text.text != "Een andere tekst"

    response = client.post(
        reverse("consent_texts:add"), {"version": "2026-2", "text": "Een nieuwe tekst."}
    )
    assert response.status_code == 302


# --- Demo content --------------------------------------------------------------------------


def demo_state():
    return (
        sorted(
            ConsentRecord.objects.values_list(
                "pk", "display_name", "given_at", "expires_on", "scope_social", "scope_video"
            )
        ),
        sorted(StoryApproval.objects.values_list("pk", "page_id", "content_hash", "status")),
        sorted(StoryPage.objects.values_list("pk", "live", "latest_revision_id")),
    )


def test_the_demo_stories_are_published_under_invented_consent(client, consent_manager):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "7 toestemmingen" in out.getvalue()
    stories = StoryPage.objects.all()  # six stories and one documentary, and translations
    assert stories.filter(locale__language_code="nl").count() == 7
    for story in stories:
        assert story.live
        assert story.consent_problems() == []
        (consent,) = story.consents()
        assert consent.text_version.version == "2026-1"
        assert consent.contact_email.endswith("@voorbeeld.nl")
        assert consent.photo_allowed
        assert consent.expires_on > timezone.localdate() + timedelta(days=360)
    website_only = ConsentRecord.objects.filter(scope_social=False, scope_video=False)
    assert list(website_only.values_list("display_name", flat=True)) == ["Ingrid"]

    client.force_login(consent_manager)
    assert "Ingrid" in client.get(url("index")).content.decode()


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo_content", stdout=io.StringIO())
    before = demo_state()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "Niets nieuw" in out.getvalue()
    assert demo_state() == before


def test_switching_the_website_off_takes_the_story_offline_without_a_withdrawal(
    client, consent_manager, consent, story
):
    client.force_login(consent_manager)
    data = form_data(consent)
    del data["scope_website"]
    response = client.post(url("edit", consent.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    consent.refresh_from_db()
    assert not story.live
    assert consent.withdrawn_at is None
    assert consent.offline_since is not None
