"""The phases of the debt-help route: one vocabulary for stories, feedback and figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoutePhase(models.TextChoices):
    SIGNING_UP = "signing_up", _("Aanmelden")
    FIRST_MEETING = "first_meeting", _("Eerste gesprek")
    STABILISATION = "stabilisation", _("Rust in je geldzaken (stabilisatie)")
    ARRANGEMENT = "arrangement", _("Schuldregeling")
    AFTERCARE = "aftercare", _("Nazorg")
