"""The feedback coordinator moderates suggestions; every look at one is logged; others are refused."""

import pytest
from django.urls import reverse

from doorvertellen.models import AuditEntry
from feedback.factories import PublicItemFactory, SuggestionFactory
from feedback.models import Phase, PublicItem, Status, Suggestion

pytestmark = pytest.mark.django_db

TEXT = "Ik schaamde me bij de balie voor de rij"
CONTACT = {
    "contact_name": "Proef Voorsteller",
    "contact_email": "proef.voorsteller@voorbeeld.example",
    "contact_phone": "06 11122233",
}


@pytest.fixture
def suggestion(db):
    return SuggestionFactory(phase=Phase.LETTERS, what_happened=TEXT, **CONTACT)


@pytest.fixture
def coordinator_client(client, feedback_coordinator):
    client.force_login(feedback_coordinator)
    return client


def entries(action=None):
    rows = AuditEntry.objects.filter(object_type="feedback.Suggestion")
    return rows.filter(action=action) if action else rows


def test_the_list_shows_date_phase_status_and_contact_flag_but_no_contents(
    coordinator_client, suggestion
):
    response = coordinator_client.get(reverse("feedback_suggestions:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Brieven en contact" in body
    assert "Nieuw" in body
    assert TEXT not in body
    assert CONTACT["contact_email"] not in body
    assert entries(AuditEntry.Action.LIST).count() == 1


def test_filters_by_phase_status_and_date(coordinator_client, suggestion):
    other = SuggestionFactory(phase=Phase.WEBSITE, status=Status.PLANNED)
    index = reverse("feedback_suggestions:index")

    def listed(**params):
        response = coordinator_client.get(index, params)
        assert response.status_code == 200
        return {obj.pk for obj in response.context["object_list"]}

    assert listed(phase=Phase.WEBSITE) == {other.pk}
    assert listed(status=Status.NEW) == {suggestion.pk}
    merged_into = PublicItemFactory(status=Status.CHANGED)
    suggestion.public_item = merged_into
    suggestion.save()
    assert listed(status=Status.CHANGED) == {suggestion.pk}, "a merged one follows its item"
    assert listed(status=Status.NEW) == set()
    assert listed(created_at__gte="2999-01-01") == set()
    assert listed(created_at__lte="2999-01-01") == {suggestion.pk, other.pk}


def test_inspect_shows_the_original_text_and_contact_details_and_is_logged(
    coordinator_client, suggestion
):
    response = coordinator_client.get(reverse("feedback_suggestions:inspect", args=[suggestion.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert TEXT in body
    for value in CONTACT.values():
        assert value in body
    entry = entries(AuditEntry.Action.VIEW).get()
    assert entry.object_id == str(suggestion.pk)
    assert TEXT not in entry.detail and CONTACT["contact_email"] not in entry.detail


def test_the_edit_form_changes_status_and_item_only(coordinator_client, suggestion):
    url = reverse("feedback_suggestions:edit", args=[suggestion.pk])
    response = coordinator_client.get(url)
    assert set(response.context["form"].fields) == {"status", "public_item"}
    response = coordinator_client.post(
        url, {"status": Status.LOOKING, "public_item": "", "what_happened": "overschreven"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.LOOKING
    assert suggestion.what_happened == TEXT
    assert entries(AuditEntry.Action.CHANGE).filter(object_id=str(suggestion.pk)).exists()


def test_delete_is_logged(coordinator_client, suggestion):
    url = reverse("feedback_suggestions:delete", args=[suggestion.pk])
    assert coordinator_client.post(url).status_code == 302
    assert not Suggestion.objects.exists()
    assert entries(AuditEntry.Action.DELETE).filter(object_id=str(suggestion.pk)).exists()


def test_merge_into_an_existing_public_item(coordinator_client, suggestion):
    item = PublicItemFactory(phase=Phase.LETTERS)
    url = reverse("feedback_suggestions:merge", args=[suggestion.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url, {"public_item": item.pk})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.public_item == item
    assert entries(AuditEntry.Action.CHANGE).filter(detail__contains="merged").exists()


def test_merge_into_a_new_item_prefills_the_phase_and_never_copies_the_text(
    coordinator_client, suggestion
):
    url = reverse("feedback_suggestions:merge", args=[suggestion.pk])
    response = coordinator_client.post(url, {"public_item": ""})
    assert response.status_code == 302
    add_url = response["Location"]
    assert add_url.startswith(reverse("feedback_public_items:add"))

    form_page = coordinator_client.get(add_url)
    assert form_page.context["form"].initial.get("phase") == Phase.LETTERS
    body = form_page.content.decode()
    assert TEXT not in body and suggestion.what_better not in body

    response = coordinator_client.post(
        add_url,
        {
            "title": "Wachten bij de balie",
            "summary": "Mensen voelden zich bekeken bij de balie.",
            "phase": Phase.LETTERS,
            "status": Status.LOOKING,
            "answer": "",
            "change_url": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    item = PublicItem.objects.get(title="Wachten bij de balie")
    suggestion.refresh_from_db()
    assert suggestion.public_item == item
    assert TEXT not in item.summary


def test_public_item_edit_shows_how_many_suggestions_are_merged(coordinator_client):
    item = PublicItemFactory()
    SuggestionFactory.create_batch(3, public_item=item)
    response = coordinator_client.get(reverse("feedback_public_items:edit", args=[item.pk]))
    assert response.status_code == 200
    assert "Er zijn 3 verbetervoorstellen samengevoegd" in response.content.decode()


def test_public_item_search_and_filters(coordinator_client):
    PublicItemFactory(title="Brieven in eenvoudige taal", published=True)
    PublicItemFactory(title="Avondspreekuur", phase=Phase.FIRST_MEETING, published=False)
    index = reverse("feedback_public_items:index")

    def titles(**params):
        response = coordinator_client.get(index, params)
        assert response.status_code == 200
        return {item.title for item in response.context["object_list"]}

    assert titles(q="Avond") == {"Avondspreekuur"}
    assert titles(phase=Phase.FIRST_MEETING) == {"Avondspreekuur"}
    assert titles(published="true") == {"Brieven in eenvoudige taal"}


def test_not_possible_needs_an_answer(coordinator_client):
    data = {
        "title": "Avondspreekuur",
        "summary": "Mensen willen 's avonds een gesprek.",
        "phase": Phase.FIRST_MEETING,
        "status": Status.NOT_POSSIBLE,
        "answer": "  ",
        "change_url": "",
    }
    add_url = reverse("feedback_public_items:add")
    response = coordinator_client.post(add_url, data)
    assert response.status_code == 200
    assert "answer" in response.context["form"].errors
    assert not PublicItem.objects.exists()
    data["answer"] = "Er is 's avonds niemand in het gebouw. Bellen in je pauze kan wel."
    assert coordinator_client.post(add_url, data).status_code == 302


@pytest.mark.parametrize("role", ["editor", "intake_member", "consent_manager"])
def test_other_roles_are_refused_every_suggestion_url(request, client, suggestion, role):
    client.force_login(request.getfixturevalue(role))
    urls = [
        reverse("feedback_suggestions:index"),
        reverse("feedback_suggestions:inspect", args=[suggestion.pk]),
        reverse("feedback_suggestions:edit", args=[suggestion.pk]),
        reverse("feedback_suggestions:delete", args=[suggestion.pk]),
        reverse("feedback_suggestions:merge", args=[suggestion.pk]),
        reverse("feedback_public_items:index"),
        reverse("feedback_public_items:add"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        body = response.content.decode()
        assert TEXT not in body and CONTACT["contact_email"] not in body
    for url in urls[2:5]:
        assert client.post(url, {"status": Status.CHANGED}).status_code in (302, 403), url
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW
    assert Suggestion.objects.filter(pk=suggestion.pk).exists()
    denied = entries().filter(result=AuditEntry.Result.DENIED)
    assert denied.count() >= 4


def test_only_the_coordinator_role_holds_suggestion_permissions(
    editor, intake_member, consent_manager, feedback_coordinator
):
    for user in (editor, intake_member, consent_manager):
        assert not any(
            user.has_perm(f"feedback.{action}_suggestion")
            for action in ("view", "add", "change", "delete")
        )
    assert feedback_coordinator.has_perm("feedback.view_suggestion")
    assert feedback_coordinator.has_perm("feedback.change_suggestion")
    assert feedback_coordinator.has_perm("feedback.add_publicitem")
    assert feedback_coordinator.has_perm("feedback.view_usefulcomment")


def test_not_possible_on_its_own_asks_to_merge_and_write_the_reason(coordinator_client, suggestion):
    url = reverse("feedback_suggestions:edit", args=[suggestion.pk])
    response = coordinator_client.post(url, {"status": Status.NOT_POSSIBLE, "public_item": ""})
    assert response.status_code == 200
    assert "Voeg het voorstel dan samen in een openbaar antwoord" in str(
        response.context["form"].errors["status"]
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW

    item = PublicItemFactory(status=Status.NOT_POSSIBLE, answer="Er is geen geld voor.")
    response = coordinator_client.post(url, {"status": Status.NOT_POSSIBLE, "public_item": item.pk})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.public_item_id) == (Status.NOT_POSSIBLE, item.pk)
