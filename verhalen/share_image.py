"""The picture a social network shows with a shared story: the quote and the teller's name.

Drawn with Pillow on the site's own colours (read from the custom properties in
static/css/site.css, so the picture follows the site when its colours change). The font is the
one bundled with Pillow (`ImageFont.load_default`), so no system font and no download is
needed. That font only has ASCII and a few quotation marks; accented letters, which Dutch needs
("één", "financiële", "Zoë"), are drawn as their base letter with the accent added as a small
shape, so the picture never shows an empty box instead of a letter.
"""

import re
import unicodedata
from functools import lru_cache
from io import BytesIO

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 90
BAND_HEIGHT = 96
QUOTE_SIZES = (64, 58, 52, 46, 40, 36)
MAX_QUOTE_LINES = 5
NAME_SIZE = 44
SERVICE_SIZE = 32
# Bump when the layout changes, so cached pictures are drawn again.
LAYOUT_VERSION = "1"

COLOUR_PROPERTIES = {
    "background": "--colour-bg",
    "text": "--colour-text",
    "primary": "--colour-primary",
    "accent": "--colour-accent",
}

# Combining marks the bundled font lacks, drawn by hand above (or below) the base letter.
ACUTE, GRAVE, CIRCUMFLEX, TILDE, DIAERESIS, RING, CEDILLA = (
    "\u0301",
    "\u0300",
    "\u0302",
    "\u0303",
    "\u0308",
    "\u030a",
    "\u0327",
)
DRAWN_MARKS = {ACUTE, GRAVE, CIRCUMFLEX, TILDE, DIAERESIS, RING, CEDILLA}
# Letters without a decomposition, written the way a reader expects without the accent.
SUBSTITUTES = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "\u0131": "i",
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "\u2019",
    "\u00a0": " ",
    "\u20ac": "EUR",
}


@lru_cache(maxsize=1)
def site_colours():
    """The site's colours as RGB tuples, from the custom properties of site.css."""
    path = finders.find("css/site.css")
    if not path:
        raise ImproperlyConfigured("static/css/site.css is needed for the share image colours.")
    with open(path, encoding="utf-8") as css:
        text = css.read()
    colours = {}
    for key, prop in COLOUR_PROPERTIES.items():
        match = re.search(rf"{re.escape(prop)}\s*:\s*#([0-9a-fA-F]{{6}})\s*;", text)
        if not match:
            raise ImproperlyConfigured(f"site.css has no colour {prop}: the share image needs it.")
        value = match.group(1)
        colours[key] = tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))
    return colours


@lru_cache(maxsize=8)
def font(size):
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=1)
def _missing_glyph():
    return bytes(font(40).getmask("\uffff"))


@lru_cache(maxsize=512)
def has_glyph(char):
    """Whether the bundled font draws `char` (a missing one comes out as the same box)."""
    return bytes(font(40).getmask(char)) != _missing_glyph()


def letters(text):
    """`text` as (base letter, marks to draw) pairs that the bundled font can show."""
    result = []
    for char in unicodedata.normalize("NFC", text):
        if char.isspace():
            result.append((" ", ""))
            continue
        if has_glyph(char):
            result.append((char, ""))
            continue
        if char in SUBSTITUTES:
            result.extend((sub, "") for sub in SUBSTITUTES[char] if has_glyph(sub))
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if base != char and has_glyph(base):
            result.append((base, "".join(mark for mark in marks if mark in DRAWN_MARKS)))
        # Anything else the font cannot draw is left out rather than shown as a box.
    return result


