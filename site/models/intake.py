"""Intake records: who asked for help, and how to reach them.

Personal fields are encrypted at rest; only the intake team has the permissions to see them.
Figures elsewhere (campaign counts, referrals) never hold a person's data.
"""

import math
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from doorvertellen.encryption import EncryptedTextField

MILESTONE_FIELDS = [
    "created_at",
    "contacted_at",
    "respond_by",
    "first_meeting_on",
    "in_route_after_3_months",
    "outcome",
    "dropout_reason",
]


def working_days_after(moment, days):
    """The moment `days` working days (Monday to Friday) after `moment`."""
    result = moment
    while days > 0:
        result += timedelta(days=1)
        if result.weekday() < 5:
            days -= 1
    return result


def reached_milestones(values):
    """The route milestones a record has reached, as {milestone: detail}.

    The detail is a category (on time or late, the kind of solution, why someone dropped out),
    never anything about the person.
    """
    reached = {}
    if values.get("contacted_at"):
        respond_by = values.get("respond_by")
        late = respond_by is not None and values["contacted_at"] > respond_by
        reached["contacted"] = "late" if late else "on_time"
        created_at = values.get("created_at")
        if created_at is not None:
            # Whole hours from sign-up to first contact, so the figures can give a median.
            seconds = (values["contacted_at"] - created_at).total_seconds()
            reached["response_time"] = str(min(9999, max(0, math.ceil(seconds / 3600))))
    if values.get("first_meeting_on"):
        reached["first_meeting"] = ""
    if values.get("in_route_after_3_months") is True:
        reached["in_route_3m"] = ""
    outcome = values.get("outcome")
    if outcome in ("arrangement", "other_solution"):
        reached["solution"] = outcome
    elif outcome == "dropped_out":
        reached["dropped_out"] = values.get("dropout_reason") or "other"
    return reached


class IntakeRecord(models.Model):
    class BestTime(models.TextChoices):
        ANY = "any", _("Maakt niet uit")
        MORNING = "morning", _("In de ochtend")
        AFTERNOON = "afternoon", _("In de middag")
        EVENING = "evening", _("Aan het eind van de dag (tot 19 uur)")

    class Outcome(models.TextChoices):
        ARRANGEMENT = "arrangement", _("Schuldregeling getroffen")
        OTHER_SOLUTION = "other_solution", _("Andere oplossing gevonden")
        DROPPED_OUT = "dropped_out", _("Afgehaakt")

    class DropoutReason(models.TextChoices):
        UNREACHABLE = "unreachable", _("Niet meer bereikbaar")
        NO_SHOW = "no_show", _("Niet gekomen op afspraken")
        NOT_READY = "not_ready", _("Wilde (nog) niet verder")
        TOO_HARD = "too_hard", _("Te zwaar of te ingewikkeld")
        MOVED = "moved", _("Verhuisd")
        HELPED_ELSEWHERE = "elsewhere", _("Elders geholpen")
        OTHER = "other", _("Anders")

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
    campaign_variant = models.CharField(_("versie van de campagnepagina"), max_length=1, blank=True)
    campaign_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("campagnepagina van die versie"),
        help_text=_("The landing page whose version (A or B) the resident saw."),
    )
    respond_by = models.DateTimeField(
        _("bellen vóór"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The response promise in working days, counted from the sign-up."),
    )

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

    # Milestones on the route: what the figures follow, without naming anyone.
    first_meeting_on = models.DateField(_("eerste gesprek gehouden op"), null=True, blank=True)
    in_route_after_3_months = models.BooleanField(
        _("na 3 maanden nog in het traject"),
        null=True,
        blank=True,
        help_text=_("Vul in als de aanmelding drie maanden oud is. Leeg: nog niet bekend."),
    )
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("uitkomst op"), null=True, blank=True)
    dropout_reason = models.CharField(
        _("reden van afhaken"),
        max_length=12,
        choices=DropoutReason.choices,
        blank=True,
        help_text=_("Alleen bij afgehaakt. Een categorie, geen verhaal."),
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

    def save(self, *args, **kwargs):
        """Save, and tell the figures which milestones were reached (or corrected) just now.

        The figures are counts without the person (see campagnes), so they outlive this record
        when it is deleted after its retention period.
        """
        from doorvertellen.signals import intake_milestone

        before = {}
        if not self._state.adding:
            before = type(self).objects.filter(pk=self.pk).values(*MILESTONE_FIELDS).first() or {}
        super().save(*args, **kwargs)
        old = reached_milestones(before)
        new = reached_milestones({name: getattr(self, name) for name in MILESTONE_FIELDS})
        for milestone in set(old) | set(new):
            if old.get(milestone) == new.get(milestone):
                continue
            if milestone in old:
                intake_milestone.send(
                    type(self), record=self, milestone=milestone, detail=old[milestone], delta=-1
                )
            if milestone in new:
                intake_milestone.send(
                    type(self), record=self, milestone=milestone, detail=new[milestone], delta=1
                )

    @property
    def reference(self):
        """A short reference the intake team can say on the phone; not personal."""
        return str(self.id).split("-")[0].upper()

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.outcome and not self.outcome_on:
            errors["outcome_on"] = _("Vul in wanneer dit gebeurde.")
        if self.outcome == self.Outcome.DROPPED_OUT and not self.dropout_reason:
            errors["dropout_reason"] = _("Kies waarom iemand afhaakte.")
        if self.dropout_reason and self.outcome != self.Outcome.DROPPED_OUT:
            errors["dropout_reason"] = _("Een reden hoort alleen bij 'afgehaakt'.")
        if self.first_meeting_on and self.first_meeting_on < timezone.localdate(self.created_at):
            errors["first_meeting_on"] = _("Het eerste gesprek kan niet vóór de aanmelding zijn.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self):
        """Not contacted yet, and the promised time has passed."""
        return (
            self.contacted_at is None
            and self.respond_by is not None
            and self.respond_by < timezone.now()
        )

    def response_display(self):
        """For the inbox: is the promise to call back kept?"""
        if self.contacted_at is not None:
            late = self.respond_by is not None and self.contacted_at > self.respond_by
            return _("Te laat gebeld") if late else _("Op tijd gebeld")
        if self.respond_by is None:
            return ""
        if self.is_overdue:
            return _("Te laat: nog niet gebeld")
        return _("Bellen vóór %(moment)s") % {
            "moment": timezone.localtime(self.respond_by).strftime("%d-%m %H:%M")
        }

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

    def get_language_display(self):
        """The language the resident signed up in, for the intake team: "Arabisch (العربية)"."""
        try:
            info = get_language_info(self.language)
        except KeyError:
            return self.language
        if info["name_translated"] == info["name_local"]:
            return str(info["name_translated"])
        return f"{info['name_translated']} ({info['name_local']})"

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
