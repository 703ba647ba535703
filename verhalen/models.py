"""Former clients' stories, in their own words."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from doorvertellen.blocks import BodyStreamBlock
from doorvertellen.models.pages import BasePage

CARD_RENDITION = "fill-480x360|format-webp"
STORIES_PER_PAGE = 12


class StoryTheme(TagBase):
    """A theme editors manage (rent arrears, energy, job loss, ...); stories pick from it."""

    free_tagging = False

    description = models.CharField(
        _("uitleg"),
        max_length=200,
        blank=True,
        help_text=_("Korte uitleg voor inwoners, bijvoorbeeld: als je de huur niet kunt betalen."),
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["name"]


class TaggedStory(ItemBase):
    tag = models.ForeignKey(StoryTheme, related_name="tagged_stories", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "verhalen.StoryPage", related_name="tagged_themes", on_delete=models.CASCADE
    )


class StoryIndexPage(BasePage):
    """All stories, filterable by theme without JavaScript (a plain GET form)."""

    subpage_types = ["verhalen.StoryPage"]
    parent_page_types = ["doorvertellen.HomePage"]
    max_count = 1

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    class Meta:
        verbose_name = _("verhalenoverzicht")

    def stories(self):
        Image = get_image_model()
        return (
            StoryPage.objects.live()
            .public()
            .child_of(self)
            .select_related("photo")
            .prefetch_related(
                "themes",
                Prefetch("photo", queryset=Image.objects.prefetch_renditions(CARD_RENDITION)),
            )
            .order_by("-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        themes = StoryTheme.objects.filter(
            tagged_stories__content_object__in=StoryPage.objects.live().public().child_of(self)
        ).distinct()
        stories = self.stories()
        active_theme = None
        slug = request.GET.get("thema", "")[:100]
        if slug:
            active_theme = next((theme for theme in themes if theme.slug == slug), None)
            stories = stories.filter(themes=active_theme) if active_theme else stories.none()
        paginator = Paginator(stories, STORIES_PER_PAGE)
        context.update(
            themes=themes,
            active_theme=active_theme,
            theme_slug=slug,
            stories=paginator.get_page(request.GET.get("pagina")),
        )
        return context


class StoryPage(BasePage):
    """One former client's story. Shown under a first name or pseudonym only."""

    display_name = models.CharField(
        _("naam van de verteller"),
        max_length=40,
        help_text=_("Alleen een voornaam of schuilnaam, zoals de verteller heeft afgesproken."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("foto of tekening"),
    )
    photo_alt = models.CharField(
        _("beschrijving van de foto"),
        max_length=200,
        blank=True,
        help_text=_("Wat is er te zien? Voor mensen die de foto niet kunnen zien."),
    )
    quote = models.CharField(
        _("citaat"),
        max_length=200,
        help_text=_("Eén zin van de verteller zelf. Staat op de kaart en kan elders terugkomen."),
    )
    summary = models.TextField(
        _("in het kort"),
        max_length=600,
        help_text=_("Twee tot vier korte, eenvoudige zinnen. Staat bovenaan het verhaal."),
    )
    body = StreamField(BodyStreamBlock(), verbose_name=_("het verhaal"))
    themes = ClusterTaggableManager(through=TaggedStory, blank=True, verbose_name=_("thema's"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("display_name"),
                FieldPanel("photo"),
                FieldPanel("photo_alt"),
            ],
            heading=_("Verteller"),
        ),
        FieldPanel("quote"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("themes"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("introduction")]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("quote"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    parent_page_types = ["verhalen.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("verhaal")
        verbose_name_plural = _("verhalen")

    def clean(self):
        super().clean()
        if self.photo_id and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": _("Beschrijf wat er op de foto te zien is.")})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["story"] = self
        return context
