"""The core page types: home, standard pages and the intake page."""

from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.utils.decorators import cached_classmethod

from doorvertellen.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from doorvertellen.languages import localized_pages
from doorvertellen.plain_language_admin import PlainLanguagePageForm, edit_handler_for


def restricted_paths(request=None):
    """The tree paths of pages with a view restriction, remembered per page-cache generation.

    The site is public; a private section is rare. Wagtail asks the database for every page
    served and every `.public()` listing; this asks once per generation (a restriction added
    or removed starts a new one).
    """
    from doorvertellen import page_cache

    return page_cache.remember(
        "restricted-paths",
        lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
        request,
    )


class PublicPageQuerySet(PageQuerySet):
    def private_q(self):
        q = models.Q()
        for tree_path in restricted_paths():
            q |= models.Q(path__startswith=tree_path)
        return q if q else models.Q(pk__in=[])


class BasePage(Page):
    """What every public page has: a short plain-language introduction for listings and SEO."""

    objects = PageManager.from_queryset(PublicPageQuerySet)()

    introduction = models.TextField(
        _("inleiding"),
        blank=True,
        max_length=400,
        help_text=_("Eén tot drie korte zinnen. Staat bovenaan de pagina en in zoekresultaten."),
    )

    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    # Every public page gets the plain-language check in its editor, and asks for a
    # confirmation before a text harder than B1 is published (doorvertellen.plain_language).
    base_form_class = PlainLanguagePageForm
    plain_language_checked = True

    # One of these per language (the home page, the story index, the intake page...): a
    # second one can only be a translation of the first.
    one_per_language = False

    # Related objects every view of the page shows (a photo, a video), loaded with the page
    # when the page cache remembers which page an address leads to (`keep_route`), so they
    # come along with it. Only models whose change starts a new generation of the page cache.
    kept_with_route = ()

    class Meta:
        abstract = True

    @classmethod
    def can_create_at(cls, parent):
        if not super().can_create_at(parent):
            return False
        if cls.one_per_language:
            return not cls.objects.filter(locale_id=parent.locale_id).exists()
        return True

    def serve_preview(self, request, mode_name):
        """A preview speaks the page's language too, not the editor's (see languages)."""
        from doorvertellen import languages

        with translation.override(languages.language_of(self, request)):
            response = super().serve_preview(request, mode_name)
            if hasattr(response, "render"):
                response.render()
        return response

    @cached_classmethod
    def get_edit_handler(cls):
        return edit_handler_for(cls)

    def get_view_restrictions(self):
        """No queries for the (usual) site without private sections; see restricted_paths."""
        if not restricted_paths():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(BasePage):
    hero_heading = models.CharField(
        _("grote kop"), max_length=120, default="Geldzorgen? Je bent niet de enige."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afbeelding bovenaan"),
        help_text=_("Een tekening, geen stockfoto. Vul bij de afbeelding een beschrijving in."),
    )
    cta_label = models.CharField(_("knop"), max_length=40, default="Meld je aan")
    not_alone_text = models.TextField(
        _("je bent niet de enige"),
        blank=True,
        max_length=400,
        help_text=_("Een feit dat laat zien dat veel mensen dit meemaken. Alleen met een bron."),
    )
    not_alone_source = models.CharField(_("bron van dat feit"), blank=True, max_length=200)
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("introduction"),
                FieldPanel("hero_image"),
                FieldPanel("cta_label"),
            ],
            heading=_("Bovenaan"),
        ),
        InlinePanel(
            "featured_stories",
            label=_("Uitgelichte verhalen"),
            max_num=3,
            heading=_("Verhalen op de homepage"),
        ),
        MultiFieldPanel(
            [FieldPanel("not_alone_text"), FieldPanel("not_alone_source")],
            heading=_("Je bent niet de enige"),
        ),
        FieldPanel("body"),
    ]

    one_per_language = True
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("homepage")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = [
            item.story
            for item in self.featured_stories.select_related("story", "story__photo").filter(
                story__live=True
            )
        ]
        # A translated home page shows the stories' translations where there are some.
        context["featured_stories"] = localized_pages(
            featured, self.locale_id, select_related=["photo"]
        )
        return context


