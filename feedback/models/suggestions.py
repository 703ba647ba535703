"""Former clients' voice: suggestions with public answers, story offers and "was this useful?".

A suggestion is personal: what happened to someone, and maybe how to reach them. Its texts and
contact details are encrypted, and only the feedback coordinator reads them. What the public
sees is a separate PublicItem that the coordinator writes, into which suggestions about the same
thing are merged; the original text is never shown.
"""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.search import index

from doorvertellen.encryption import EncryptedTextField


class Phase(models.TextChoices):
    SIGNING_UP = "signing_up", _("Aanmelden")
    FIRST_MEETING = "first_meeting", _("Eerste gesprek")
    STABILISATION = "stabilisation", _("Rust in je geldzaken (stabilisatie)")
    ARRANGEMENT = "arrangement", _("Schuldregeling")
    AFTERCARE = "aftercare", _("Nazorg")
    LETTERS = "letters", _("Brieven en contact")
    WEBSITE = "website", _("Deze website")


class Status(models.TextChoices):
    NEW = "new", _("Nieuw")
    LOOKING = "looking", _("We kijken ernaar")
    PLANNED = "planned", _("Gepland")
    CHANGED = "changed", _("Veranderd")
    NOT_POSSIBLE = "not_possible", _("Niet mogelijk")


class PublicItem(index.Indexed, models.Model):
    """What "Jullie zeiden, wij deden" shows: a suggestion in the coordinator's words."""

    title = models.CharField(
        _("kop"),
        max_length=120,
        help_text=_("Wat mensen zeiden, in een paar woorden. Niets persoonlijks."),
    )
    summary = models.TextField(
        _("wat mensen zeiden"),
        max_length=800,
        help_text=_(
            "Herschrijf het voorstel zo dat niemand te herkennen is: geen namen, plaatsen, "
            "bedragen of data."
        ),
    )
    phase = models.CharField(_("fase"), max_length=16, choices=Phase.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.LOOKING
    )
    answer = models.TextField(
        _("ons antwoord"),
        blank=True,
        max_length=1200,
        help_text=_("Wat we ermee doen, of waarom het niet kan. In eenvoudige woorden."),
    )
    change_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pagina over de verandering"),
    )
    change_url = models.URLField(_("of: adres van de verandering"), blank=True)
    published = models.BooleanField(
        _("openbaar"), default=False, help_text=_("Pas openbaar maken als de tekst klaar is.")
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("phase"), FieldPanel("status")]),
        FieldPanel("answer"),
        MultiFieldPanel(
            [PageChooserPanel("change_page"), FieldPanel("change_url")],
            heading=_("Wat er veranderde"),
        ),
        FieldPanel("published"),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("summary")]

    class Meta:
        verbose_name = _("openbaar antwoord")
        verbose_name_plural = _("openbare antwoorden")
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.status == Status.NOT_POSSIBLE and not self.answer.strip():
            raise ValidationError(
                {"answer": _("Leg uit waarom het niet mogelijk is. Dat verdienen mensen.")}
            )


class Suggestion(models.Model):
    """One person's suggestion. Encrypted; never shown publicly."""

    phase = models.CharField(_("fase"), max_length=16, choices=Phase.choices)
    what_happened = EncryptedTextField(_("wat er gebeurde"))
    what_better = EncryptedTextField(_("wat beter kan"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW, db_index=True
    )
    public_item = models.ForeignKey(
        PublicItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        verbose_name=_("samengevoegd in openbaar antwoord"),
    )
    contact_name = EncryptedTextField(_("naam"), blank=True)
    contact_email = EncryptedTextField(_("e-mailadres"), blank=True)
    contact_phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    wants_panel = models.BooleanField(_("wil meedenken in een panel"), default=False)
    wants_ambassador = models.BooleanField(_("wil verhalenambassadeur worden"), default=False)
    submission_token = models.UUIDField(unique=True, null=True, editable=False)
    notified_status = models.CharField(max_length=16, blank=True, editable=False)
    language = models.CharField(_("taal"), max_length=10, default="nl")
    created_at = models.DateTimeField(_("ingestuurd op"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    class Meta:
        verbose_name = _("verbetervoorstel")
        verbose_name_plural = _("verbetervoorstellen")
        ordering = ["-created_at"]

    def __str__(self):
        return _("Voorstel van %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%d-%m-%Y")
        }

    def clean(self):
        """ "Not possible" owes people the reason, and only a public answer can hold it.

        A merged suggestion follows its item's status (whose answer is required then); one on
        its own has nowhere to say why, so it must be merged first.
        """
        from django.core.exceptions import ValidationError

        if self.status == Status.NOT_POSSIBLE and self.public_item_id is None:
            raise ValidationError(
                {
                    "status": _(
                        "Kan het niet? Voeg het voorstel dan samen in een openbaar antwoord "
                        "en schrijf daar waarom. Dat verdienen mensen."
                    )
                }
            )

    @property
    def effective_status(self):
        """Once merged, a suggestion follows its public item."""
        return self.public_item.status if self.public_item_id else self.status

    @property
    def has_contact(self):
        return bool(self.contact_email or self.contact_phone)


class UsefulCount(models.Model):
    """ "Was this useful?" answers per page and day: numbers only."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("dag"))
    useful = models.BooleanField(_("nuttig"))
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("nuttig-telling")
        verbose_name_plural = _("nuttig-tellingen")
        constraints = [
            models.UniqueConstraint(fields=["page", "day", "useful"], name="unique_useful_count")
        ]

    def __str__(self):
        return f"{self.page_id} {self.day} {self.useful}: {self.count}"

    @classmethod
    def add(cls, page_id, useful, day=None):
        key = {"page_id": page_id, "day": day or timezone.localdate(), "useful": useful}
        if cls.objects.filter(**key).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(**key, count=1)
        except IntegrityError:
            cls.objects.filter(**key).update(count=F("count") + 1)


class UsefulComment(models.Model):
    """An optional comment with a "was this useful?" answer. Never published."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("pagina")
    )
    useful = models.BooleanField(_("nuttig"))
    comment = EncryptedTextField(_("opmerking"))
    created_at = models.DateTimeField(_("op"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("opmerking bij nuttig")
        verbose_name_plural = _("opmerkingen bij nuttig")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.page_id} {self.created_at:%Y-%m-%d}"
