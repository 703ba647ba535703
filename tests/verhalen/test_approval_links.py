"""The storyteller's approval link: read the exact version, then say yes or ask for a change."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doorvertellen import roles
from doorvertellen.models import AuditEntry
from tests.helpers import elements, signed_render_time, text
from verhalen.factories import ConsentRecordFactory, StoryPageFactory
from verhalen.models import ConsentRecord, DocumentaryPage, StoryApproval, Video
from verhalen.models.consent import hash_token

pytestmark = pytest.mark.django_db

QUOTE = "Bellen was het moeilijkste, daarna ging het vanzelf."
COMMENT = "Mijn dochter heet geen Lisa maar Lies. En de woonplaats liever weg."


@pytest.fixture
def draft(story_index, service_settings, editor):
    """A story written by the editor, not yet online, without any approval."""
    return StoryPageFactory(
        parent=story_index,
        title="Hoe Noor weer rust kreeg",
        display_name="Noor",
        city="Dordrecht",
        quote=QUOTE,
        what_helped="Een vaste hulpverlener die terugbelde.",
        where_now="Ik heb weer overzicht en slaap beter.",
        live=False,
        consent=False,
        owner=editor,
    )


@pytest.fixture
def consent(draft):
    """Recorded by the consent manager; the storyteller has not said yes yet."""
    return ConsentRecordFactory(
        display_name="Noor",
        given_at=None,
        scope_social=False,
        photo_allowed=False,
        contact_name="Noor Bakker",
        contact_email="noor.bakker@example.org",
        contact_phone="06 11122233",
        pages=[draft],
    )


@pytest.fixture
def asked(consent, draft):
    """(approval, token): the consent manager asked about the draft's latest version."""
    return StoryApproval.create_for(consent, draft, draft.save_revision())


def url(token):
    return reverse("verhalen:approval", args=[token])


def answer(client, token, kind="approve", **extra):
    data = {"answer": kind, "rendered_at": signed_render_time(), "website": "", **extra}
    return client.post(url(token), data)


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_link_works_without_login_and_shows_the_asked_version(asked, draft):
    _approval, token = asked
    # The editor goes on writing after asking: the storyteller still reads what was asked.
    newer = draft.get_latest_revision_as_object()
    newer.quote = "Een heel andere zin."
    newer.save_revision()

    response = Client().get(url(token))

    assert response.status_code == 200
    body = text(response)
    for snippet in [
        "Hoe Noor weer rust kreeg",
        "Het verhaal van Noor, Dordrecht",
        QUOTE,
        "Sandra kon de huur niet meer betalen.",  # the summary
        "Het begon met een rekening die ik niet kon betalen.",  # the body
        "Een vaste hulpverlener die terugbelde.",
        "Ik heb weer overzicht en slaap beter.",
        "Op onze website.",
        "Je kunt je toestemming altijd intrekken.",
        "Ja, dit klopt. Zet het online.",
        "Ik wil iets veranderen",
        "14 010",  # the service's phone number
    ]:
        assert snippet in body, snippet
    assert "Een heel andere zin." not in body
    assert "Op sociale media" not in body  # not in this consent's scope
    assert "Noor Bakker" not in body
    expires = ConsentRecord.objects.get().expires_on
    assert f"tot {expires.day} " in body
    # Two forms, each with their own ids.
    ids = [attrs["id"] for _tag, attrs in elements(response) if "id" in attrs]
    assert len(ids) == len(set(ids))


def test_a_documentary_shows_its_transcript_and_a_note_about_the_film(
    story_index, service_settings
):
    video = Video.objects.create(
        title="Film van Ahmed", external_url="https://www.youtube.com/watch?v=abcdefghijk"
    )
    film = story_index.add_child(
        instance=DocumentaryPage(
            title="Ahmed vertelt",
            slug="ahmed-vertelt",
            display_name="Ahmed",
            quote="Ik schaamde me, tot ik hoorde dat het veel mensen overkomt.",
            summary="Ahmed verloor zijn baan.",
            video=video,
            transcript="Ahmed: Ik kreeg steeds meer brieven.\n\nHulpverlener: Toen belde je ons.",
            live=False,
        )
    )
    consent = ConsentRecordFactory(display_name="Ahmed", given_at=None, pages=[film])
    _approval, token = StoryApproval.create_for(consent, film, film.save_revision())

    body = text(Client().get(url(token)))

    assert "Ik kreeg steeds meer brieven." in body
    assert "Film van Ahmed" in body
    assert "De film staat niet op deze pagina." in body


