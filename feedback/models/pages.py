"""The pages of the former clients' voice: suggest, see what was done, offer a story."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Page

from doorvertellen.blocks import RICH_TEXT_FEATURES
from doorvertellen.models.pages import BasePage


class FormPage(BasePage):
    """A public form page: it says, after sending, honestly what happens next."""

    thank_you_heading = models.CharField(_("bedankt: kop"), max_length=120)
    thank_you_text = RichTextField(
        _("bedankt: tekst"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Wat er nu gebeurt, en wanneer. Beloof niets wat we niet doen."),
    )

    thank_you_panel = MultiFieldPanel(
        [FieldPanel("thank_you_heading"), FieldPanel("thank_you_text")],
        heading=_("Na het versturen"),
    )

    class Meta:
        abstract = True


class SuggestionPage(RoutablePageMixin, FormPage):
    """Denk mee: a former or current client suggests an improvement."""

    privacy_note = RichTextField(
        _("wat we met je gegevens doen"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Kort: anoniem mag, wie het leest, hoe lang we het bewaren."),
    )
    answers_page = models.ForeignKey(
        "feedback.YouSaidWeDidPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pagina 'Jullie zeiden, wij deden'"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("privacy_note"),
        PageChooserPanel("answers_page"),
        FormPage.thank_you_panel,
    ]

    max_count = 1
    parent_page_types = ["doorvertellen.HomePage"]
    subpage_types = ["feedback.YouSaidWeDidPage"]

    class Meta:
        verbose_name = _("denk-mee-pagina")


class YouSaidWeDidPage(BasePage):
    """ "Jullie zeiden, wij deden": the published answers, filterable by phase."""

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    max_count = 1
    parent_page_types = ["doorvertellen.HomePage", "feedback.SuggestionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("pagina 'Jullie zeiden, wij deden'")


class StoryOfferPage(RoutablePageMixin, FormPage):
    """Deel je verhaal: an offer becomes a draft story and a pending consent, never public."""

    reassurance = RichTextField(
        _("geruststelling"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("Je verhaal komt pas online als jij het goed vindt. Je kunt altijd stoppen."),
    )
    story_index = models.ForeignKey(
        "verhalen.StoryIndexPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verhalen komen als concept onder"),
    )
    consent_text = models.ForeignKey(
        "verhalen.ConsentText",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("toestemmingstekst"),
        help_text=_("De versie die bij het aanbod wordt vastgelegd; leeg: de nieuwste."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("reassurance"),
        PageChooserPanel("story_index"),
        FieldPanel("consent_text"),
        FormPage.thank_you_panel,
    ]

    max_count = 1
    parent_page_types = ["doorvertellen.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("deel-je-verhaal-pagina")
