"""Reading and checking WebVTT captions before a video may be published.

Captions are how deaf and hard-of-hearing residents follow a mini-documentary, so a file the
browser cannot read, or reads wrongly, must be stopped at upload with a message the editor can
act on: what is wrong, and on which line. Browsers drop broken cues silently, so "it plays" is
no proof that the captions show.

The file is checked line by line here (for the line numbers and Dutch messages), then read
once more by webvtt-py, a standard WebVTT parser, as a second opinion: what it cannot read the
same way is refused too.
"""

import re
from dataclasses import dataclass

import webvtt
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from webvtt.errors import MalformedCaptionError, MalformedFileError

# A captions file of a short documentary is a few kilobytes; this is far above any real one.
MAX_CAPTIONS_BYTES = 1024 * 1024
# Video durations are whole seconds (rounded by ffprobe, or typed by an editor).
DURATION_TOLERANCE_MS = 1000

TIMINGS = re.compile(r"^(?P<start>\S+)[ \t]+-->[ \t]+(?P<end>\S+)(?:[ \t]+(?P<settings>.*))?$")
TIMESTAMP = re.compile(r"^(?:(?P<h>\d{2,}):)?(?P<m>[0-5]\d):(?P<s>[0-5]\d)\.(?P<ms>\d{3})$")
CUE_SETTINGS = {"vertical", "line", "position", "size", "align", "region"}
EXAMPLE = "00:00:01.000 --> 00:00:04.000"


class CaptionError(ValidationError):
    """A problem in a captions file, with the line it is on (None: the file as a whole)."""

    def __init__(self, message, line=None):
        if line is not None:
            message = _("Regel %(line)s: %(message)s") % {"line": line, "message": message}
        super().__init__(message, code="invalid_captions")
        self.line = line


@dataclass(frozen=True)
class Cue:
    line: int  # the line of its timings, counted from 1 as in a text editor
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Captions:
    text: str
    cues: tuple

    @property
    def end_ms(self):
        return max(cue.end_ms for cue in self.cues)


