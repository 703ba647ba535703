"""Every way Wagtail can put a page online keeps to the consent rule: copying, aliases, bulk
publishing, scheduled go-live and publishing an older version from the history. A story goes
live only with a consent in force for the website and the teller's approval of that content."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from doorvertellen.factories import StandardPageFactory
from doorvertellen.models import AuditEntry
from tests.helpers import text
from verhalen import consent as consent_service
from verhalen.factories import ConsentRecordFactory, StoryPageFactory, approve
from verhalen.models import StoryPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_story(story_index, editor):
    return StoryPageFactory(
        parent=story_index, title="Noor vertelt", slug="noor-vertelt", owner=editor
    )


@pytest.fixture
def draft(story_index):
    return StoryPageFactory(
        parent=story_index, title="Ali vertelt", slug="ali-vertelt", live=False, consent=False
    )


def is_live(page):
    return Page.objects.filter(pk=page.pk, live=True).exists()


# --- Copies and aliases ----------------------------------------------------------------------


def test_the_copy_form_offers_neither_publishing_nor_an_alias(client, superuser, live_story):
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:copy", args=[live_story.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert "publish_copies" not in form.fields
    assert "alias" not in form.fields
    assert "De kopie wordt een concept" in text(response)


def test_a_copy_is_a_draft_even_when_asked_to_publish_or_alias(
    client, superuser, live_story, story_index
):
    client.force_login(superuser)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[live_story.pk]),
        {
            "new_title": "Noor vertelt (kopie)",
            "new_slug": "noor-vertelt-kopie",
            "new_parent_page": story_index.pk,
            "publish_copies": "on",
            "alias": "on",
        },
    )
    assert response.status_code == 302
    copy = StoryPage.objects.get(slug="noor-vertelt-kopie")
    assert not copy.live
    assert copy.alias_of_id is None
    assert is_live(live_story)  # the original stays as it was
    assert client.get(copy.url or "/verhalen/noor-vertelt-kopie/").status_code == 404


def test_a_copy_made_in_code_and_kept_live_is_a_draft(live_story):
    copy = live_story.copy(update_attrs={"slug": "noor-2", "title": "Noor 2"}, keep_live=True)
    assert not is_live(copy)
    assert not StoryPage.objects.live().filter(slug="noor-2").exists()


def test_an_alias_never_goes_live_not_even_when_the_original_is_published(live_story):
    alias = live_story.create_alias(update_slug="noor-alias")
    assert not is_live(alias)

    live_story.quote = "Een nieuwe zin die Noor wel goedkeurde."
    consent = live_story.consents().get()
    approve(consent, live_story).revision.publish()  # publishing updates aliases
    assert is_live(live_story)
    assert not is_live(alias)


def test_a_direct_save_cannot_make_a_draft_live(draft):
    draft.live = True
    draft.save()
    assert not is_live(draft)


# --- Bulk publishing -------------------------------------------------------------------------


def bulk_publish(client, pages, parent, include_descendants=False):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = "&".join(f"id={page.pk}" for page in pages)
    next_url = reverse("wagtailadmin_explore", args=[parent.pk])
    data = {"include_descendants": "on"} if include_descendants else {}
    return client.post(f"{url}?{query}&next={next_url}", data, follow=True)


def test_bulk_publish_refuses_a_story_without_approval_and_publishes_nothing(
    client, superuser, draft, home
):
    client.force_login(superuser)
    consent = ConsentRecordFactory(display_name="Sandra", pages=[draft])
    approve(consent, draft)
    draft.quote = "Een zin die de verteller nooit zag."
    draft.save_revision()
    other = StandardPageFactory(parent=home, title="Contact", slug="contact", live=False)
    other.save_revision()

    response = bulk_publish(client, [draft, other], draft.get_parent())

    assert response.status_code == 200
    body = text(response)
    assert "Er is niets gepubliceerd" in body
    assert "Ali vertelt" in body
    assert "nog niet goedgekeurd" in body
    assert not is_live(draft)
    assert not is_live(other)


def test_bulk_publish_of_the_index_with_its_children_refuses_an_unconsented_draft(
    client, superuser, draft, story_index
):
    client.force_login(superuser)
    response = bulk_publish(client, [story_index], story_index.get_parent(), True)
    assert "Er is niets gepubliceerd" in text(response)
    assert "Ali vertelt" in text(response)
    assert not is_live(draft)


def test_bulk_publish_of_an_approved_story_works(client, superuser, draft):
    client.force_login(superuser)
    consent = ConsentRecordFactory(display_name="Sandra", pages=[draft])
    approve(consent, draft)

    response = bulk_publish(client, [draft], draft.get_parent())

    assert "Er is niets gepubliceerd" not in text(response)
    assert is_live(draft)


# --- Scheduled go-live -----------------------------------------------------------------------


def schedule(page, minutes_ago=5):
    revision = page.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=minutes_ago)
    revision.save(update_fields=["approved_go_live_at"])
    return revision


def test_a_scheduled_story_goes_live_when_consent_and_approval_hold(draft):
    consent = ConsentRecordFactory(display_name="Sandra", pages=[draft])
    approve(consent, draft)
    schedule(draft)

    call_command("publish_scheduled")

    assert is_live(draft)


def test_scheduled_go_live_after_the_consent_ended_is_cancelled_and_others_still_go_live(
    draft, home, editor
):
    editor.email = "redactie@example.org"
    editor.save()
    consent = ConsentRecordFactory(display_name="Sandra", pages=[draft])
    approve(consent, draft)
    revision = schedule(draft, minutes_ago=10)
    # Ended without passing through take_offline (say, an end date typed in the past).
    type(consent).objects.filter(pk=consent.pk).update(expires_on=timezone.localdate())
    other = StandardPageFactory(parent=home, title="Contact", slug="contact", live=False)
    schedule(other.save_revision() and other, minutes_ago=1)

    call_command("publish_scheduled")
    call_command("publish_scheduled")  # nothing is retried, nothing is sent twice

    assert not is_live(draft)
    assert is_live(other)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert AuditEntry.objects.filter(
        object_id=str(draft.pk), detail="scheduled publish cancelled"
    ).exists()
    sent = [message for message in mail.outbox if "Gepland publiceren gestopt" in message.subject]
    assert len(sent) == 1
    assert "redactie@example.org" in sent[0].to
    assert consent.contact_email not in sent[0].body
    assert consent.contact_name not in sent[0].body


def test_withdrawal_cancels_a_planned_go_live(draft):
    consent = ConsentRecordFactory(display_name="Sandra", pages=[draft])
    approve(consent, draft)
    revision = draft.get_latest_revision()
    revision.approved_go_live_at = timezone.now() + timedelta(days=2)
    revision.save(update_fields=["approved_go_live_at"])

    consent_service.withdraw(consent)

    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert not Revision.page_revisions.filter(
        object_id=str(draft.pk), approved_go_live_at__isnull=False
    ).exists()


# --- Publishing an older version from the history --------------------------------------------


def revert_and_publish(client, page, revision, publish=True):
    """What the editor does with "replace current draft" and then "publish" in the history."""
    content = revision.as_object()

    data = nested_form_data(
        {
            "title": content.title,
            "slug": content.slug,
            "display_name": content.display_name,
            "city": content.city,
            "photo": "",
            "photo_alt": "",
            "quote": content.quote,
            "summary": content.summary,
            "body": streamfield(
                [(block.block_type, rich_text(block.value.source)) for block in content.body]
            ),
            "what_helped": content.what_helped,
            "where_now": content.where_now,
            "themes": "",
            "phase": content.phase,
            "related_stories": inline_formset([]),
            **({"action-publish": "publish"} if publish else {}),
        }
    )
    url = reverse("wagtailadmin_pages:revisions_revert", args=[page.pk, revision.pk])
    return client.post(url, data)


def test_an_older_unapproved_version_from_the_history_cannot_be_published(
    client, superuser, live_story
):
    client.force_login(superuser)
    consent = live_story.consents().get()
    live_story.quote = "Een versie die de verteller nooit goedkeurde."
    unapproved = live_story.save_revision()
    live_story.refresh_from_db()
    live_story.quote = "De versie die wel goedgekeurd is."
    approve(consent, live_story).revision.publish()

    response = revert_and_publish(client, live_story, unapproved)

    assert response.status_code == 200
    assert "nog niet goedgekeurd" in text(response)
    live_story.refresh_from_db()
    assert live_story.quote == "De versie die wel goedgekeurd is."


def test_an_older_approved_version_from_the_history_may_be_published_again(
    client, superuser, live_story
):
    client.force_login(superuser)
    consent = live_story.consents().get()
    # The first version as the editor's form stores it (rich text gets its block keys there).
    revert_and_publish(client, live_story, live_story.get_latest_revision(), publish=False)
    first = approve(consent, live_story.get_latest_revision_as_object()).revision
    first.publish()
    first_quote = first.as_object().quote
    second = live_story.get_latest_revision_as_object()
    second.quote = "Een tweede versie, ook goedgekeurd."
    approve(consent, second).revision.publish()
    live_story.refresh_from_db()
    assert live_story.quote == "Een tweede versie, ook goedgekeurd."

    response = revert_and_publish(client, live_story, first)

    assert response.status_code == 302, response.context["form"].errors
    live_story.refresh_from_db()
    assert live_story.quote == first_quote
