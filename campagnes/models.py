"""Campaigns, their tracked links and landing pages, and the day counts that follow them.

Nothing here is about a person: a tracked link is a code printed on a flyer, and the counts
are numbers per day, per link, page and headline version. No address, browser or cookie is
stored.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from campagnes.blocks import FearsBlock, LandingStoriesBlock
from doorvertellen.blocks import StepsBlock
from doorvertellen.models.pages import BasePage

# No look-alikes: no 0/O, 1/I/L, 5/S, 2/Z, 8/B. Easy to type from a poster.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 5


def new_code():
    """A fresh short code that is not in use yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not TrackedLink.objects.filter(code=code).exists():
            return code


def normalise_code(raw):
    """What a resident typed, as a code: upper case, without spaces or dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:16]


class TargetGroup(models.TextChoices):
    EVERYONE = "everyone", _("Alle inwoners")
    YOUNG = "young", _("Jongeren (18 tot 27 jaar)")
    WORKING = "working", _("Werkenden")
    SELF_EMPLOYED = "self_employed", _("Zelfstandigen en ondernemers")
    SENIORS = "seniors", _("55-plussers")
    FAMILIES = "families", _("Gezinnen met kinderen")


class Channel(models.TextChoices):
    FLYER = "flyer", _("Flyer")
    POSTER = "poster", _("Poster")
    NEWSPAPER = "newspaper", _("Krant")
    SOCIAL = "social", _("Bericht op sociale media")
    PARTNER = "partner", _("Partnerorganisatie")
    LETTER = "letter", _("Brief")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    OTHER = "other", _("Anders")


class Campaign(DraftStateMixin, RevisionMixin, ClusterableModel):
    name = models.CharField(_("naam"), max_length=120)
    goal = models.TextField(
        _("doel"),
        blank=True,
        help_text=_("Wat wil je bereiken, en bij wie? Bijvoorbeeld: jongeren melden zich eerder."),
    )
    target_group = models.CharField(
        _("doelgroep"), max_length=20, choices=TargetGroup.choices, default=TargetGroup.EVERYONE
    )
    starts_on = models.DateField(_("begint op"), default=timezone.localdate)
    ends_on = models.DateField(_("eindigt op"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("eigenaar"),
    )
    landing_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("landingspagina"),
        help_text=_(
            "Waar de links van deze campagne naartoe gaan, tenzij een link iets anders zegt."
        ),
    )
    # Deleting a campaign deletes its revisions too.
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="campaign")

    panels = [
        FieldPanel("name"),
        FieldPanel("goal"),
        FieldRowPanel([FieldPanel("target_group"), FieldPanel("owner")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("landing_page"),
        InlinePanel("links", label=_("Link"), heading=_("Kanalen en links")),
    ]

    search_fields = [index.SearchField("name"), index.SearchField("goal")]

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-starts_on", "name"]

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions


class TrackedLink(Orderable):
    """One channel of a campaign: a short address /c/<code> and its QR code."""

    campaign = ParentalKey(Campaign, on_delete=models.CASCADE, related_name="links")
    channel = models.CharField(_("kanaal"), max_length=12, choices=Channel.choices)
    label = models.CharField(
        _("omschrijving"),
        max_length=80,
        help_text=_("Bijvoorbeeld: flyer bibliotheek, of post op Instagram in maart."),
    )
    code = models.CharField(
        _("code"),
        max_length=16,
        unique=True,
        blank=True,
        help_text=_("Wordt zelf gemaakt. Kort en zonder letters die op elkaar lijken."),
    )
    destination = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gaat naar"),
        help_text=_("Leeg: de landingspagina van de campagne."),
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)

    panels = [
        FieldRowPanel([FieldPanel("channel"), FieldPanel("label")]),
        FieldPanel("destination"),
        FieldPanel("code", read_only=True),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return f"{self.code} · {self.label}"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code()
        super().save(*args, **kwargs)

    def target_page(self):
        page = self.destination or self.campaign.landing_page
        return page.specific if page is not None else None

    @property
    def short_path(self):
        return f"/c/{self.code}"


class CampaignLandingPage(BasePage):
    """One message, one call to action to the intake, stories of people like the reader.

    Two versions of the headline and the button can be compared: each view is given one
    version at random, which travels to the intake in the link, so no cookie is needed.
    """

    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="landing_pages",
        verbose_name=_("campagne"),
    )
    headline = models.CharField(_("kop"), max_length=120)
    cta_label = models.CharField(_("knop"), max_length=40, default="Meld je aan")
    headline_b = models.CharField(
        _("kop, versie B"),
        max_length=120,
        blank=True,
        help_text=_("Vul in om twee koppen te vergelijken. Leeg: iedereen ziet versie A."),
    )
    cta_label_b = models.CharField(_("knop, versie B"), max_length=40, blank=True)
    message = models.TextField(
        _("boodschap"),
        max_length=600,
        help_text=_("Eén boodschap in twee of drie korte zinnen."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("afbeelding"),
        help_text=_("Een tekening of een verteller met toestemming. Geen stockfoto."),
    )
    stories = StreamField(LandingStoriesBlock(), blank=True, verbose_name=_("verhalen en citaten"))
    steps = StreamField(
        [("steps", StepsBlock())],
        blank=True,
        max_num=1,
        verbose_name=_("wat gebeurt er als je je aanmeldt"),
    )
    fears = StreamField([("fear", FearsBlock())], blank=True, verbose_name=_("veelgestelde zorgen"))
    video = models.ForeignKey(
        "verhalen.Video",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("video (mag leeg)"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("campaign"),
        MultiFieldPanel(
            [FieldPanel("headline"), FieldPanel("cta_label"), FieldPanel("message")],
            heading=_("Boodschap"),
        ),
        MultiFieldPanel(
            [FieldPanel("headline_b"), FieldPanel("cta_label_b")],
            heading=_("Vergelijk twee versies"),
        ),
        FieldPanel("image"),
        FieldPanel("stories"),
        FieldPanel("steps"),
        FieldPanel("fears"),
        FieldPanel("video"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("message")]

    parent_page_types = ["doorvertellen.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campagnepagina")

    @property
    def has_variants(self):
        return bool(self.headline_b.strip() or self.cta_label_b.strip())

    def get_context(self, request, *args, **kwargs):
        from verhalen.blocks import prefetch_stories
        from verhalen.models.pages import CARD_RENDITIONS

        prefetch_stories(self.stories, CARD_RENDITIONS, locale_id=self.locale_id)
        return super().get_context(request, *args, **kwargs)

    def page_cache_variants(self):
        """The versions the page cache keeps apart (see doorvertellen.page_cache)."""
        from campagnes.counting import VARIANTS

        return list(VARIANTS) if self.has_variants else []


class DailyCount(models.Model):
    """A number of events on one day, for one code, page and headline version.

    Rows hold no person: only what happened how often. `code` is empty for visits that did not
    come through a tracked link; `variant` is empty where no versions are compared, and
    `variant_page` says whose version it is: the landing page the resident saw it on, also for
    a step taken later on a story page (0 when there is no version).
    """

    class Event(models.TextChoices):
        VIEW = "view", _("bekeken")
        CTA_CLICK = "cta_click", _("op de knop geklikt")
        INTAKE_STARTED = "started", _("aanmelding begonnen")
        INTAKE_SUBMITTED = "submitted", _("aanmelding verstuurd")
        # Milestones on the route, counted on the day of the sign-up they belong to.
        CONTACTED = "contacted", _("contact gehad")
        FIRST_MEETING = "first_meeting", _("eerste gesprek")
        IN_ROUTE_3M = "in_route_3m", _("na 3 maanden nog in traject")
        SOLUTION = "solution", _("oplossing bereikt")
        DROPPED_OUT = "dropped_out", _("afgehaakt")
        # Not a step: the detail is the number of whole hours from sign-up to first contact.
        RESPONSE_TIME = "response_time", _("tijd tot contact")

    day = models.DateField(_("dag"))
    event = models.CharField(_("gebeurtenis"), max_length=16, choices=Event.choices)
    code = models.CharField(_("code"), max_length=16, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("pagina")
    )
    variant = models.CharField(_("versie"), max_length=1, blank=True)
    # A page id rather than a key: counts on a story must not vanish with a landing page, and
    # 0 instead of NULL keeps the unique constraint (and so exact counting) on every database.
    variant_page = models.PositiveIntegerField(_("versie van pagina"), default=0)
    detail = models.CharField(
        _("soort"),
        max_length=16,
        blank=True,
        help_text="A category of a milestone: on time or late, kind of solution, dropout reason.",
    )
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("dagtelling")
        verbose_name_plural = _("dagtellingen")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "event", "code", "page", "variant", "variant_page", "detail"],
                name="unique_daily_count_with_version_page",
            )
        ]
        indexes = [
            models.Index(fields=["code", "day"]),
            # One step over a period (the weekly chart, response times, outcomes), read from
            # the index alone. (Day first is the unique constraint's own index.)
            models.Index(fields=["event", "day", "count"], name="daily_count_event_day_idx"),
            # Holds all the dashboard's funnel needs, in the order it sums them: a year of
            # counts for 200 campaigns is summed without reading the table itself.
            models.Index(
                fields=["event", "code", "page", "day", "count"], name="daily_count_funnel_idx"
            ),
            # The few rows with a headline version, for comparing versions.
            models.Index(
                fields=["variant_page", "event", "variant", "day", "count"],
                name="daily_count_version_idx",
                condition=models.Q(variant_page__gt=0),
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.event} {self.code or '-'} {self.page_id}: {self.count}"

    @classmethod
    def add(
        cls,
        event,
        page_id,
        *,
        code="",
        variant="",
        variant_page=0,
        detail="",
        day=None,
        amount=1,
    ):
        """Add to today's count, exactly, even with many workers counting at once.

        An UPDATE ... SET count = count + 1 is atomic in the database; only the first event of
        the day creates the row, and a lost race to create it turns into that same update.
        """
        key = {
            "day": day or timezone.localdate(),
            "event": event,
            "code": code,
            "page_id": page_id,
            "variant": variant,
            "variant_page": variant_page if variant else 0,
            "detail": detail,
        }
        if amount < 0:  # a correction: never below zero
            cls.objects.filter(**key, count__gte=-amount).update(count=F("count") + amount)
            return
        if cls.objects.filter(**key).update(count=F("count") + amount):
            return
        try:
            with transaction.atomic():
                cls.objects.create(**key, count=amount)
        except IntegrityError:
            cls.objects.filter(**key).update(count=F("count") + amount)


class Municipality(models.Model):
    """Which municipality a range of four-digit postcode areas belongs to.

    Only used to group the interest from outside the service area, which is counted per
    postcode area and never per person.
    """

    name = models.CharField(_("gemeente"), max_length=80)
    first_area = models.PositiveSmallIntegerField(
        _("van postcodegebied"), help_text=_("Vier cijfers, bijvoorbeeld 3300.")
    )
    last_area = models.PositiveSmallIntegerField(
        _("tot en met postcodegebied"), help_text=_("Vier cijfers, bijvoorbeeld 3329.")
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("first_area"), FieldPanel("last_area")]),
    ]

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name", "first_area"]

    def __str__(self):
        return f"{self.name} ({self.first_area} tot {self.last_area})"

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for name in ("first_area", "last_area"):
            value = getattr(self, name)
            if value is not None and not 1000 <= value <= 9999:
                errors[name] = _("Een postcodegebied heeft vier cijfers, van 1000 tot 9999.")
        if not errors and self.first_area and self.last_area and self.first_area > self.last_area:
            errors["last_area"] = _("Dit moet hetzelfde of hoger zijn dan het eerste gebied.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def name_for(cls, area, ranges):
        number = int(area) if str(area).isdigit() else -1
        for first, last, name in ranges:
            if first <= number <= last:
                return name
        return None
