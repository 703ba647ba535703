"""Numbered steps carry a pictogram: chosen by the editor, or one that fits the step's words."""

import re

from doorvertellen.blocks import PICTOGRAMS, StepsBlock

SVG_RE = re.compile(r'<svg class="pictogram" aria-hidden="true" focusable="false"')


def render(*steps):
    block = StepsBlock()
    value = block.to_python({"heading": "Zo gaat het", "steps": list(steps)})
    return block.render(value), value


def test_every_step_has_a_hidden_pictogram_beside_its_number_and_words():
    html, _ = render(
        {"title": "Je vult dit formulier in", "text": "Twee minuten."},
        {"title": "We bellen je", "text": ""},
    )
    assert len(SVG_RE.findall(html)) == 2
    assert html.index("pictogram") < html.index("Je vult dit formulier in")
    assert "<ol" in html  # the number is the list's own, read by screen readers


def test_the_editors_choice_wins():
    _, value = render({"title": "We bellen je", "text": "", "pictogram": "home"})
    assert value["steps"][0].pictogram_name(0) == "home"


def test_without_a_choice_the_words_decide_then_the_position():
    _, value = render(
        {"title": "Je meldt je aan", "text": ""},
        {"title": "We bellen je", "text": ""},
        {"title": "Een eerste gesprek", "text": ""},
        {"title": "Samen overzicht maken", "text": ""},
        {"title": "We maken een afspraak", "text": ""},
        {"title": "Iets heel anders", "text": ""},
    )
    names = [step.pictogram_name(position) for position, step in enumerate(value["steps"])]
    assert names[:5] == ["form", "phone", "talk", "papers", "calendar"]
    assert names[5] == PICTOGRAMS[5][0]


def test_an_unknown_stored_choice_falls_back_to_a_pictogram():
    html, _ = render({"title": "Iets", "text": "", "pictogram": "bestaat-niet"})
    assert len(SVG_RE.findall(html)) == 1