class HomePageFeaturedStory(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_stories")
    story = models.ForeignKey(
        "verhalen.StoryPage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("verhaal"),
    )

    panels = [PageChooserPanel("story")]


class StandardPage(BasePage):
    """Privacy statement, contact, what happens after signing up: plain text pages."""

    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("standaardpagina")


class PublicFormPageMixin(RoutablePageMixin):
    """A page whose own address is a public form, for residents who may be stressed.

    The same rules for every such form: a rate limit per client address (429, input kept),
    bad input back with status 400 and everything typed still there, a redirect after a
    successful send so a reload sends nothing twice, and no caching of anything personal.
    A page says which form (`get_form`) and what a valid send does (`form_valid`).
    """

    rate_limit_key = ""
    # Dotted path of the form: forms import the models, so the models name it by string.
    form_class = ""

    def get_form(self, request, data=None):
        return import_string(self.form_class)(data, request=request)

    def form_valid(self, request, form):
        """Store what was sent, then on to the thanks page."""
        with transaction.atomic():
            form.save()
        return self.subpage_redirect(request, "thanks")

    def form_invalid(self, request, form):
        """Called for a send with errors, before it is shown again."""

    def form_shown(self, request, form):
        """Called when the empty form is shown (GET)."""

    @path("")
    def form_view(self, request):
        from doorvertellen import ratelimit

        if request.method == "POST":
            form = self.get_form(request, request.POST)
            if ratelimit.hit(request, self.rate_limit_key):
                form.add_rate_limit_error()
                status = 429
            elif form.is_valid():
                return self.form_valid(request, form)
            else:
                self.form_invalid(request, form)
                status = 400
        elif request.method in ("GET", "HEAD"):
            form = self.get_form(request)
            if request.method == "GET":
                self.form_shown(request, form)
            status = 200
        else:
            response = TemplateResponse(request, "405.html", status=405)
            response["Allow"] = "GET, HEAD, POST"
            return response
        return self.render_form(request, form, status)

    def render_form(self, request, form, status=200):
        context = self.get_context(request)
        context["form"] = form
        return self.private_response(request, self.get_template(request), context, status)

    def subpage_redirect(self, request, name, query=""):
        return redirect(self.get_url(request) + self.reverse_subpage(name) + query)

    def private_response(self, request, template, context=None, status=200):
        if context is None:
            context = self.get_context(request)
        response = TemplateResponse(request, template, context, status=status)
        response["Cache-Control"] = "no-store, private"
        return response


class IntakePage(PublicFormPageMixin, BasePage):
    """The one sign-up form every call to action leads to.

    The form and its records are code, not Wagtail's form builder: whoever may edit this page's
    wording must not be able to read who signed up.
    """

    reassurance = RichTextField(
        _("geruststelling"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Staat naast het formulier: gratis, geen oordeel, wat we met de gegevens doen."
        ),
    )
    steps = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("wat gebeurt er hierna"),
        help_text=_("Gebruik het blok 'Stappen': kleine, genummerde stappen."),
    )
    thank_you_heading = models.CharField(
        _("bedankt: kop"), max_length=120, default="Dank je wel. We bellen je."
    )
    thank_you_text = RichTextField(
        _("bedankt: tekst"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Wat er nu gebeurt. De belofte (binnen hoeveel tijd) komt uit de dienstgegevens."
        ),
    )
    outside_area_text = RichTextField(
        _("buiten ons werkgebied: tekst"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Voor inwoners van een andere gemeente. De landelijke hulplijn staat er altijd bij."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacyverklaring"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("reassurance"),
        FieldPanel("steps"),
        PageChooserPanel("privacy_page"),
        MultiFieldPanel(
            [FieldPanel("thank_you_heading"), FieldPanel("thank_you_text")],
            heading=_("Na het aanmelden"),
        ),
        FieldPanel("outside_area_text"),
    ]

    one_per_language = True
    subpage_types = []
    parent_page_types = ["doorvertellen.HomePage"]

    class Meta:
        verbose_name = _("aanmeldpagina")

    rate_limit_key = "intake"
    form_class = "doorvertellen.forms.IntakeForm"

    @cached_property
    def privacy_page_in_page_language(self):
        """The privacy statement in this page's language where it is translated, else the Dutch
        one: a translation of this page keeps the Dutch statement's link. No query when both
        are in the same language."""
        if self.privacy_page is None:
            return None
        return localized_pages([self.privacy_page], self.locale_id, queryset=Page.objects)[0]

    def form_valid(self, request, form):
        self._intake_event(request, form, "started")
        if not form.in_service_area:
            form.count_outside_area()
            return self.subpage_redirect(request, "outside_area")
        with transaction.atomic():
            form.save()
        if form.stored_new:
            self._intake_event(request, form, "submitted")
        return self.subpage_redirect(request, "thanks")

    def form_invalid(self, request, form):
        self._intake_event(request, form, "started")

    def form_shown(self, request, form):
        if form.initial.get("via"):
            self._intake_event(request, form, "cta_click")

    def _intake_event(self, request, form, event):
        """Tell the campaigns app about a step, once per form for "started"."""
        from django.core.cache import cache

        from doorvertellen.signals import intake_event

        if form.is_bound and getattr(form, "is_spam", False):
            return
        if event == "started":
            token = form.data.get("token", "")[:40]
            if not token or not cache.add(f"intake:started:{token}", 1, 6 * 60 * 60):
                return
        source = form.source()
        intake_event.send(
            sender=type(self),
            request=request,
            event=event,
            page_id=source["page_id"] or self.pk,
            code=source["code"],
            variant=source["variant"],
            variant_page_id=source["variant_page_id"],
        )

    @path("bedankt/", name="thanks")
    def thanks_view(self, request):
        return self.private_response(request, "doorvertellen/intake_thanks.html")

    @path("buiten-ons-gebied/", name="outside_area")
    def outside_area_view(self, request):
        return self.private_response(request, "doorvertellen/intake_outside_area.html")
