"""A story's quote on another page follows the story's consent."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from verhalen.blocks import StoryQuoteBlock
from verhalen.factories import ConsentRecordFactory, StoryPageFactory


def render(story):
    block = StoryQuoteBlock()
    value = block.to_python({"story": story.pk, "show_link": True})
    request = RequestFactory().get("/")
    return block.render(value, context={"request": request})


@pytest.mark.django_db
def test_quote_shows_while_the_story_is_live_and_allowed(story_index):
    story = StoryPageFactory(parent=story_index, quote="Bellen was het moeilijkste.")
    html = render(story)
    assert "Bellen was het moeilijkste." in html
    assert story.display_name in html
    assert story.url in html


@pytest.mark.django_db
def test_quote_disappears_when_consent_is_withdrawn(story_index):
    consent = ConsentRecordFactory(display_name="Sandra")
    story = StoryPageFactory(parent=story_index, quote="Ik schaamde me.", consent=consent)
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert "Ik schaamde me." not in render(story)


@pytest.mark.django_db
def test_quote_disappears_when_consent_has_expired(story_index):
    consent = ConsentRecordFactory(display_name="Sandra")
    story = StoryPageFactory(parent=story_index, quote="Ik schaamde me.", consent=consent)
    consent.expires_on = timezone.localdate() - timedelta(days=1)
    consent.save()
    assert "Ik schaamde me." not in render(story)


@pytest.mark.django_db
def test_quote_disappears_when_the_story_is_offline(story_index):
    story = StoryPageFactory(parent=story_index, quote="Ik schaamde me.")
    story.unpublish()
    assert "Ik schaamde me." not in render(story)


@pytest.mark.django_db
def test_print_scope_needs_print_consent(story_index):
    consent = ConsentRecordFactory(display_name="Sandra", scope_print=False)
    story = StoryPageFactory(parent=story_index, quote="Ik schaamde me.", consent=consent)

    class PrintQuote(StoryQuoteBlock):
        scope = "print"

    block = PrintQuote()
    value = block.to_python({"story": story.pk, "show_link": False})
    assert "Ik schaamde me." not in block.render(value)
    consent.scope_print = True
    consent.save()
    assert "Ik schaamde me." in block.render(value)
