"""Blocks shared by every page type.

Rich text is limited to what plain, accessible pages need: no colours, no headings of a
random level, no embeds that would call a third party.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("tekst"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("niveau"),
        choices=[("h2", _("Kop")), ("h3", _("Tussenkop"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Kop")
        template = "components/blocks/heading_block.html"
        preview_value = {"text": "Je bent niet de enige", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("citaat"), max_length=300)
    attribution = blocks.CharBlock(
        label=_("van wie"),
        required=False,
        max_length=80,
        help_text=_("Alleen een voornaam of schuilnaam, zoals de verteller heeft goedgekeurd."),
    )

    class Meta:
        icon = "openquote"
        label = _("Citaat")
        template = "components/blocks/quote_block.html"
        preview_value = {"text": "Ik had eerder hulp moeten vragen.", "attribution": "Sandra"}


class FigureBlock(ImageBlock):
    """An image with alt text (or marked decorative) and an optional caption."""

    class Meta:
        icon = "image"
        label = _("Afbeelding")
        template = "components/blocks/image_block.html"


PICTOGRAMS = [
    ("form", _("formulier invullen")),
    ("phone", _("bellen")),
    ("talk", _("gesprek")),
    ("calendar", _("afspraak")),
    ("papers", _("brieven en papieren")),
    ("plan", _("plan")),
    ("solution", _("oplossing")),
    ("home", _("thuis, rust")),
]

# Which pictogram a step gets when the editor chose none: the first word group its title holds,
# else the next one in the usual order of the route.
PICTOGRAM_HINTS = [
    ("form", ("formulier", "aanmeld", "meld je", "vul", "naam en nummer")),
    ("phone", ("bel", "telefoon")),
    ("calendar", ("afspraak",)),
    ("talk", ("gesprek", "praten", "luister")),
    ("papers", ("overzicht", "brieven", "papieren", "rekening")),
    ("plan", ("plan",)),
    ("solution", ("oplossing", "regeling", "afspra")),
    ("home", ("rust", "thuis")),
]


class StepValue(blocks.StructValue):
    def pictogram_name(self, position=0):
        if self.get("pictogram"):
            return self["pictogram"]
        title = (self.get("title") or "").lower()
        for name, words in PICTOGRAM_HINTS:
            if any(word in title for word in words):
                return name
        return PICTOGRAMS[position % len(PICTOGRAMS)][0]


class StepBlock(blocks.StructBlock):
    """One numbered step, with a pictogram for readers who find reading hard."""

    title = blocks.CharBlock(label=_("stap"), max_length=80)
    text = blocks.TextBlock(label=_("uitleg"), required=False, max_length=300)
    pictogram = blocks.ChoiceBlock(
        choices=PICTOGRAMS,
        required=False,
        label=_("plaatje"),
        help_text=_("Leeg: we kiezen een plaatje dat past bij de woorden van de stap."),
    )

    class Meta:
        value_class = StepValue


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("kop"), max_length=120, default="Zo gaat het verder")
    steps = blocks.ListBlock(
        StepBlock(),
        label=_("stappen"),
        min_num=1,
        max_num=6,
    )

    class Meta:
        icon = "list-ol"
        label = _("Stappen")
        template = "components/blocks/steps_block.html"
        preview_value = {
            "heading": "Zo gaat het verder",
            "steps": [
                {"title": "Je meldt je aan", "text": "Dat kost je twee minuten."},
                {"title": "We bellen je", "text": "We maken samen een afspraak."},
            ],
        }


class CallToActionBlock(blocks.StructBlock):
    """A link to the intake; the label says what happens when you press it."""

    heading = blocks.CharBlock(label=_("kop"), max_length=120, default="Praat er met ons over")
    text = blocks.TextBlock(label=_("tekst"), required=False, max_length=300)
    button_label = blocks.CharBlock(label=_("knop"), max_length=40, default="Meld je aan")

    class Meta:
        icon = "pick"
        label = _("Knop naar aanmelden")
        template = "components/blocks/cta_block.html"
        preview_value = {
            "heading": "Praat er met ons over",
            "text": "Het is gratis. We oordelen niet.",
            "button_label": "Meld je aan",
        }


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        label=_("Tekst"),
        icon="pilcrow",
        template="components/blocks/paragraph_block.html",
    )
    image = FigureBlock()
    quote = QuoteBlock()
    steps = StepsBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"call_to_action": {"max_num": 2}}