def format_ms(ms):
    """00:01:05.250, the way the captions file writes a time."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def parse_timestamp(value):
    """Milliseconds from hh:mm:ss.ttt or mm:ss.ttt; None if it is not written like that."""
    match = TIMESTAMP.match(value)
    if not match:
        return None
    hours = int(match["h"] or 0)
    return ((hours * 60 + int(match["m"])) * 60 + int(match["s"])) * 1000 + int(match["ms"])


def read_vtt(data, duration_seconds=None):
    """Parse WebVTT and check it; raise CaptionError with a message an editor understands.

    `duration_seconds`, when known, is the video's length: captions running past the end are
    usually made for another cut of the film.
    """
    text = _decode(data)
    lines = text.split("\n")
    if not lines[0].startswith("WEBVTT") or lines[0][6:7] not in ("", " ", "\t"):
        raise CaptionError(_("een ondertitelbestand begint met het woord WEBVTT."), line=1)

    cues = []
    seen_cue = False
    for first_line, block in _blocks(lines):
        if first_line == 1:
            _check_header(block)
            continue
        cue = _read_block(first_line, block, seen_cue, cues[-1] if cues else None)
        if cue is not None:
            cues.append(cue)
            seen_cue = True

    if not cues:
        raise CaptionError(_("Er staat geen enkele ondertitel in het bestand."))
    captions = Captions(text=text, cues=tuple(cues))
    _check_duration(captions, duration_seconds)
    _second_opinion(captions)
    return captions


def _decode(data):
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        if len(data) > MAX_CAPTIONS_BYTES:
            raise CaptionError(_("Het bestand is te groot voor ondertiteling (meer dan 1 MB)."))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CaptionError(
                _("De ondertiteling is geen UTF-8-tekst. Sla het bestand op als UTF-8.")
            ) from exc
    if not text.strip():
        raise CaptionError(_("Het ondertitelbestand is leeg."))
    if "\0" in text:
        raise CaptionError(_("Dit is geen tekstbestand. Kies het .vtt-bestand met de ondertitels."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _blocks(lines):
    """(number of the first line, lines) for each block; blocks are split by empty lines."""
    block, start = [], None
    for number, line in enumerate(lines, start=1):
        if line == "":
            if block:
                yield start, block
            block, start = [], None
            continue
        if start is None:
            start = number
        block.append(line)
    if block:
        yield start, block


def _check_header(block):
    for offset, line in enumerate(block[1:], start=2):
        if "-->" in line:
            raise CaptionError(
                _("zet een lege regel tussen WEBVTT en de eerste ondertitel."), line=offset
            )


def _read_block(first_line, block, seen_cue, previous):
    """One block: a cue (returned), or a note, style or region (None)."""
    head = block[0]
    if "-->" not in head and (len(block) == 1 or "-->" not in block[1]):
        keyword = head.split(None, 1)[0] if head.strip() else ""
        if keyword == "NOTE" and (head == "NOTE" or head[4] in " \t"):
            return None
        if keyword in ("STYLE", "REGION") and head == keyword:
            if seen_cue:
                raise CaptionError(
                    _("%(keyword)s hoort boven de eerste ondertitel te staan.")
                    % {"keyword": keyword},
                    line=first_line,
                )
            return None
        raise CaptionError(
            _(
                "hier staat tekst zonder tijden. Elke ondertitel begint met een regel als "
                "%(example)s. Staat er misschien een lege regel midden in een ondertitel?"
            )
            % {"example": EXAMPLE},
            line=first_line,
        )

    timing_index = 0 if "-->" in head else 1
    timing_line = first_line + timing_index
    start_ms, end_ms = _read_timings(block[timing_index], timing_line)
    payload = block[timing_index + 1 :]
    for offset, line in enumerate(payload, start=timing_line + 1):
        if "-->" in line:
            raise CaptionError(
                _("zet een lege regel tussen twee ondertitels (boven deze regel)."), line=offset
            )
    if not any(line.strip() for line in payload):
        raise CaptionError(
            _("deze ondertitel heeft geen tekst. Zet de tekst op de regel onder de tijden."),
            line=timing_line,
        )
    if start_ms >= end_ms:
        raise CaptionError(
            _("de ondertitel moet eindigen na het begin. Nu: van %(start)s tot %(end)s.")
            % {"start": format_ms(start_ms), "end": format_ms(end_ms)},
            line=timing_line,
        )
    if previous is not None and start_ms < previous.start_ms:
        raise CaptionError(
            _(
                "deze ondertitel begint (%(start)s) vóór de vorige (%(previous)s, regel "
                "%(previous_line)s). Zet de ondertitels op volgorde van tijd."
            )
            % {
                "start": format_ms(start_ms),
                "previous": format_ms(previous.start_ms),
                "previous_line": previous.line,
            },
            line=timing_line,
        )
    return Cue(line=timing_line, start_ms=start_ms, end_ms=end_ms, text="\n".join(payload).strip())


def _read_timings(line, number):
    match = TIMINGS.match(line.strip())
    if not match:
        raise CaptionError(
            _("de tijden staan er niet goed. Schrijf ze zo: %(example)s (met spaties rond -->).")
            % {"example": EXAMPLE},
            line=number,
        )
    values = []
    for part in (match["start"], match["end"]):
        ms = parse_timestamp(part)
        if ms is None:
            raise CaptionError(
                _(
                    "de tijd '%(value)s' klopt niet. Schrijf uren:minuten:seconden.milliseconden, "
                    "zoals 00:01:05.250 (of zonder uren: 01:05.250)."
                )
                % {"value": part},
                line=number,
            )
        values.append(ms)
    for setting in (match["settings"] or "").split():
        name, colon, value = setting.partition(":")
        if name not in CUE_SETTINGS or not colon or not value:
            raise CaptionError(
                _(
                    "achter de tijden staat '%(setting)s'. Dat is geen instelling die een "
                    "browser kent. Haal het weg."
                )
                % {"setting": setting},
                line=number,
            )
    return values


def _check_duration(captions, duration_seconds):
    if not duration_seconds:
        return
    last = max(captions.cues, key=lambda cue: cue.end_ms)
    if last.end_ms > duration_seconds * 1000 + DURATION_TOLERANCE_MS:
        raise CaptionError(
            _(
                "deze ondertitel loopt tot %(end)s, maar de video duurt %(duration)s. "
                "Hoort de ondertiteling bij een andere versie van de video?"
            )
            % {"end": format_ms(last.end_ms), "duration": format_ms(duration_seconds * 1000)},
            line=last.line,
        )


def _second_opinion(captions):
    """Read the file with webvtt-py too: it must find the same cues at the same times."""
    unreadable = CaptionError(
        _(
            "Een standaardprogramma voor ondertiteling kan dit bestand niet goed lezen. "
            "Controleer de tijden en de lege regels tussen de ondertitels."
        )
    )
    try:
        parsed = webvtt.from_string(captions.text, strict=True)
    except (MalformedCaptionError, MalformedFileError, ValueError) as exc:
        raise unreadable from exc
    theirs = [(c.start_time.in_milliseconds(), c.end_time.in_milliseconds()) for c in parsed]
    ours = [(cue.start_ms, cue.end_ms) for cue in captions.cues]
    if theirs != ours:
        raise unreadable
