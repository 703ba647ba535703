"""The access audit log: who saw, exported, changed or deleted personal data, and when.

An entry never holds the data itself, only what was done to which object. Entries cannot be
changed or deleted through the application; only the retention job removes entries older
than the audit log's own retention period.
"""

import logging

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("doorvertellen.audit")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted; they expire by retention only.")

    def purge_before(self, moment):
        """The one way entries leave the log: older than the retention period."""
        expired = models.QuerySet(model=self.model, using=self.db).filter(timestamp__lt=moment)
        return expired._raw_delete(expired.db)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("bekeken")
        LIST = "list", _("lijst bekeken")
        EXPORT = "export", _("geëxporteerd")
        CREATE = "create", _("aangemaakt")
        CHANGE = "change", _("gewijzigd")
        DELETE = "delete", _("verwijderd")
        PURGE = "purge", _("verwijderd na bewaartermijn")
        ERASE = "erase", _("gewist op verzoek")

    class Result(models.TextChoices):
        OK = "ok", _("gelukt")
        DENIED = "denied", _("geweigerd")

    timestamp = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    actor_username = models.CharField(
        _("gebruikersnaam"),
        max_length=150,
        blank=True,
        help_text=_("Kept when the account is removed later; empty for the system itself."),
    )
    action = models.CharField(_("handeling"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("soort gegevens"), max_length=100)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    result = models.CharField(
        _("resultaat"), max_length=10, choices=Result.choices, default=Result.OK
    )
    ip_address = models.GenericIPAddressField(_("IP-adres medewerker"), null=True, blank=True)
    detail = models.CharField(
        _("toelichting"),
        max_length=200,
        blank=True,
        help_text=_("Counts or a filter, never contents."),
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("regel in het toegangslog")
        verbose_name_plural = _("toegangslog")
        ordering = ["-timestamp"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")

    @classmethod
    def record(cls, request, action, model, object_id="", *, result=Result.OK, detail=""):
        """Write one entry about `model` (and one object of it, if `object_id` is given)."""
        user = getattr(request, "user", None) if request is not None else None
        if user is not None and not user.is_authenticated:
            user = None
        entry = cls.objects.create(
            actor=user,
            actor_username=user.get_username() if user else "",
            action=action,
            object_type=model._meta.label,
            object_id=str(object_id or ""),
            result=result,
            ip_address=request.META.get("REMOTE_ADDR") if request is not None else None,
            detail=detail[:200],
        )
        if result == cls.Result.DENIED:
            logger.warning(
                "Denied: %s %s %s by %s",
                action,
                entry.object_type,
                entry.object_id or "(list)",
                entry.actor_username or "(anonymous)",
            )
        return entry
