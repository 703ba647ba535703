"""Counting shares per story, per day and channel: no person, cookie or address involved."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareChannel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    EMAIL = "email", _("E-mail")
    LINK = "link", _("Link gekopieerd")


class ShareCount(models.Model):
    """How often a story was shared through a channel, and how often someone arrived by it."""

    class Kind(models.TextChoices):
        SHARED = "shared", _("gedeeld")
        ARRIVED = "arrived", _("bezocht via gedeelde link")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="share_counts"
    )
    channel = models.CharField(_("kanaal"), max_length=10, choices=ShareChannel.choices)
    kind = models.CharField(_("soort"), max_length=8, choices=Kind.choices)
    day = models.DateField(_("dag"))
    count = models.PositiveIntegerField(_("aantal"), default=0)

    class Meta:
        verbose_name = _("aantal keer gedeeld")
        verbose_name_plural = _("aantallen keer gedeeld")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "channel", "kind", "day"], name="unique_share_count_per_day"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.channel} {self.kind} {self.day}: {self.count}"
