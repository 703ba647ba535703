"""A moderator who approves a story that may not go live is told why, and nothing changes."""

import json

import pytest
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask

from tests.helpers import text
from verhalen.factories import ConsentRecordFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(story_index, editor):
    """A story in a review workflow whose teller has not approved this version."""
    draft = StoryPageFactory(
        parent=story_index, title="Noor vertelt", display_name="Noor", live=False, consent=False
    )
    ConsentRecordFactory(display_name="Noor", pages=[draft])
    workflow = Workflow.objects.create(name="Verhalen nakijken")
    task = GroupApprovalTask.objects.create(name="Nakijken")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=story_index)
    draft.save_revision(user=editor)
    workflow.start(draft, editor)
    return draft


def approve_url(page):
    task_state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])


def test_approving_it_leads_to_the_story_with_the_reason(client, superuser, in_review):
    client.force_login(superuser)
    response = client.post(approve_url(in_review), {"comment": "Goed zo"})

    edit_url = reverse("wagtailadmin_pages:edit", args=[in_review.pk])
    assert response.status_code == 302
    assert response["Location"] == edit_url
    assert "Noor heeft deze versie nog niet goedgekeurd" in text(client.get(edit_url))
    in_review.refresh_from_db()
    assert not in_review.live
    assert in_review.current_workflow_task_state.status == "in_progress"


def test_approving_it_in_the_dialog_leads_there_too(client, superuser, in_review):
    client.force_login(superuser)
    response = client.post(
        approve_url(in_review), {"comment": "Mooi"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    answer = json.loads(response.content)
    assert answer["step"] == "success"
    assert answer["redirect"] == reverse("wagtailadmin_pages:edit", args=[in_review.pk])
    in_review.refresh_from_db()
    assert not in_review.live
