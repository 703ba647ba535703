"""The pages of the former clients' voice: suggest, see what was done, offer a story."""

from collections import Counter

from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Page

from doorvertellen.blocks import RICH_TEXT_FEATURES
from doorvertellen.models.pages import BasePage, PublicFormPageMixin

ANSWERS_PER_PAGE = 20


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


class SuggestionPage(PublicFormPageMixin, FormPage):
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

    one_per_language = True
    parent_page_types = ["doorvertellen.HomePage"]
    subpage_types = ["feedback.YouSaidWeDidPage"]

    class Meta:
        verbose_name = _("denk-mee-pagina")

    rate_limit_key = "suggestion"
    form_class = "feedback.forms.SuggestionForm"

    def form_valid(self, request, form):
        with transaction.atomic():
            form.save()
        # Only a flag, so the thanks page can say honestly how we will get back to them: the
        # status news goes by e-mail, so a phone number alone does not bring it.
        data = form.cleaned_data
        reach = "mail" if data.get("contact_email") else "telefoon" if form.has_contact else ""
        return self.subpage_redirect(request, "thanks", f"?contact={reach}" if reach else "")

    @path("bedankt/", name="thanks")
    def thanks_view(self, request):
        context = self.get_context(request)
        context["answers_page"] = self.public_answers_page()
        reach = request.GET.get("contact", "")
        context["left_contact"] = reach if reach in ("mail", "telefoon") else ""
        return self.private_response(request, "feedback/suggestion_thanks.html", context)

    def public_answers_page(self):
        """The live answers page: the one chosen, else the one under this page, else none."""
        chosen = self.answers_page
        if chosen is not None and chosen.live:
            return chosen
        return YouSaidWeDidPage.objects.live().child_of(self).first()


class YouSaidWeDidPage(BasePage):
    """ "Jullie zeiden, wij deden": the published answers, filterable by phase."""

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    one_per_language = True
    parent_page_types = ["doorvertellen.HomePage", "feedback.SuggestionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("pagina 'Jullie zeiden, wij deden'")

    def get_context(self, request, *args, **kwargs):
        """Published answers, filtered by phase, with counts made in a fixed number of queries.

        Only PublicItem fields are read: the coordinator's words, never a suggestion's own
        text or contact details.
        """
        from feedback.models.suggestions import Phase, PublicItem, Status

        context = super().get_context(request, *args, **kwargs)
        published = PublicItem.objects.filter(published=True)
        phase = request.GET.get("fase", "")[:32]
        active_phase = phase if phase in Phase.values else ""

        # One query for every count: per phase and status.
        rows = published.order_by().values("phase", "status").annotate(number=Count("id"))
        total_by_status, filtered_by_status, by_phase = Counter(), Counter(), Counter()
        for row in rows:
            total_by_status[row["status"]] += row["number"]
            by_phase[row["phase"]] += row["number"]
            if not active_phase or row["phase"] == active_phase:
                filtered_by_status[row["status"]] += row["number"]

        items = (
            published.select_related("change_page")
            .annotate(suggestion_count=Count("suggestions"))
            .order_by("-updated_at", "-pk")
        )
        if active_phase:
            items = items.filter(phase=active_phase)
        page = Paginator(items, ANSWERS_PER_PAGE).get_page(request.GET.get("pagina"))
        for item in page:
            item.change_link = ""
            if item.status == Status.CHANGED:
                if item.change_page is not None and item.change_page.live:
                    item.change_link = item.change_page.get_url(request) or ""
                if not item.change_link:
                    item.change_link = item.change_url

        def status_counts(counter):
            return [
                {"value": value, "label": label, "count": counter[value]}
                for value, label in Status.choices
                if counter[value]
            ]

        context.update(
            suggestion_page=SuggestionPage.objects.live().first(),
            phases=[
                {"value": value, "label": label, "count": by_phase[value]}
                for value, label in Phase.choices
            ],
            active_phase=active_phase,
            active_phase_label=Phase(active_phase).label if active_phase else "",
            answers=page,
            total_count=sum(total_by_status.values()),
            filtered_count=sum(filtered_by_status.values()),
            total_status_counts=status_counts(total_by_status),
            filtered_status_counts=status_counts(filtered_by_status),
        )
        return context


class StoryOfferPage(PublicFormPageMixin, FormPage):
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

    one_per_language = True
    parent_page_types = ["doorvertellen.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("deel-je-verhaal-pagina")

    rate_limit_key = "story_offer"
    form_class = "feedback.forms.StoryOfferForm"

    def form_valid(self, request, form):
        from django import forms

        from feedback.forms import StoryOfferNotPossible

        try:
            form.save(self)
        except StoryOfferNotPossible:
            form.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Het lukt nu niet om je verhaal te bewaren. Dat ligt aan ons, "
                        "niet aan jou. Probeer het later nog een keer, of bel ons."
                    ),
                    code="unavailable",
                ),
            )
            return self.render_form(request, form, 503)
        return self.subpage_redirect(request, "thanks")

    @path("bedankt/", name="thanks")
    def thanks_view(self, request):
        """Honest about what happens next; the same for everyone, so it shows nothing sent."""
        return self.private_response(request, "feedback/story_offer_thanks.html")