def test_approving_ties_the_yes_to_that_version_and_gives_a_withdrawal_link(
    asked, draft, consent, editor, consent_manager
):
    approval, token = asked
    client = Client()
    response = answer(client, token)

    assert response.status_code == 200
    assert_private(response)
    approval.refresh_from_db()
    assert approval.status == StoryApproval.Status.APPROVED
    assert approval.decided_at is not None
    consent.refresh_from_db()
    # The storyteller's yes is their consent act; the recorded scope stays as it was.
    assert consent.given_at is not None
    assert consent.scope_website and not consent.scope_social
    # The withdrawal link: shown once, mailed to the storyteller, stored only as a hash.
    links = [
        attrs["href"]
        for _tag, attrs in elements(response, "a")
        if "/toestemming/intrekken/" in attrs.get("href", "")
    ]
    assert len(links) == 1
    token_in_link = links[0].rstrip("/").rsplit("/", 1)[1]
    assert consent.withdrawal_token_hash == hash_token(token_in_link)
    to_teller = [m for m in mail.outbox if m.to == ["noor.bakker@example.org"]]
    assert len(to_teller) == 1
    assert links[0] in to_teller[0].body
    # The editors (and the page owner) may publish now; their mail names nobody.
    to_staff = [m for m in mail.outbox if m.to != ["noor.bakker@example.org"]]
    assert len(to_staff) == 1
    assert editor.email in to_staff[0].to
    assert "Hoe Noor weer rust kreeg" in to_staff[0].body
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in to_staff[0].body
    for private in ("Noor Bakker", "noor.bakker@example.org", "06 11122233", token_in_link):
        assert private not in to_staff[0].body
    # Exactly the approved version can be published now.
    approval.revision.publish()
    draft.refresh_from_db()
    assert draft.live
    assert AuditEntry.objects.filter(
        object_type="verhalen.StoryApproval", object_id=str(approval.pk), detail="approved"
    ).exists()


def test_an_existing_consent_date_is_kept(asked, consent):
    given = timezone.now() - timedelta(days=3)
    ConsentRecord.objects.filter(pk=consent.pk).update(given_at=given)
    answer(Client(), asked[1])
    consent.refresh_from_db()
    assert consent.given_at == given


def test_an_unknown_link_gets_a_kind_404(service_settings):
    for token in ["x" * 43, "kort", "a" * 300, "%3Cscript%3E"]:
        response = Client().get(url(token))
        assert response.status_code == 404
        assert_private(response)
        body = text(response)
        assert "Deze link werkt niet" in body
        assert "14 010" in body
        assert not response.cookies


def test_a_used_link_is_refused_kindly(asked):
    _approval, token = asked
    answer(Client(), token)
    mail.outbox.clear()

    for response in [Client().get(url(token)), answer(Client(), token)]:
        assert response.status_code == 410
        assert "Je hebt al akkoord gegeven" in text(response)
    assert mail.outbox == []
    assert StoryApproval.objects.approved().count() == 1


def test_an_expired_link_is_refused_kindly(asked):
    approval, token = asked
    with time_machine.travel(approval.expires_at + timedelta(seconds=1)):
        response = Client().get(url(token))
        assert response.status_code == 410
        assert "Deze link is verlopen" in text(response)
        assert answer(Client(), token).status_code == 410
    approval.refresh_from_db()
    assert approval.status == StoryApproval.Status.PENDING


def test_a_new_question_supersedes_the_old_link(asked, consent, draft):
    _old, old_token = asked
    _new, new_token = StoryApproval.create_for(consent, draft, draft.save_revision())

    response = Client().get(url(old_token))
    assert response.status_code == 410
    assert "Er is een nieuwere link" in text(response)
    assert Client().get(url(new_token)).status_code == 200


