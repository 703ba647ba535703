"""A story is only published with a consent in force and the storyteller's approval of exactly
that content. The editor gets a clear reason in the form, and loses nothing they wrote."""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from doorvertellen.factories import ImageFactory
from tests.helpers import text
from verhalen.factories import ConsentRecordFactory, StoryPageFactory, approve
from verhalen.models import StoryPage
from verhalen.models.pages import PublishRefused

pytestmark = pytest.mark.django_db

QUOTE = "Ik dacht dat ik de enige was."


@pytest.fixture
def draft(story_index):
    return StoryPageFactory(
        parent=story_index,
        title="Noor vertelt",
        slug="noor-vertelt",
        display_name="Noor",
        live=False,
        consent=False,
    )


def form_data(draft, publish=True, **overrides):
    values = {
        "title": draft.title,
        "slug": draft.slug,
        "display_name": "Noor",
        "city": "",
        "photo": "",
        "photo_alt": "",
        "quote": QUOTE,
        "summary": "Noor had schulden bij de energie. Nu heeft ze weer rust.",
        "body": streamfield([("paragraph", rich_text("<p>Het begon met een brief.</p>"))]),
        "what_helped": "",
        "where_now": "",
        "themes": "",
        "phase": "",
        "related_stories": inline_formset([]),
        **overrides,
    }
    if publish:
        values["action-publish"] = "publish"
    return nested_form_data(values)


def edit(client, draft, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[draft.pk]), data)


def save_and_approve(client, draft, consent, data):
    """The editor saves a draft; the storyteller approves exactly that draft."""
    draft_data = {key: value for key, value in data.items() if key != "action-publish"}
    response = edit(client, draft, draft_data)
    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    return approve(consent, draft.get_latest_revision_as_object())


def assert_refused(response, draft, message):
    assert response.status_code == 200
    body = text(response)
    assert message in body
    assert QUOTE in body  # what the editor typed is still in the form
    draft.refresh_from_db()
    assert not draft.live
    assert not StoryPage.objects.live().filter(pk=draft.pk).exists()


def test_no_consent_at_all(client, superuser, draft):
    client.force_login(superuser)
    response = edit(client, draft, form_data(draft))
    assert_refused(response, draft, "Er is nog geen toestemming van de verteller gekoppeld")


@pytest.mark.parametrize(
    ("consent_values", "message"),
    [
        ({"given_at": None}, "geldt nu niet voor de website (nog niet gegeven)"),
        ({"expires_on": timezone.localdate}, "geldt nu niet voor de website (verlopen)"),
        ({"withdrawn_at": timezone.now}, "geldt nu niet voor de website (ingetrokken)"),
        ({"scope_website": False}, "De toestemming van Noor geldt nu niet voor de website"),
    ],
    ids=["pending", "expired", "withdrawn", "not-for-the-website"],
)
def test_consent_not_in_force_for_the_website(client, superuser, draft, consent_values, message):
    client.force_login(superuser)
    values = {key: value() if callable(value) else value for key, value in consent_values.items()}
    consent = ConsentRecordFactory(display_name="Noor", pages=[draft], **values)
    data = form_data(draft)
    save_and_approve(client, draft, consent, data)

    assert_refused(edit(client, draft, data), draft, message)


def test_photo_without_permission(client, superuser, draft):
    client.force_login(superuser)
    consent = ConsentRecordFactory(display_name="Noor", photo_allowed=False, pages=[draft])
    photo = ImageFactory()
    data = form_data(draft, photo=photo.pk, photo_alt="Een tekening van een vrouw met een brief.")
    save_and_approve(client, draft, consent, data)

    response = edit(client, draft, data)
    assert_refused(response, draft, "Noor heeft geen toestemming gegeven voor een foto.")


def test_city_without_permission(client, superuser, draft):
    client.force_login(superuser)
    consent = ConsentRecordFactory(display_name="Noor", city_shown=False, pages=[draft])
    data = form_data(draft, city="Dordrecht")
    save_and_approve(client, draft, consent, data)

    response = edit(client, draft, data)
    assert_refused(response, draft, "Noor wil niet dat de woonplaats erbij staat.")


def test_content_changed_after_approval_needs_a_new_approval(client, superuser, draft):
    client.force_login(superuser)
    consent = ConsentRecordFactory(display_name="Noor", pages=[draft])
    save_and_approve(client, draft, consent, form_data(draft))

    changed = form_data(draft, summary="Een nieuwe samenvatting die Noor nog niet las.")
    response = edit(client, draft, changed)
    assert_refused(response, draft, "Noor heeft deze versie nog niet goedgekeurd.")
    assert "Een nieuwe samenvatting die Noor nog niet las." in text(response)


def test_published_once_approved(client, superuser, draft):
    client.force_login(superuser)
    consent = ConsentRecordFactory(
        display_name="Noor", photo_allowed=True, city_shown=True, pages=[draft]
    )
    photo = ImageFactory()
    data = form_data(
        draft, city="Dordrecht", photo=photo.pk, photo_alt="Een tekening van een vrouw."
    )
    save_and_approve(client, draft, consent, data)

    response = edit(client, draft, data)

    assert response.status_code == 302, response.context["form"].errors
    draft.refresh_from_db()
    assert draft.live
    assert draft.specific.quote == QUOTE
    assert draft.specific.city == "Dordrecht"


def test_the_hard_guard_refuses_a_direct_publish(draft):
    ConsentRecordFactory(display_name="Noor", given_at=None, pages=[draft])
    revision = draft.save_revision()
    with pytest.raises(PublishRefused, match="nog niet gegeven"):
        revision.publish()
    draft.refresh_from_db()
    assert not draft.live


def test_the_hard_guard_refuses_an_unapproved_revision(draft):
    consent = ConsentRecordFactory(display_name="Noor", pages=[draft])
    approved = approve(consent, draft).revision
    draft.quote = "Een zin die de verteller nooit zag."
    revision = draft.save_revision()
    with pytest.raises(PublishRefused, match="nog niet goedgekeurd"):
        revision.publish()
    draft.refresh_from_db()
    assert not draft.live
    # The approved version itself may go online.
    approved.publish()
    draft.refresh_from_db()
    assert draft.live
    assert draft.specific.quote != "Een zin die de verteller nooit zag."


def test_a_documentary_needs_consent_for_video(story_index):
    from verhalen.factories import DocumentaryPageFactory

    film = DocumentaryPageFactory(
        parent=story_index, display_name="Noor", live=False, consent=False
    )
    consent = ConsentRecordFactory(display_name="Noor", scope_video=False, pages=[film])
    approve(consent, film)
    assert "Noor heeft geen toestemming gegeven voor video." in film.consent_problems()
    with pytest.raises(PublishRefused, match="video"):
        film.save_revision().publish()
    consent.scope_video = True
    consent.save()
    assert film.consent_problems() == []
