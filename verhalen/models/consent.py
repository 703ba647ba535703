"""Consent: a story is only online while every person in it allows it.

One ConsentRecord per person appearing in a story or documentary. It says where the story may
appear (scope), how the person is named, whether a photo and the city may be shown, until when,
and which version of the consent text they agreed to. The storyteller's contact details are
encrypted and only the consent managers see them.

A StoryApproval ties the storyteller's "yes" to one revision's content: publishing anything else
needs a new approval. Links sent to the storyteller carry a random token; only its hash is
stored, so a copy of the database cannot be used to approve or withdraw.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from doorvertellen.encryption import EncryptedTextField

APPROVAL_LINK_DAYS = 14


def new_token():
    """A link token: 256 random bits, URL-safe. Returns (token, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ConsentText(models.Model):
    """A version of the text storytellers agree to. Kept as it was: records point to it."""

    version = models.CharField(
        _("versie"),
        max_length=20,
        unique=True,
        help_text=_("Bijvoorbeeld 2026-1. Verander een tekst nooit: maak een nieuwe versie."),
    )
    text = models.TextField(
        _("tekst"), help_text=_("De tekst zoals de verteller die leest, in eenvoudig Nederlands.")
    )
    created_at = models.DateTimeField(_("gemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("toestemmingstekst")
        verbose_name_plural = _("toestemmingsteksten")
        ordering = ["-created_at"]

    def __str__(self):
        return str(_("Versie %(version)s") % {"version": self.version})


class ConsentRecordQuerySet(models.QuerySet):
    def in_force(self, today=None):
        """Given, not withdrawn and not expired."""
        today = today or timezone.localdate()
        return self.filter(given_at__isnull=False, withdrawn_at__isnull=True, expires_on__gt=today)

    def for_website(self, today=None):
        return self.in_force(today).filter(scope_website=True)


class ConsentRecord(ClusterableModel):
    class Naming(models.TextChoices):
        FIRST_NAME = "first_name", _("Voornaam")
        PSEUDONYM = "pseudonym", _("Schuilnaam")

    class Status(models.TextChoices):
        PENDING = "pending", _("Nog niet gegeven")
        GIVEN = "given", _("Gegeven")
        WITHDRAWN = "withdrawn", _("Ingetrokken")
        EXPIRED = "expired", _("Verlopen")

    display_name = models.CharField(
        _("naam op de site"),
        max_length=40,
        help_text=_("Zoals de verteller genoemd wil worden: een voornaam of een schuilnaam."),
    )
    naming = models.CharField(
        _("soort naam"), max_length=12, choices=Naming.choices, default=Naming.FIRST_NAME
    )
    scope_website = models.BooleanField(_("op de website"), default=True)
    scope_social = models.BooleanField(
        _("op sociale media"),
        default=False,
        help_text=_("Ook: deelknoppen en een deelplaatje met het citaat."),
    )
    scope_print = models.BooleanField(_("in drukwerk"), default=False)
    scope_video = models.BooleanField(_("in video"), default=False)
    photo_allowed = models.BooleanField(_("foto mag"), default=False)
    city_shown = models.BooleanField(_("woonplaats mag"), default=False)
    given_at = models.DateTimeField(
        _("toestemming gegeven op"),
        null=True,
        blank=True,
        help_text=_("Leeg zolang de verteller nog niet heeft getekend of akkoord gegeven."),
    )
    expires_on = models.DateField(
        _("geldig tot"),
        help_text=_("Op deze dag gaat het verhaal offline, tenzij de verteller verlengt."),
    )
    text_version = models.ForeignKey(
        ConsentText,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("versie van de toestemmingstekst"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    # Restricted: only consent managers see these (see verhalen.wagtail_hooks).
    contact_name = EncryptedTextField(_("volledige naam"), blank=True)
    contact_email = EncryptedTextField(_("e-mailadres"), blank=True)
    contact_phone = EncryptedTextField(_("telefoonnummer"), blank=True)

    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawal_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    expiry_warning_sent_on = models.DateField(null=True, blank=True)
    offline_since = models.DateTimeField(
        _("offline gehaald op"),
        null=True,
        blank=True,
        help_text=_("When withdrawal or expiry took the pages offline; retention counts from it."),
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["expires_on", "pk"]

    def __str__(self):
        return f"{self.display_name} ({self.get_status_display()})"

    @property
    def status(self):
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.given_at is None:
            return self.Status.PENDING
        if self.expires_on <= timezone.localdate():
            return self.Status.EXPIRED
        return self.Status.GIVEN

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def in_force(self):
        return self.status == self.Status.GIVEN

    @property
    def allows_website(self):
        return self.in_force and self.scope_website

    @property
    def allows_social(self):
        return self.in_force and self.scope_social

    def scopes_display(self):
        names = [
            (self.scope_website, _("website")),
            (self.scope_social, _("sociale media")),
            (self.scope_print, _("drukwerk")),
            (self.scope_video, _("video")),
        ]
        return ", ".join(str(label) for allowed, label in names if allowed)

    def new_withdrawal_token(self):
        """A fresh withdrawal link (the old one stops working). Caller saves."""
        token, self.withdrawal_token_hash = new_token()
        return token

    def pages(self):
        from wagtail.models import Page

        return Page.objects.filter(story_consents__consent=self)


class ConsentPage(Orderable):
    """Which story or documentary a consent covers (a person can appear in more than one)."""

    consent = ParentalKey(ConsentRecord, on_delete=models.CASCADE, related_name="page_links")
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="story_consents",
        verbose_name=_("verhaal of documentaire"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("verhaal")
        verbose_name_plural = _("verhalen")
        constraints = [
            models.UniqueConstraint(fields=["consent", "page"], name="unique_consent_page")
        ]


class StoryApprovalQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=StoryApproval.Status.APPROVED)


class StoryApproval(models.Model):
    """The storyteller's answer on one exact version of their story."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op de verteller")
        APPROVED = "approved", _("Akkoord")
        CHANGES_REQUESTED = "changes", _("Wil een verandering")
        SUPERSEDED = "superseded", _("Vervangen door een nieuwere vraag")

    consent = models.ForeignKey(ConsentRecord, on_delete=models.CASCADE, related_name="approvals")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="story_approvals"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_hash = models.CharField(
        max_length=64, help_text="What the storyteller saw; publishing needs the same hash."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("gevraagd door"),
    )
    expires_at = models.DateTimeField(_("link geldig tot"))
    decided_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    comment = EncryptedTextField(_("wat de verteller anders wil"), blank=True)

    objects = StoryApprovalQuerySet.as_manager()

    class Meta:
        verbose_name = _("akkoord van de verteller")
        verbose_name_plural = _("akkoorden van vertellers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.page_id} / {self.revision_id}: {self.get_status_display()}"

    @classmethod
    def create_for(cls, consent, page, revision, *, user=None):
        """Ask the storyteller about `revision`; earlier open questions stop working.

        Returns (approval, token): the token goes into the link and is not stored.
        """
        cls.objects.filter(consent=consent, page=page, status=cls.Status.PENDING).update(
            status=cls.Status.SUPERSEDED
        )
        token, token_hash = new_token()
        approval = cls.objects.create(
            consent=consent,
            page=page,
            revision=revision,
            content_hash=revision.as_object().approval_hash(),
            token_hash=token_hash,
            created_by=user,
            expires_at=timezone.now() + timedelta(days=APPROVAL_LINK_DAYS),
        )
        return approval, token

    @property
    def is_open(self):
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()