def test_a_withdrawn_consent_cannot_be_approved(asked, consent):
    ConsentRecord.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    response = Client().get(url(asked[1]))
    assert response.status_code == 410
    assert "Je toestemming geldt niet meer" in text(response)


def test_a_change_request_stores_the_comment_encrypted_and_mails_only_a_link(
    asked, draft, editor, consent_manager
):
    approval, token = asked
    response = answer(Client(), token, kind="changes", comment=COMMENT)

    assert response.status_code == 200
    assert "Dank je wel voor je reactie" in text(response)
    approval.refresh_from_db()
    assert approval.status == StoryApproval.Status.CHANGES_REQUESTED
    assert approval.comment == COMMENT
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM verhalen_storyapproval WHERE id = %s", [approval.pk])
        stored = cursor.fetchone()[0]
    assert "Lies" not in stored
    # Nothing is online, nothing is consented yet.
    assert ConsentRecord.objects.get().given_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) >= {editor.email, consent_manager.email}
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in message.body
    assert "Lies" not in message.body
    assert AuditEntry.objects.filter(
        object_type="verhalen.StoryApproval", detail="changes requested"
    ).exists()


def test_a_change_request_needs_words_and_keeps_nothing_back(asked):
    approval, token = asked
    response = answer(Client(), token, kind="changes", comment="   ")
    assert response.status_code == 400
    assert "Schrijf kort wat je anders wilt." in text(response)
    assert 'href="#wijzig_comment"' in text(response)

    too_long = "a" * 2001
    response = answer(Client(), token, kind="changes", comment=too_long)
    assert response.status_code == 400
    assert too_long in text(response)  # what was typed stays
    approval.refresh_from_db()
    assert approval.status == StoryApproval.Status.PENDING


def test_a_very_quick_or_automated_answer_changes_nothing(asked, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 3
    approval, token = asked
    client = Client()
    quick = client.post(url(token), {"answer": "approve", "rendered_at": signed_render_time(0)})
    assert quick.status_code == 400
    assert "Dat ging heel snel" in text(quick)
    bot = answer(client, token, website="https://spam.example")
    assert bot.status_code == 400
    approval.refresh_from_db()
    assert approval.status == StoryApproval.Status.PENDING


def test_lookups_are_rate_limited_per_address(asked, settings):
    settings.CONSENT_LINK_RATE_LIMIT = 3
    _approval, token = asked
    client = Client()
    for number in range(3):
        assert client.get(url(f"geraden{number:040d}")).status_code == 404
    response = client.get(url("geraden" + "9" * 40))
    assert response.status_code == 429
    assert "Even geduld" in text(response)
    # Over the limit, a right token is refused too: guessing teaches nothing.
    assert client.get(url(token)).status_code == 429
    # Another address is not affected.
    assert client.get(url(token), REMOTE_ADDR="192.0.2.77").status_code == 200


def test_no_cookies_but_the_forms_csrf_cookie(asked):
    _approval, token = asked
    client = Client()
    response = client.get(url(token))
    assert_private(response)
    assert set(response.cookies) <= {"csrftoken"}
    assert "sessionid" not in client.cookies
    done = answer(client, token)
    assert_private(done)
    assert set(done.cookies) <= {"csrftoken"}


def test_other_methods_are_refused(asked):
    response = Client().put(url(asked[1]))
    assert response.status_code == 405


@pytest.fixture
def editors_group(db):
    return Group.objects.get(name=roles.COMMUNICATIONS)


def test_inactive_editors_are_not_mailed(asked, editor, editors_group):
    editor.is_active = False
    editor.save()
    answer(Client(), asked[1])
    assert all(editor.email not in message.to for message in mail.outbox)


def test_a_double_click_keeps_the_first_withdrawal_link(asked, consent):
    """Two answers at once (two tabs): the second finds the question answered."""
    from verhalen import consent as consent_service

    approval, _token = asked
    first = consent_service.approve(approval)
    assert first is not None
    assert consent_service.approve(approval) is None
    assert consent_service.request_changes(approval, "Toch niet") is None
    consent.refresh_from_db()
    assert consent.withdrawal_token_hash == hash_token(first)
