"""Videos for mini-documentaries: our own small media model.

A video is either a file we host (MP4 or WebM, played by the browser's own player with a
captions track) or an address at YouTube or Vimeo, which is only loaded after the visitor
clicks. Captions (WebVTT) are required for a hosted file and validated when they are uploaded.
"""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

VIDEO_EXTENSIONS = ["mp4", "webm"]


class Video(models.Model):
    title = models.CharField(_("titel"), max_length=120)
    file = models.FileField(
        _("videobestand"),
        upload_to="videos/",
        blank=True,
        validators=[FileExtensionValidator(VIDEO_EXTENSIONS)],
        help_text=_("MP4 of WebM. Houd het klein: de meeste mensen kijken op hun telefoon."),
    )
    external_url = models.URLField(
        _("of: adres bij YouTube of Vimeo"),
        blank=True,
        help_text=_(
            "Alleen als het bestand niet hier staat. Bezoekers zien eerst een plaatje; "
            "de video laadt pas als zij erop klikken."
        ),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("plaatje voor de video"),
    )
    duration_seconds = models.PositiveIntegerField(
        _("duur in seconden"),
        null=True,
        blank=True,
        help_text=_("Wordt zelf gemeten bij het uploaden, als dat kan."),
    )
    captions = models.FileField(
        _("ondertiteling (WebVTT)"),
        upload_to="videos/captions/",
        blank=True,
        validators=[FileExtensionValidator(["vtt"])],
        help_text=_("Verplicht bij een videobestand. Een .vtt-bestand in het Nederlands."),
    )
    captions_language = models.CharField(
        _("taal van de ondertiteling"), max_length=10, default="nl"
    )
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("video's")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def is_external(self):
        return not self.file and bool(self.external_url)

    @property
    def mime_type(self):
        return "video/webm" if self.file.name.lower().endswith(".webm") else "video/mp4"

    def caption_problem(self):
        """Why this video cannot be published on a page yet (None: it can)."""
        from verhalen.captions import CaptionError, read_vtt

        if self.is_external:
            return None
        if not self.file:
            return _("Deze video heeft nog geen bestand.")
        if not self.captions:
            return _("Deze video heeft nog geen ondertiteling (WebVTT).")
        try:
            with self.captions.open("rb") as captions:
                read_vtt(captions.read())
        except CaptionError as error:
            return error.message
        return None

    def duration_display(self):
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"
