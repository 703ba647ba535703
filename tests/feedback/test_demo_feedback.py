"""The demo feedback: pages and invented suggestions, loaded once, without sending mail."""

import io

import pytest
from django.core import mail
from django.core.management import call_command

from feedback.models import (
    PublicItem,
    Status,
    StoryOfferPage,
    Suggestion,
    SuggestionPage,
    YouSaidWeDidPage,
)
from verhalen.models import StoryIndexPage


def snapshot():
    return {
        "items": sorted(PublicItem.objects.values_list("pk", "title", "status", "updated_at")),
        "suggestions": sorted(
            Suggestion.objects.values_list("pk", "status", "public_item", "updated_at")
        ),
        "pages": sorted(
            (page.pk, page.latest_revision_id)
            for model in (SuggestionPage, YouSaidWeDidPage, StoryOfferPage)
            for page in model.objects.all()
        ),
    }


@pytest.mark.usefixtures("migrated_transactional_db")
def test_demo_feedback_loads_once_with_pages_answers_and_suggestions(client):
    call_command("load_demo_content", stdout=io.StringIO())

    suggestion_page = SuggestionPage.objects.get(slug="denk-mee")
    answers_page = YouSaidWeDidPage.objects.get(slug="jullie-zeiden-wij-deden")
    offer_page = StoryOfferPage.objects.get(slug="deel-je-verhaal")
    assert suggestion_page.live and answers_page.live and offer_page.live
    assert answers_page.get_parent().pk == suggestion_page.pk
    assert suggestion_page.answers_page_id == answers_page.pk
    assert offer_page.story_index_id == StoryIndexPage.objects.first().pk
    assert not any(p.show_in_menus for p in (suggestion_page, answers_page, offer_page))

    assert Suggestion.objects.count() == 12
    assert len(set(Suggestion.objects.values_list("phase", flat=True))) >= 5
    seen = {suggestion.effective_status for suggestion in Suggestion.objects.all()}
    assert seen == set(Status.values), "the demo shows every status a suggestion can have"
    assert Suggestion.objects.filter(public_item__isnull=True).exists()
    assert PublicItem.objects.count() == 8
    assert PublicItem.objects.filter(published=True).count() >= 6
    changed = PublicItem.objects.filter(status=Status.CHANGED, change_page__isnull=False)
    assert changed.exists()
    not_possible = PublicItem.objects.get(status=Status.NOT_POSSIBLE)
    assert not_possible.answer.strip()
    merged_counts = [item.suggestions.count() for item in PublicItem.objects.all()]
    assert any(2 <= count <= 4 for count in merged_counts)
    assert any(s.contact_email for s in Suggestion.objects.all())
    assert mail.outbox == [], "loading the demo must not mail the invented people"

    before = snapshot()
    call_command("load_demo_content", stdout=io.StringIO())
    assert snapshot() == before
    assert mail.outbox == []
    for page in (suggestion_page, answers_page, offer_page):
        assert client.get(page.url).status_code == 200

    # The thank-you pages say what happens next once, and promise nothing more.
    offer_thanks = client.get(offer_page.url + "bedankt/").content.decode()
    assert offer_thanks.count("binnen twee weken") == 1
    assert "gooien we je verhaal weg" in offer_thanks
    suggestion_thanks = client.get(suggestion_page.url + "bedankt/").content.decode()
    assert suggestion_thanks.count("binnen twee weken") == 1
    assert "paar weken" not in suggestion_thanks
