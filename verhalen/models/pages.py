"""Former clients' stories and mini-documentaries, in their own words."""

import hashlib
import json
import logging
import re
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from doorvertellen.blocks import BodyStreamBlock
from doorvertellen.images import rendition_specs
from doorvertellen.languages import localized_pages
from doorvertellen.models.pages import BasePage
from doorvertellen.route import RoutePhase
from verhalen.forms import StoryCopyForm, StoryPageForm

logger = logging.getLogger("verhalen.publishing")

CARD_RENDITIONS = rendition_specs("card")
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

    subpage_types = ["verhalen.StoryPage", "verhalen.DocumentaryPage"]
    parent_page_types = ["doorvertellen.HomePage"]
    one_per_language = True

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
                Prefetch("photo", queryset=Image.objects.prefetch_renditions(*CARD_RENDITIONS)),
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
        current = paginator.get_page(request.GET.get("pagina"))
        from doorvertellen.templatetags.doorvertellen_tags import campaign_code

        code = campaign_code(request)
        context.update(
            themes=themes,
            active_theme=active_theme,
            theme_slug=slug,
            campaign_code=code,
            stories=current,
            previous_url=page_link(code, active_theme, current.previous_page_number())
            if current.has_previous()
            else "",
            next_url=page_link(code, active_theme, current.next_page_number())
            if current.has_next()
            else "",
        )
        return context


def page_link(code, theme, number):
    """A link to another page of the list that keeps the campaign code and the theme, so a
    resident who came from a flyer still counts as such when they sign up two pages later."""
    query = {"c": code, "thema": theme.slug if theme else "", "pagina": number}
    return "?" + urlencode({key: value for key, value in query.items() if value})


def teller_panel():
    """The storyteller's part of the editor, the same for stories and films."""
    return MultiFieldPanel(
        [
            FieldPanel("display_name"),
            FieldPanel("city"),
            FieldPanel("photo"),
            FieldPanel("photo_alt"),
        ],
        heading=_("Verteller"),
    )


def themes_panel():
    return MultiFieldPanel(
        [
            FieldPanel("themes"),
            FieldPanel("phase"),
            InlinePanel("related_stories", label=_("Verwant verhaal"), max_num=3),
        ],
        heading=_("Thema's en verwante verhalen"),
    )


class PublishRefused(Exception):
    """A story may not go live: its tellers' consent or approval is missing. The problems are
    in words for the editor; `verhalen.middleware` shows them on the story's edit page.

    Not a PermissionDenied: Wagtail's admin turns that into "you have no access to this area",
    which is not what happened and hides the reason.
    """

    def __init__(self, page_id, problems):
        self.page_id = page_id
        self.problems = [str(problem) for problem in problems]
        super().__init__(" ".join(self.problems))


