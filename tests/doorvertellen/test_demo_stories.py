"""The demo stories show every part a real story has (easy summary, what helped, where the
teller is now, the phase), in plain Dutch, and loading the demo twice changes nothing."""

import io
import re

import pytest
from django.core.management import call_command
from wagtail.models import Revision

from doorvertellen import demo_content as demo
from verhalen.models import DocumentaryPage, StoryPage

pytestmark = pytest.mark.django_db

SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")
VOWEL_GROUPS = re.compile(r"ij|[aeiouyáéíóúàèëïöü]+", re.IGNORECASE)
# B1: short sentences, mostly short words. Flesch-Douma 60 or more reads as "fairly easy".
MAX_WORDS_PER_SENTENCE = 20
MIN_FLESCH_DOUMA = 60


def flesch_douma(text):
    """Flesch-Douma reading ease for Dutch (higher is easier), with a plain syllable count:
    one per group of vowels. Good enough to tell a B1 text from an official letter."""
    sentences = [s for s in SENTENCE_END.split(text.strip()) if s]
    words = re.findall(r"[\wÀ-ÿ'-]+", text)
    syllables = sum(max(1, len(VOWEL_GROUPS.findall(word))) for word in words)
    return 206.84 - 77 * syllables / len(words) - 0.93 * len(words) / len(sentences)


def long_sentences(text):
    sentences = SENTENCE_END.split(text.strip())
    return [s for s in sentences if len(s.split()) > MAX_WORDS_PER_SENTENCE]


@pytest.fixture
def loaded():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def test_every_demo_story_uses_all_the_structured_parts(loaded):
    stories = StoryPage.objects.live().exact_type(StoryPage)
    assert stories.filter(locale__language_code="nl").count() == len(demo.STORIES) >= 3
    phases = set()
    for story in stories:
        for part in ("summary", "what_helped", "where_now"):
            assert getattr(story, part).strip(), (story.slug, part)
        assert story.phase, story.slug
        phases.add(story.phase)
        headings = [block.value.source for block in story.body if block.block_type == "paragraph"]
        # Not twice on the page: "what helped" and "where I am now" have their own parts.
        assert not any("Wat hielp" in html or "Waar ik nu sta" in html for html in headings)
    assert len(phases) >= 3  # the demo shows stories from different parts of the route
    film = DocumentaryPage.objects.get(slug=demo.DOCUMENTARY["slug"])
    assert film.phase and film.summary


@pytest.mark.parametrize("spec", demo.STORIES, ids=[spec["key"] for spec in demo.STORIES])
def test_the_structured_parts_are_plain_dutch(spec):
    for part in ("summary", "what_helped", "where_now"):
        text = spec[part]
        assert long_sentences(text) == [], (spec["key"], part)
        assert flesch_douma(text) >= MIN_FLESCH_DOUMA, (spec["key"], part)


def test_the_reading_check_tells_an_official_letter_from_plain_dutch():
    letter = (
        "Indien u niet binnen de gestelde termijn zorgdraagt voor volledige betaling van de "
        "openstaande vordering, zijn wij genoodzaakt aanvullende invorderingsmaatregelen te "
        "treffen, waaronder beslaglegging op uw inkomsten."
    )
    assert flesch_douma(letter) < MIN_FLESCH_DOUMA
    assert long_sentences(letter)


def test_loading_the_demo_again_changes_nothing(loaded):
    revisions = Revision.objects.count()
    pages = StoryPage.objects.count()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out, verbosity=2)
    assert Revision.objects.count() == revisions
    assert StoryPage.objects.count() == pages
    assert "aangevuld" not in out.getvalue()
    for story in StoryPage.objects.live():
        assert story.specific.consent_problems() == []
