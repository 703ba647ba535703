"""Withdrawing consent: two clicks, no login, and the story is gone from everywhere at once."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from doorvertellen.models import AuditEntry
from doorvertellen.models.pages import HomePageFeaturedStory
from tests.helpers import form_inputs, signed_render_time, text
from verhalen import consent as consent_service
from verhalen.factories import ConsentRecordFactory, StoryPageFactory, approve
from verhalen.models import ConsentRecord, DocumentaryPage, StoryApproval, Video
from verhalen.signals import story_taken_offline

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Sandra de Vries",
    "contact_email": "sandra.devries@example.org",
    "contact_phone": "06 44455566",
}


@pytest.fixture
def consent(db):
    return ConsentRecordFactory(display_name="Sandra", scope_print=True, **CONTACT)


@pytest.fixture
def story(story_index, theme, consent, service_settings, editor):
    return StoryPageFactory(
        parent=story_index,
        title="Hoe Sandra weer rust kreeg",
        display_name="Sandra",
        summary="Sandra kon de huur niet meer betalen. Nu heeft ze weer rust.",
        quote="Ik zat met een zeldzame zwaluwstaartschuld.",
        themes=[theme],
        consent=consent,
        owner=editor,
    )


@pytest.fixture
def documentary(story_index, consent):
    video = Video.objects.create(
        title="Film van Sandra", external_url="https://www.youtube.com/watch?v=abcdefghijk"
    )
    film = story_index.add_child(
        instance=DocumentaryPage(
            title="Sandra vertelt in beeld",
            slug="sandra-in-beeld",
            display_name="Sandra",
            quote="Praten hielp.",
            summary="Een film over de zwaluwstaartschuld van Sandra.",
            video=video,
            transcript="Sandra: Ik durfde eerst niet te bellen.",
            live=False,
        )
    )
    from verhalen.models import ConsentPage

    ConsentPage.objects.create(consent=consent, page=film)
    approve(consent, film).revision.publish()
    film.refresh_from_db()
    assert film.live
    return film


@pytest.fixture
def featured(home, story):
    HomePageFeaturedStory.objects.create(page=home, story=story, sort_order=0)
    return home


@pytest.fixture
def token(consent):
    token = consent.new_withdrawal_token()
    consent.save()
    return token


def url(token):
    return reverse("verhalen:withdrawal", args=[token])


def confirm(client, token):
    return client.post(url(token), {"rendered_at": signed_render_time(), "website": ""})


def test_first_click_explains_and_changes_nothing(story, token):
    response = Client().get(url(token))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"
    body = text(response)
    assert "Je verhaal gaat meteen offline." in body
    assert "Hoe Sandra weer rust kreeg" in body
    assert "Folders die al zijn uitgedeeld" in body  # print was in scope: be honest
    assert "Ja, trek mijn toestemming in" in body
    assert "rendered_at" in form_inputs(response)
    story.refresh_from_db()
    assert story.live
    assert ConsentRecord.objects.get().withdrawn_at is None


def test_second_click_takes_everything_offline(
    client, story, documentary, featured, token, editor, consent_manager
):
    assert story.title in text(client.get("/zoeken/?q=zwaluwstaartschuld"))
    assert documentary.title in text(client.get("/zoeken/?q=zwaluwstaartschuld"))
    assert story.full_url in text(client.get("/sitemap.xml"))
    assert story.title in text(client.get("/"))
    story_url = story.url

    response = confirm(Client(), token)

    assert response.status_code == 200
    assert "Je toestemming is ingetrokken" in text(response)
    story.refresh_from_db()
    documentary.refresh_from_db()
    assert not story.live
    assert not documentary.live
    assert client.get(story_url).status_code == 404
    assert HomePageFeaturedStory.objects.count() == 0
    assert story.title not in text(client.get("/"))
    results = text(client.get("/zoeken/?q=zwaluwstaartschuld"))
    assert story.title not in results
    assert documentary.title not in results
    sitemap = text(client.get("/sitemap.xml"))
    assert "sandra" not in sitemap.lower()

    consent = ConsentRecord.objects.get()
    assert consent.withdrawn_at is not None
    assert consent.offline_since is not None
    assert consent.withdrawal_token_hash == ""
    entry = AuditEntry.objects.get(object_type="verhalen.ConsentRecord")
    assert entry.detail == "withdrawn"
    assert entry.object_id == str(consent.pk)


def test_staff_are_told_without_any_personal_data(
    story, documentary, token, editor, consent_manager
):
    mail.outbox.clear()
    confirm(Client(), token)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) >= {editor.email, consent_manager.email}
    assert "Hoe Sandra weer rust kreeg" in message.body
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) in message.body
    for message in mail.outbox:
        for private in [*CONTACT.values(), token]:
            assert private not in message.body
            assert private not in message.subject


def test_a_used_link_is_refused_kindly(story, token, service_settings):
    confirm(Client(), token)
    mail.outbox.clear()

    for response in [Client().get(url(token)), confirm(Client(), token)]:
        assert response.status_code == 404
        body = text(response)
        assert "Deze link werkt niet (meer)" in body
        assert "14 010" in body
    assert mail.outbox == []
    assert AuditEntry.objects.filter(object_type="verhalen.ConsentRecord").count() == 1


def test_an_unknown_link_is_refused_kindly(service_settings):
    response = Client().get(url("n" * 43))
    assert response.status_code == 404
    assert "Deze link werkt niet (meer)" in text(response)


def test_the_link_keeps_working_while_the_consent_is_in_force(story, token, consent):
    # Years of reading the story do not wear the link out; only the end date does.
    assert Client().get(url(token)).status_code == 200
    assert Client().get(url(token)).status_code == 200
    assert confirm(Client(), token).status_code == 200


def test_a_quick_second_click_is_asked_again(story, token, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 3
    response = Client().post(url(token), {"rendered_at": signed_render_time(0)})
    assert response.status_code == 400
    assert "Druk nog een keer op de knop." in text(response)
    story.refresh_from_db()
    assert story.live


def test_open_approval_questions_stop_working(story, consent, token):
    approval, approval_token = StoryApproval.create_for(consent, story, story.save_revision())
    confirm(Client(), token)
    approval.refresh_from_db()
    assert approval.status == StoryApproval.Status.SUPERSEDED
    assert Client().get(reverse("verhalen:approval", args=[approval_token])).status_code == 410


def test_other_apps_hear_which_pages_went_offline(story, documentary, consent):
    heard = []

    def receiver(sender, page, reason, **kwargs):
        heard.append((page.pk, reason))

    story_taken_offline.connect(receiver)
    try:
        consent_service.withdraw(consent)
    finally:
        story_taken_offline.disconnect(receiver)
    assert sorted(heard) == sorted([(story.pk, "withdrawn"), (documentary.pk, "withdrawn")])


def test_withdrawing_twice_does_nothing_the_second_time(story, consent):
    first = consent_service.withdraw(consent)
    mail.outbox.clear()
    second = consent_service.withdraw(consent)

    assert first.changed and [page.pk for page in first.pages] == [story.pk]
    assert not second.changed
    assert mail.outbox == []
    assert AuditEntry.objects.filter(object_type="verhalen.ConsentRecord").count() == 1


def test_the_story_cannot_be_published_again_after_withdrawal(story, consent):
    consent_service.withdraw(consent)
    story.refresh_from_db()
    with pytest.raises(Exception, match="geldt nu niet voor de website"):
        story.get_latest_revision().publish()
