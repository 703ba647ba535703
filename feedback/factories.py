"""Factories for the former clients' voice (tests and demo content)."""

import uuid

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from feedback.models import (
    Phase,
    PublicItem,
    Status,
    StoryOfferPage,
    Suggestion,
    SuggestionPage,
    YouSaidWeDidPage,
)


class SuggestionPageFactory(wagtail_factories.PageFactory):
    title = "Denk mee"
    slug = "denk-mee"
    introduction = "Je weet zelf het beste wat beter kan. Vertel het ons."
    privacy_note = "<p>Je mag anoniem blijven. Alleen de feedbackcoördinator leest je voorstel.</p>"
    thank_you_heading = "Dank je wel voor je voorstel"
    thank_you_text = "<p>Je helpt er anderen mee.</p>"

    class Meta:
        model = SuggestionPage


class YouSaidWeDidPageFactory(wagtail_factories.PageFactory):
    title = "Jullie zeiden, wij deden"
    slug = "jullie-zeiden-wij-deden"
    introduction = "Dit hebben mensen ons verteld. En dit hebben we ermee gedaan."

    class Meta:
        model = YouSaidWeDidPage


class PublicItemFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Brieven zijn moeilijk te lezen ({n})")
    summary = "Mensen vinden onze brieven lang en moeilijk."
    phase = Phase.LETTERS
    status = Status.LOOKING
    answer = "We schrijven onze brieven opnieuw, in eenvoudige woorden."
    published = True

    class Meta:
        model = PublicItem


class SuggestionFactory(DjangoModelFactory):
    phase = Phase.FIRST_MEETING
    what_happened = "Ik moest lang wachten op mijn eerste gesprek."
    what_better = "Bel mensen sneller terug."
    submission_token = factory.LazyFunction(uuid.uuid4)

    class Meta:
        model = Suggestion


class StoryOfferPageFactory(wagtail_factories.PageFactory):
    """Deel je verhaal; without `story_index` offers go under the first story index."""

    title = "Deel je verhaal"
    slug = "deel-je-verhaal"
    introduction = "Jij kwam uit de schulden. Met jouw verhaal help je iemand anders op weg."
    reassurance = (
        "<p>Je verhaal komt pas online als jij het goed vindt. Je kunt altijd stoppen.</p>"
    )
    thank_you_heading = "Dank je wel voor je verhaal"
    thank_you_text = ""

    class Meta:
        model = StoryOfferPage
