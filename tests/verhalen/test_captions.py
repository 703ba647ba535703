"""WebVTT captions: what a browser would show, checked before a film may be published."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verhalen.captions import CaptionError, format_ms, parse_timestamp, read_vtt
from verhalen.factories import DEMO_MEDIA

GOOD = """WEBVTT

NOTE Ondertiteling bij een film van Sandra.

1
00:00:00.500 --> 00:00:03.000
Ik ben Sandra.

00:03.500 --> 00:06.000 align:center line:90%
Ik belde de gemeente.
Dat was een goede stap.
"""


def error_of(text, duration=None):
    with pytest.raises(CaptionError) as excinfo:
        read_vtt(text.encode("utf-8") if isinstance(text, str) else text, duration)
    return excinfo.value


def test_a_good_file_gives_its_cues_with_lines_and_milliseconds():
    captions = read_vtt(GOOD.encode("utf-8"))
    assert [(c.line, c.start_ms, c.end_ms) for c in captions.cues] == [
        (6, 500, 3000),
        (9, 3500, 6000),
    ]
    assert captions.cues[1].text == "Ik belde de gemeente.\nDat was een goede stap."
    assert captions.end_ms == 6000


def test_windows_line_ends_and_a_byte_order_mark_are_fine():
    data = ("\ufeff" + GOOD).replace("\n", "\r\n").encode("utf-8")
    assert len(read_vtt(data).cues) == 2


def test_the_demo_captions_are_valid_for_the_demo_film():
    captions = read_vtt((DEMO_MEDIA / "documentaire-karin.vtt").read_bytes(), 27)
    assert len(captions.cues) == 6
    assert captions.end_ms <= 27_000


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("WEBVTX\n\n00:01.000 --> 00:02.000\nHoi\n", 1, "begint met het woord WEBVTT"),
        ("Hallo\n", 1, "WEBVTT"),
        ("WEBVTT\n00:01.000 --> 00:02.000\nHoi\n", 2, "lege regel tussen WEBVTT"),
        ("WEBVTT\n\n00:01.000 --> 00:00.500\nHoi\n", 3, "eindigen na het begin"),
        ("WEBVTT\n\n00:01.000 --> 00:01.000\nHoi\n", 3, "eindigen na het begin"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n", 3, "geen tekst"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n   \n", 3, "geen tekst"),
        ("WEBVTT\n\n00:01.00 --> 00:02.000\nHoi\n", 3, "'00:01.00' klopt niet"),
        ("WEBVTT\n\n1:01.000 --> 1:02.000\nHoi\n", 3, "klopt niet"),
        ("WEBVTT\n\n00:61.000 --> 01:02.000\nHoi\n", 3, "klopt niet"),
        ("WEBVTT\n\n00:01,000 --> 00:02,000\nHoi\n", 3, "klopt niet"),
        ("WEBVTT\n\n00:01.000-->00:02.000\nHoi\n", 3, "spaties rond -->"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000 kleur:rood\nHoi\n", 3, "'kleur:rood'"),
        (
            "WEBVTT\n\nid\n00:01.000 --> 00:02.000\nHoi\n00:03.000 --> 00:04.000\nDoei\n",
            6,
            "lege regel tussen twee",
        ),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nHoi\n\nlos\n", 6, "tekst zonder tijden"),
        (
            "WEBVTT\n\n00:05.000 --> 00:06.000\nLater\n\n00:01.000 --> 00:02.000\nEerder\n",
            6,
            "vóór de vorige (00:00:05.000, regel 3)",
        ),
        (
            "WEBVTT\n\n00:01.000 --> 00:02.000\nHoi\n\nSTYLE\n::cue { color: red }\n",
            6,
            "STYLE hoort boven",
        ),
    ],
)
def test_mistakes_are_named_with_their_line(text, line, words):
    error = error_of(text)
    assert error.line == line
    assert error.message.startswith(f"Regel {line}: ")
    assert words in error.message


def test_a_file_without_any_cue_is_refused():
    error = error_of("WEBVTT\n\nNOTE alleen een opmerking\n")
    assert error.line is None
    assert "geen enkele ondertitel" in error.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "leeg"),
        (b"WEBVTT\n\n00:01.000 --> 00:02.000\nG\xe9\xe9n utf-8\n", "UTF-8"),
        (b"WEBVTT\x00\x00\x01binary", "geen tekstbestand"),
        (b"WEBVTT\n\n" + b"x" * (1024 * 1024), "te groot"),
    ],
)
def test_files_that_are_no_captions_at_all_are_refused_kindly(data, words):
    assert words in error_of(data).message


def test_captions_running_past_the_end_of_the_video_are_refused():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nHoi\n\n00:40.000 --> 00:45.000\nDoei\n"
    error = error_of(text, duration=30)
    assert error.line == 6
    assert "loopt tot 00:00:45.000" in error.message
    assert "duurt 00:00:30.000" in error.message
    # Durations are whole seconds: a cue ending a little after them still fits.
    assert read_vtt(text.encode(), 45)
    assert read_vtt(text.encode())  # length unknown: not checked


def test_a_header_with_text_after_webvtt_and_a_region_are_fine():
    text = (
        "WEBVTT - Sandra\nKind: captions\n\nREGION\nid:onder\n\n"
        "00:01.000 --> 00:02.000 region:onder\nHoi\n"
    )
    assert len(read_vtt(text.encode()).cues) == 1


# --- Property: whatever we write correctly is read back exactly, and webvtt-py agrees --------

cue_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
    min_size=1,
    max_size=40,
).filter(lambda value: value.strip() and "-->" not in value)


@st.composite
def cue_lists(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    start, cues = 0, []
    for _ in range(count):
        start += draw(st.integers(min_value=0, max_value=90_000))
        length = draw(st.integers(min_value=1, max_value=20_000))
        cues.append((start, start + length, draw(cue_text)))
    return cues


@settings(max_examples=60, deadline=None)
@given(cue_lists(), st.booleans())
def test_well_formed_captions_are_read_back_exactly(cues, short_form):
    def stamp(ms):
        written = format_ms(ms)
        return written[3:] if short_form and ms < 3_600_000 else written

    blocks = ["WEBVTT"] + [f"{stamp(a)} --> {stamp(b)}\n{text}" for a, b, text in cues]
    captions = read_vtt("\n\n".join(blocks).encode("utf-8"))
    assert [(c.start_ms, c.end_ms) for c in captions.cues] == [(a, b) for a, b, _t in cues]
    assert [c.text for c in captions.cues] == [text.strip() for _a, _b, text in cues]


@given(st.integers(min_value=0, max_value=99 * 3_600_000))
def test_timestamps_round_trip(ms):
    assert parse_timestamp(format_ms(ms)) == ms
