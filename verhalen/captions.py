"""Reading and checking WebVTT captions before a video may be published."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class CaptionError(ValidationError):
    pass


def read_vtt(data: bytes):
    """Parse WebVTT; raise CaptionError with a message an editor understands."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaptionError(_("De ondertiteling is geen UTF-8-tekst.")) from exc
    if not text.startswith("WEBVTT"):
        raise CaptionError(_("Een ondertitelbestand begint met de regel WEBVTT."))
    if "-->" not in text:
        raise CaptionError(_("Er staat geen enkele ondertitel in het bestand."))
    return text
