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


class StepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("kop"), max_length=120, default="Zo gaat het verder")
    steps = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("title", blocks.CharBlock(label=_("stap"), max_length=80)),
                ("text", blocks.TextBlock(label=_("uitleg"), required=False, max_length=300)),
            ]
        ),
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