class StoryPage(BasePage):
    """One former client's story. Shown under a first name or pseudonym only.

    Only published while every person in it has a consent in force that covers the website,
    and has approved exactly the content being published (see `publish`).
    """

    display_name = models.CharField(
        _("naam van de verteller"),
        max_length=40,
        help_text=_("Alleen een voornaam of schuilnaam, zoals in de toestemming staat."),
    )
    city = models.CharField(
        _("woonplaats"),
        max_length=60,
        blank=True,
        help_text=_("Alleen als de verteller dat goed vindt (staat in de toestemming)."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("foto of tekening"),
        help_text=_("Een foto van de verteller alleen als de toestemming dat toestaat."),
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
    body = StreamField(BodyStreamBlock(), blank=True, verbose_name=_("het verhaal"))
    what_helped = models.TextField(
        _("wat mij hielp"),
        blank=True,
        max_length=1000,
        help_text=_("In de woorden van de verteller. Korte zinnen."),
    )
    where_now = models.TextField(
        _("waar ik nu sta"),
        blank=True,
        max_length=1000,
        help_text=_("Hoe gaat het nu? Dit geeft lezers hoop."),
    )
    phase = models.CharField(
        _("fase van de hulp"),
        max_length=20,
        choices=RoutePhase.choices,
        blank=True,
        help_text=_("Over welk deel van de schuldhulp gaat dit verhaal vooral?"),
    )
    themes = ClusterTaggableManager(through=TaggedStory, blank=True, verbose_name=_("thema's"))

    base_form_class = StoryPageForm
    copy_form_class = StoryCopyForm

    content_panels = [
        *Page.content_panels,
        teller_panel(),
        FieldPanel("quote"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("what_helped"), FieldPanel("where_now")],
            heading=_("Wat hielp, en hoe gaat het nu"),
        ),
        themes_panel(),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("introduction")]

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("quote"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("what_helped"),
        index.SearchField("where_now"),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    parent_page_types = ["verhalen.StoryIndexPage"]
    subpage_types = []
    kept_with_route = ("photo",)

    # A documentary shows the people in it on film: that needs the video scope too.
    needs_video_consent = False

    # What the storyteller reads before approving; publishing needs the same values approved.
    # Besides these fields: the body, the photo, the themes and the related stories (see
    # `approval_values`), and on a documentary the film with its captions and poster.
    approval_fields = [
        "title",
        "display_name",
        "city",
        "photo_alt",
        "quote",
        "summary",
        "what_helped",
        "where_now",
        "phase",
    ]

    class Meta:
        verbose_name = _("verhaal")
        verbose_name_plural = _("verhalen")

    def clean(self):
        super().clean()
        if self.photo_id and not self.photo_alt.strip():
            raise ValidationError({"photo_alt": _("Beschrijf wat er op de foto te zien is.")})
        if type(self) is StoryPage and not self.body:
            raise ValidationError({"body": _("Schrijf het verhaal zelf.")})

    # --- Consent ---------------------------------------------------------------------------

    def approval_values(self):
        """Everything a resident sees of this story, as plain values.

        Files count by what they hold, not only by which one is chosen: replacing the photo's
        file, or a film's captions, changes what residents see just as much as choosing
        another one. Rich text counts by its text and markup, without the editor's internal
        block keys, which change when the same text passes through the editor again.
        """
        values = {name: getattr(self, name) for name in self.approval_fields}
        values["body"] = [
            {"type": block["type"], "value": without_block_keys(block["value"])}
            for block in self.body.raw_data
        ]
        values["photo"] = image_fingerprint(self.photo_id)
        values["themes"] = sorted(theme.pk for theme in self.themes.all())
        values["related_stories"] = [link.story_id for link in self.related_stories.all()]
        return values

    def approval_hash(self):
        """A fingerprint of everything the storyteller approves, stable across revisions."""
        encoded = json.dumps(self.approval_values(), sort_keys=True, default=str)
        return hashlib.sha256(encoded.encode("utf-8")).hexdigest()

    def consents(self):
        from verhalen.models.consent import ConsentRecord

        prefetched = getattr(self, "prefetched_consents", None)
        if prefetched is not None:  # see verhalen.blocks.prefetch_stories
            return list({consent.pk: consent for consent in prefetched}.values())
        if not self.pk:
            return ConsentRecord.objects.none()
        return ConsentRecord.objects.filter(page_links__page_id=self.pk).distinct()

    def consent_problems(self):
        """Why this content may not be published, in words for the editor (empty: it may).

        Checks every person linked to the page: consent in force for the website (and for
        video, on a documentary), photo and city only where allowed, and an approval of exactly
        this content.
        """
        if self.pk and type(self) is not self.specific_class:
            # A documentary fetched as a plain story: judge all of what it shows.
            return self.specific.consent_problems()
        consents = list(self.consents())
        if not consents:
            return [
                _(
                    "Er is nog geen toestemming van de verteller gekoppeld aan deze pagina. "
                    "Vraag de toestemmingsbeheerder om dat te doen."
                )
            ]
        problems = []
        content_hash = self.approval_hash()
        approved = set(
            self.story_approvals.approved()
            .filter(content_hash=content_hash)
            .values_list("consent_id", flat=True)
        )
        for consent in consents:
            name = consent.display_name
            if not consent.allows_website:
                problems.append(
                    _("De toestemming van %(name)s geldt nu niet voor de website (%(status)s).")
                    % {"name": name, "status": consent.get_status_display().lower()}
                )
                continue
            if len(consents) == 1 and self.display_name.strip() != consent.display_name.strip():
                problems.append(
                    _(
                        "Op de pagina staat de naam %(page_name)s, maar de verteller wil "
                        "genoemd worden als %(name)s."
                    )
                    % {"page_name": self.display_name, "name": name}
                )
            if self.needs_video_consent and not consent.scope_video:
                problems.append(
                    _("%(name)s heeft geen toestemming gegeven voor video.") % {"name": name}
                )
            if self.photo_id and not consent.photo_allowed:
                problems.append(
                    _("%(name)s heeft geen toestemming gegeven voor een foto.") % {"name": name}
                )
            if self.city and not consent.city_shown:
                problems.append(
                    _("%(name)s wil niet dat de woonplaats erbij staat.") % {"name": name}
                )
            if consent.pk not in approved:
                problems.append(
                    _(
                        "%(name)s heeft deze versie nog niet goedgekeurd. Vraag om akkoord "
                        "nadat je de laatste wijziging hebt opgeslagen."
                    )
                    % {"name": name}
                )
        return problems

    def consent_allows(self, scope):
        """Whether every person in the story allows it in `scope` (website, social, print,
        video) today. Quotes and cards elsewhere ask this before they show the story."""
        consents = list(self.consents())
        return bool(consents) and all(
            consent.in_force and getattr(consent, f"scope_{scope}") for consent in consents
        )

    def consent_allows_social(self):
        return self.consent_allows("social")

    def publish(self, revision, *args, **kwargs):
        """The last line of defence: no path (editor, workflow, schedule) publishes without
        consent and approval. The editor's form shows the same problems before it gets here.

        A scheduled go-live is checked again when its moment comes: the consent may have ended
        meanwhile. Then the schedule is cancelled and the editors told, instead of an error
        that would stop Wagtail's `publish_scheduled` for every other page too.
        """
        content = revision.as_object()
        problems = content.consent_problems()
        if problems:
            if is_due_schedule(revision):
                cancel_schedule(self, revision)
                return None
            raise PublishRefused(self.pk, problems)
        return super().publish(revision, *args, **kwargs)

    def save(self, *args, **kwargs):
        """Only `publish` may make a story live. Anything else that would (a copy kept live,
        an alias, a direct save) gets a draft instead, as copies and aliases have no consent
        or approval of their own."""
        update_fields = kwargs.get("update_fields")
        if self.live and (update_fields is None or "live" in update_fields):
            going_live = self.pk is None or not Page.objects.filter(pk=self.pk, live=True).exists()
            if going_live and self.consent_problems():
                logger.warning("A story without consent or approval was kept as a draft")
                self.live = False
                self.has_unpublished_changes = True
                self.live_revision = None
        return super().save(*args, **kwargs)

    # --- Display ---------------------------------------------------------------------------

    def related(self, limit=3, request=None):
        """Chosen related stories first, then others with a shared theme.

        Remembered for one generation (a story, theme or consent that changes starts a new one);
        a preview shows what the draft would link to.
        """
        if request is None or getattr(request, "is_preview", False) or not self.live:
            return self.find_related(limit)
        from doorvertellen import page_cache

        return page_cache.remember(
            f"related:{self.pk}:{limit}", lambda: self.find_related(limit), request, local=True
        )

    def find_related(self, limit):
        chosen = [
            link.story
            for link in self.related_stories.select_related("story", "story__photo")
            if link.story.live
        ]
        # In this story's language where a translation exists (doorvertellen.languages).
        chosen = localized_pages(chosen, self.locale_id, select_related=["photo"])
        if len(chosen) < limit:
            themed = (
                StoryPage.objects.live()
                .public()
                .filter(themes__in=self.themes.all(), locale_id=self.locale_id)
                .exclude(pk__in=[self.pk, *[story.pk for story in chosen]])
                .select_related("photo")
                .distinct()
                .order_by("-first_published_at")[: limit - len(chosen)]
            )
            chosen += list(themed)
        return chosen[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["story"] = self
        context["related_stories"] = self.related(request=request)
        return context

    def serve(self, request, *args, **kwargs):
        """Count an arrival through a shared link (`?deel=<channel>`) before the story is shown.

        Only a number per story, channel and day is kept; nothing about the visitor.
        """
        from verhalen.sharing import count_arrival

        count_arrival(request, self)
        return super().serve(request, *args, **kwargs)


BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def without_block_keys(value):
    """A block value with the rich-text editor's block keys left out, however deeply nested."""
    if isinstance(value, str):
        return BLOCK_KEY.sub("", value)
    if isinstance(value, list):
        return [without_block_keys(item) for item in value]
    if isinstance(value, dict):
        return {key: without_block_keys(item) for key, item in value.items() if key != "id"}
    return value


def image_fingerprint(image_id):
    """Which image, and what its file holds (Wagtail's hash of it), or None without one.

    By content, not by file name: when a story goes offline its files move to new names
    (see verhalen.files), and a story that comes back with the same photo is still the same.
    """
    if not image_id:
        return None
    image = get_image_model().objects.filter(pk=image_id).only("file", "file_hash").first()
    if image is None:
        return [image_id]
    try:
        return [image_id, image.get_file_hash()]  # worked out (and kept) once if still empty
    except (OSError, ValueError):
        return [image_id, image.file.name]


FINGERPRINT_BYTES = 1024 * 1024


def file_fingerprint(field_file):
    """What a stored file holds: its size and a hash of (up to) its first megabyte.

    Enough to tell a replaced film or captions file, without reading a whole film each time.
    """
    if not field_file:
        return None
    try:
        with field_file.storage.open(field_file.name, "rb") as stored:
            head = stored.read(FINGERPRINT_BYTES)
        return [field_file.size, hashlib.sha256(head).hexdigest()]
    except (OSError, ValueError):
        return [field_file.name]


def is_due_schedule(revision):
    """Whether this publish is a scheduled go-live whose moment has come."""
    from django.utils import timezone

    go_live = revision.approved_go_live_at
    return go_live is not None and go_live <= timezone.now()


def cancel_schedule(page, revision):
    """Stop a scheduled go-live that consent no longer allows, audit it and tell the staff."""
    from verhalen.consent import notify_schedule_cancelled

    type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=None)
    revision.approved_go_live_at = None
    logger.warning("A scheduled go-live of page %s was cancelled: no consent or approval", page.pk)
    notify_schedule_cancelled(page)


class RelatedStory(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="related_stories")
    story = models.ForeignKey(
        StoryPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("verhaal")
    )

    panels = [PageChooserPanel("story", page_type=["verhalen.StoryPage"])]


class DocumentaryPage(StoryPage):
    """A mini-documentary: a video with captions, a full transcript and an easy summary.

    A story too (it shares the teller, quote, themes and consent), so it appears in the story
    index and its filters without a second list.
    """

    video = models.ForeignKey(
        "verhalen.Video",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("video"),
        help_text=_("Kies een video met ondertiteling."),
    )
    transcript = models.TextField(
        _("uitgeschreven tekst"),
        help_text=_(
            "Alles wat er in de video gezegd wordt, voor wie niet kan kijken of luisteren. "
            "Begin een nieuwe alinea bij een andere spreker."
        ),
    )

    content_panels = [
        *Page.content_panels,
        teller_panel(),
        FieldPanel("quote"),
        FieldPanel("summary"),
        FieldPanel("video"),
        FieldPanel("transcript"),
        FieldPanel("body", heading=_("Meer over deze film (mag leeg)")),
        themes_panel(),
    ]

    search_fields = [*StoryPage.search_fields, index.SearchField("transcript")]

    parent_page_types = ["verhalen.StoryIndexPage"]
    subpage_types = []
    approval_fields = [*StoryPage.approval_fields, "transcript"]
    needs_video_consent = True
    kept_with_route = ("photo", "video")

    class Meta:
        verbose_name = _("documentaire")
        verbose_name_plural = _("documentaires")

    def approval_values(self):
        """A story's values, and the film as residents get it: file, captions, poster."""
        values = super().approval_values()
        video = self.video if self.video_id else None
        values["video"] = (
            {
                "id": video.pk,
                "file": file_fingerprint(video.file),
                "external_url": video.external_url,
                "captions": file_fingerprint(video.captions),
                "captions_language": video.captions_language,
                "poster": image_fingerprint(video.poster_id),
            }
            if video
            else None
        )
        return values

    def clean(self):
        super().clean()
        if not self.transcript.strip():
            raise ValidationError({"transcript": _("Schrijf uit wat er in de video gezegd wordt.")})
        if self.video_id is None:
            raise ValidationError({"video": _("Kies de video.")})
        problem = self.video.caption_problem()
        if problem:
            raise ValidationError({"video": problem})
