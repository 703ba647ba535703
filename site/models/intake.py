"""Intake records: who asked for help, and how to reach them.

Personal fields are encrypted at rest; only the intake team has the permissions to see them.
Figures elsewhere (campaign counts, referrals) never hold a person's data.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorvertellen.encryption import EncryptedTextField


class IntakeRecord(models.Model):
    class BestTime(models.TextChoices):
        ANY = "any", _("Maakt niet uit")
        MORNING = "morning", _("In de ochtend")
        AFTERNOON = "afternoon", _("In de middag")
        EVENING = "evening", _("Aan het eind van de dag (tot 19 uur)")

    class Status(models.TextChoices):
        NEW = "new", _("Nieuw")
        CONTACTED = "contacted", _("Contact gehad")
        HANDED_OVER = "handed_over", _("Overgedragen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission_token = models.UUIDField(
        unique=True,
        help_text=_("Set when the form is shown; a second submit with it stores nothing new."),
    )
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)

    name = EncryptedTextField(_("naam of bijnaam"))
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    email = EncryptedTextField(_("e-mailadres"), blank=True)
    best_time = models.CharField(
        _("beste tijd om te bellen"), max_length=12, choices=BestTime.choices, default=BestTime.ANY
    )
    message = EncryptedTextField(_("wat is er aan de hand"), blank=True)
    postcode = EncryptedTextField(_("postcode"))
    consent_at = models.DateTimeField(_("toestemming voor contact gegeven op"))
    language = models.CharField(_("taal"), max_length=10, default="nl")

    # Where the resident came from: ordinary form fields, no tracking.
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("via pagina"),
    )
    source_story = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("laatst gelezen verhaal"),
    )
    campaign_code = models.CharField(_("campagnecode"), max_length=16, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    contacted_at = models.DateTimeField(_("contact gehad op"), null=True, blank=True)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact gehad door"),
    )
    handed_over_at = models.DateTimeField(_("overgedragen op"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("overgedragen door"),
    )

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["-created_at"]
        permissions = [("export_intakerecord", "Can export intake records for hand-over")]

    def __str__(self):
        return _("Aanmelding van %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%d-%m-%Y %H:%M")
        }

    @property
    def reference(self):
        """A short reference the intake team can say on the phone; not personal."""
        return str(self.id).split("-")[0].upper()

    def mark_contacted(self, user):
        if self.contacted_at is None:
            self.contacted_at = timezone.now()
            self.contacted_by = user
        if self.status == self.Status.NEW:
            self.status = self.Status.CONTACTED
        self.save(update_fields=["contacted_at", "contacted_by", "status", "updated_at"])

    def mark_handed_over(self, user):
        if self.contacted_at is None:
            self.contacted_at = timezone.now()
            self.contacted_by = user
        self.handed_over_at = self.handed_over_at or timezone.now()
        self.handed_over_by = self.handed_over_by or user
        self.status = self.Status.HANDED_OVER
        self.save(
            update_fields=[
                "contacted_at",
                "contacted_by",
                "handed_over_at",
                "handed_over_by",
                "status",
                "updated_at",
            ]
        )

    def as_export_dict(self):
        """Everything the case system needs at hand-over, with readable values."""
        return {
            "referentie": self.reference,
            "id": str(self.id),
            "aangemeld_op": timezone.localtime(self.created_at).isoformat(),
            "naam": self.name,
            "telefoon": self.phone,
            "email": self.email,
            "beste_tijd": str(self.get_best_time_display()),
            "wat_is_er_aan_de_hand": self.message,
            "postcode": self.postcode,
            "taal": self.language,
            "status": str(self.get_status_display()),
            "contact_gehad_op": (
                timezone.localtime(self.contacted_at).isoformat() if self.contacted_at else ""
            ),
            "overgedragen_op": (
                timezone.localtime(self.handed_over_at).isoformat() if self.handed_over_at else ""
            ),
            "campagnecode": self.campaign_code,
        }


class OutsideAreaCount(models.Model):
    """How many people from outside the service area tried to sign up, per day and area.

    Only the four digits of the postcode are kept (an area of thousands of households), and no
    other detail of the person: they are referred to the national route instead.
    """

    date = models.DateField(_("datum"))
    postcode_area = models.CharField(_("postcodegebied"), max_length=4)
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("aanmelding buiten werkgebied")
        verbose_name_plural = _("aanmeldingen buiten werkgebied")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "postcode_area"], name="unique_outside_area_day"
            )
        ]

    def __str__(self):
        return f"{self.date} {self.postcode_area}: {self.count}"