def wrap(pairs, face, width):
    """Break the letters into lines no wider than `width`, at spaces where possible."""
    words, current = [], []
    for pair in pairs:
        if pair[0] == " ":
            if current:
                words.append(current)
            current = []
        else:
            current.append(pair)
    if current:
        words.append(current)

    def measure(line):
        return face.getlength("".join(base for base, _marks in line))

    lines, line = [], []
    for word in words:
        candidate = [*line, (" ", ""), *word] if line else list(word)
        if measure(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        # A word longer than the line is cut where it must be.
        line = []
        for pair in word:
            if line and measure([*line, pair]) > width:
                lines.append(line)
                line = []
            line.append(pair)
    if line:
        lines.append(line)
    return lines


def draw_marks(draw, face, x, y, base, marks, colour, background):
    """Draw accents the font lacks above (or, a cedilla, below) a letter drawn at x, y."""
    if not marks:
        return
    size = face.size
    left, top, right, bottom = face.getbbox(base)
    centre = x + (left + right) / 2
    x_top = face.getbbox("x")[1]
    if base in "ij":
        # Cover the dot of i and j: the accent takes its place.
        draw.rectangle((x + left - 1, y + top - 1, x + right + 1, y + x_top - 2), fill=background)
        top = x_top
    line = max(2, round(size * 0.07))
    gap = size * 0.08
    peak = y + top - gap
    for mark in marks:
        if mark == ACUTE:
            draw.line(
                (centre - size * 0.05, peak, centre + size * 0.08, peak - size * 0.14),
                fill=colour,
                width=line,
            )
        elif mark == GRAVE:
            draw.line(
                (centre + size * 0.05, peak, centre - size * 0.08, peak - size * 0.14),
                fill=colour,
                width=line,
            )
        elif mark == CIRCUMFLEX:
            draw.line(
                (
                    centre - size * 0.09,
                    peak,
                    centre,
                    peak - size * 0.12,
                    centre + size * 0.09,
                    peak,
                ),
                fill=colour,
                width=line,
                joint="curve",
            )
        elif mark == TILDE:
            draw.line(
                (
                    centre - size * 0.1,
                    peak - size * 0.02,
                    centre - size * 0.04,
                    peak - size * 0.08,
                    centre + size * 0.04,
                    peak - size * 0.02,
                    centre + size * 0.1,
                    peak - size * 0.08,
                ),
                fill=colour,
                width=line,
                joint="curve",
            )
        elif mark == DIAERESIS:
            radius = size * 0.05
            for dx in (-size * 0.11, size * 0.11):
                draw.ellipse(
                    (
                        centre + dx - radius,
                        peak - 2 * radius,
                        centre + dx + radius,
                        peak,
                    ),
                    fill=colour,
                )
        elif mark == RING:
            radius = size * 0.07
            draw.ellipse(
                (centre - radius, peak - 2 * radius, centre + radius, peak),
                outline=colour,
                width=line,
            )
        elif mark == CEDILLA:
            foot = y + bottom + size * 0.02
            draw.line(
                (
                    centre,
                    foot,
                    centre + size * 0.05,
                    foot + size * 0.1,
                    centre - size * 0.05,
                    foot + size * 0.16,
                ),
                fill=colour,
                width=line,
            )


def draw_line(draw, face, x, y, pairs, colour, background, stroke=0):
    text = "".join(base for base, _marks in pairs)
    draw.text((x, y), text, font=face, fill=colour, stroke_width=stroke, stroke_fill=colour)
    for index, (base, marks) in enumerate(pairs):
        if marks:
            offset = face.getlength(text[:index])
            draw_marks(draw, face, x + offset, y, base, marks, colour, background)


def quote_lines(quote, width):
    """The biggest size at which the quote fits; cut with an ellipsis if it never does."""
    pairs = [("\u201c", ""), *letters(quote.strip()), ("\u201d", "")]
    for size in QUOTE_SIZES:
        face = font(size)
        lines = wrap(pairs, face, width)
        if len(lines) <= MAX_QUOTE_LINES:
            return face, lines
    lines = lines[:MAX_QUOTE_LINES]
    last = lines[-1]
    while last and face.getlength("".join(b for b, _m in last) + "\u2026\u201d") > width:
        last = last[:-1]
    while last and last[-1][0] in " ,.;:-":
        last = last[:-1]
    lines[-1] = [*last, ("\u2026", ""), ("\u201d", "")]
    return face, lines


def render(quote, name, service_name=""):
    """The share picture as PNG bytes (1200 x 630, the size the big networks expect)."""
    colours = site_colours()
    image = Image.new("RGB", (WIDTH, HEIGHT), colours["background"])
    draw = ImageDraw.Draw(image)
    # A warm accent bar on the left, the service's colour along the bottom.
    draw.rectangle((0, 0, 24, HEIGHT - BAND_HEIGHT), fill=colours["accent"])
    draw.rectangle((0, HEIGHT - BAND_HEIGHT, WIDTH, HEIGHT), fill=colours["primary"])

    text_width = WIDTH - 2 * MARGIN
    face, lines = quote_lines(quote, text_width)
    line_height = round(face.size * 1.3)
    name_face = font(NAME_SIZE)
    block = len(lines) * line_height + round(NAME_SIZE * 1.9)
    y = max(60, (HEIGHT - BAND_HEIGHT - block) // 2)
    for line in lines:
        draw_line(draw, face, MARGIN, y, line, colours["text"], colours["background"])
        y += line_height

    name_pairs = letters(name.strip())
    if name_pairs:
        y += round(NAME_SIZE * 0.6)
        bar_y = y + NAME_SIZE // 2
        draw.rectangle((MARGIN, bar_y - 3, MARGIN + 40, bar_y + 3), fill=colours["primary"])
        draw_line(
            draw,
            name_face,
            MARGIN + 56,
            y,
            name_pairs,
            colours["primary"],
            colours["background"],
            stroke=1,
        )

    service_pairs = letters(service_name.strip())
    if service_pairs:
        service_face = font(SERVICE_SIZE)
        service_y = HEIGHT - BAND_HEIGHT + (BAND_HEIGHT - SERVICE_SIZE) // 2 - 4
        draw_line(
            draw,
            service_face,
            MARGIN,
            service_y,
            wrap(service_pairs, service_face, text_width)[0],
            (255, 255, 255),
            colours["primary"],
        )

    output = BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
