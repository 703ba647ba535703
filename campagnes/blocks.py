"""Blocks for campaign landing pages: stories of people like the reader, and fears answered."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from verhalen.blocks import StoryQuoteBlock


class StoryCardBlock(StoryQuoteBlock):
    """A story as a card (photo, quote, name); gone as soon as its consent is."""

    class Meta:
        icon = "user"
        label = _("Verhaal als kaart")
        template = "components/blocks/story_card_block.html"


class LandingStoriesBlock(blocks.StreamBlock):
    quote = StoryQuoteBlock()
    card = StoryCardBlock()

    class Meta:
        max_num = 4


class FearsBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        label=_("zorg"),
        max_length=120,
        help_text=_("Zoals inwoners het zeggen, bijvoorbeeld: Raak ik mijn huis kwijt?"),
    )
    answer = blocks.TextBlock(
        label=_("antwoord"), max_length=500, help_text=_("Eerlijk en kort, in gewone woorden.")
    )

    class Meta:
        icon = "help"
        label = _("Zorg met antwoord")
        template = "components/blocks/fear_block.html"
        preview_value = {
            "question": "Raak ik mijn huis kwijt?",
            "answer": "Bijna nooit. Hoe eerder je hulp vraagt, hoe meer we kunnen doen.",
        }
