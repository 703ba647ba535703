"""Videos for mini-documentaries: our own small media model.

A video is either a file we host (MP4 or WebM, played by the browser's own player with a
captions track) or an address at YouTube or Vimeo, which is only loaded after the visitor
clicks. Captions (WebVTT) are required for a hosted file and validated when they are uploaded.
"""

import json
import logging
import math
import re
import shutil
import subprocess
import tempfile
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

VIDEO_EXTENSIONS = ["mp4", "webm"]
DEFAULT_MAX_UPLOAD_MB = 200
FFPROBE_TIMEOUT_SECONDS = 30

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
PROVIDERS = {"youtube": "YouTube", "vimeo": "Vimeo"}


def parse_external_url(url):
    """(provider, video id) for a YouTube or Vimeo address we accept, else None.

    Only the plain watch addresses: anything else (playlists, channels, other hosts) would
    need a different embed and may load more than the one film the editor chose.
    """
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https"):
        return None
    if host in YOUTUBE_HOSTS and parts.path == "/watch":
        video_id = parse_qs(parts.query).get("v", [""])[0]
        return ("youtube", video_id) if YOUTUBE_ID.match(video_id) else None
    if host == "youtu.be":
        video_id = parts.path.strip("/")
        return ("youtube", video_id) if YOUTUBE_ID.match(video_id) else None
    if host in VIMEO_HOSTS:
        video_id = parts.path.strip("/")
        return ("vimeo", video_id) if VIMEO_ID.match(video_id) else None
    return None


def sniff_video_type(head):
    """'mp4' or 'webm' from a file's first bytes, None for anything else.

    The extension is the uploader's claim; the bytes are what the browser will get.
    """
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


def probe_duration(path):
    """Seconds of video in the file at `path` measured by ffprobe, or None when unknown.

    ffprobe is optional (not every server has it): without it, or when it fails or takes too
    long, the editor's own value stays. Returns 0 when the file has no picture at all.
    """
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    command = [
        ffprobe,
        *("-v", "error", "-print_format", "json", "-show_format", "-show_streams"),
        str(path),
    ]
    try:
        result = subprocess.run(  # noqa: S603 (a fixed program and a path we made)
            command, capture_output=True, timeout=FFPROBE_TIMEOUT_SECONDS, check=False
        )
        info = json.loads(result.stdout or b"{}")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        logger.warning("ffprobe could not measure %s", path, exc_info=True)
        return None
    if result.returncode != 0:
        return None
    if not any(s.get("codec_type") == "video" for s in info.get("streams", [])):
        return 0
    try:
        seconds = float(info.get("format", {}).get("duration", ""))
    except ValueError:
        return None
    return max(1, round(seconds)) if math.isfinite(seconds) else None


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
    def provider(self):
        """'youtube' or 'vimeo' for an external video we accept, else ''."""
        parsed = parse_external_url(self.external_url) if self.is_external else None
        return parsed[0] if parsed else ""

    @property
    def provider_name(self):
        return PROVIDERS.get(self.provider, "")

    def embed_url(self):
        """The player address at the privacy-enhanced domain, '' if there is none.

        youtube-nocookie.com sets no cookie until the film plays; Vimeo's dnt=1 asks it not to
        track the session. Only these two hosts are allowed as frames by our CSP.
        """
        parsed = parse_external_url(self.external_url) if self.is_external else None
        if parsed is None:
            return ""
        provider, video_id = parsed
        if provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return f"https://player.vimeo.com/video/{video_id}?dnt=1"

    def clean(self):
        """Refuse what would not play, or play without captions, with a message per field."""
        super().clean()
        has_file = bool(self.file)
        has_url = bool((self.external_url or "").strip())
        if has_file and has_url:
            raise ValidationError(
                {
                    "external_url": _(
                        "Kies één van de twee: een videobestand of een adres bij YouTube of "
                        "Vimeo. Maak dit veld leeg of haal het bestand weg."
                    )
                }
            )
        if not has_file and not has_url:
            raise ValidationError(
                _("Kies een videobestand, of vul een adres van de video bij YouTube of Vimeo in.")
            )
        if has_url:
            if parse_external_url(self.external_url) is None:
                raise ValidationError(
                    {
                        "external_url": _(
                            "Dit adres kunnen we niet gebruiken. Gebruik een adres zoals "
                            "https://www.youtube.com/watch?v=..., https://youtu.be/... of "
                            "https://vimeo.com/123456789."
                        )
                    }
                )
            return
        self._clean_file()
        self._clean_captions()

    def _clean_file(self):
        limit_mb = getattr(settings, "VIDEO_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)
        try:
            size = self.file.size
        except (OSError, ValueError):
            raise ValidationError(
                {"file": _("Het videobestand is niet te vinden. Kies het opnieuw.")}
            ) from None
        if size > limit_mb * 1024 * 1024:
            raise ValidationError(
                {
                    "file": gettext(
                        "Dit bestand is te groot (%(size)s MB). Het mag hoogstens %(limit)s MB "
                        "zijn. Maak de video korter of kleiner."
                    )
                    % {"size": math.ceil(size / (1024 * 1024)), "limit": limit_mb}
                }
            )
        extension = self.file.name.rsplit(".", 1)[-1].lower()
        if extension not in VIDEO_EXTENSIONS:
            return  # the field's own validator already says which kinds are allowed
        kind = sniff_video_type(self._read(self.file, 16))
        if kind is None or kind != extension:
            names = {"mp4": "MP4", "webm": "WebM"}
            raise ValidationError(
                {
                    "file": gettext(
                        "Dit bestand heet .%(extension)s, maar het is geen %(kind)s-video. "
                        "Kies een echt MP4- of WebM-bestand."
                    )
                    % {"extension": extension, "kind": names[extension]}
                }
            )
        if not self.file._committed or not self.duration_seconds:
            measured = self._measure_duration()
            if measured == 0:
                raise ValidationError(
                    {"file": _("In dit bestand zit geen beeld. Kies een videobestand.")}
                )
            if measured:
                self.duration_seconds = measured

    def _clean_captions(self):
        from verhalen.captions import CaptionError, read_vtt

        if not self.captions:
            raise ValidationError(
                {
                    "captions": _(
                        "Voeg ondertiteling toe (een .vtt-bestand). Zonder ondertiteling kunnen "
                        "doven en slechthorenden de video niet volgen."
                    )
                }
            )
        if not self.captions.name.lower().endswith(".vtt"):
            return  # the field's own validator already says so
        try:
            read_vtt(self._read(self.captions), self.duration_seconds)
        except CaptionError as error:
            raise ValidationError({"captions": error.messages}) from None

    @staticmethod
    def _read(field_file, size=-1):
        """Bytes of a stored or just-uploaded file, leaving it ready to be saved."""
        if field_file._committed:
            with field_file.open("rb") as stored:
                return stored.read(size)
        upload = field_file.file
        upload.seek(0)
        data = upload.read(size)
        upload.seek(0)
        return data

    def _measure_duration(self):
        upload = self.file.file if not self.file._committed else None
        if upload is not None and hasattr(upload, "temporary_file_path"):
            return probe_duration(upload.temporary_file_path())
        if upload is None:
            try:
                return probe_duration(self.file.path)  # local storage: no copy needed
            except NotImplementedError:  # remote storage (S3) has no path: a copy, below
                pass
        if shutil.which("ffprobe") is None:
            return None
        suffix = "." + self.file.name.rsplit(".", 1)[-1].lower()
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
            source = upload if upload is not None else self.file.open("rb")
            source.seek(0)
            shutil.copyfileobj(source, copy)
            source.seek(0)
            copy.flush()
            return probe_duration(copy.name)

    @property
    def mime_type(self):
        return "video/webm" if self.file.name.lower().endswith(".webm") else "video/mp4"

    @property
    def file_format(self):
        return "WebM" if self.mime_type == "video/webm" else "MP4"

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
                read_vtt(captions.read(), self.duration_seconds)
        except CaptionError as error:
            return error.message
        return None

    def captions_status(self):
        """How the captions stand, in a word for the editors' list of videos."""
        if self.is_external:
            return _("bij %(provider)s") % {"provider": self.provider_name or "YouTube/Vimeo"}
        return _("ja") if self.captions else _("nee, nog toevoegen")

    def duration_display(self):
        if not self.duration_seconds:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"
