"""The Dutch plain-language rules, against values worked out by hand.

Flesch-Douma: 206.835 - 0.93 * (words / sentences) - 77 * (syllables / words); B1 from 60.
"""

import pytest

from doorvertellen.plain_language import (
    JargonTerm,
    check,
    count_syllables,
    html_to_text,
    is_long_word,
    level_for,
    split_sentences,
)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("de", 1),
        ("huis", 1),  # ui
        ("huur", 1),  # uu
        ("maand", 1),  # aa
        ("brief", 1),  # ie
        ("goed", 1),  # oe
        ("geld", 1),
        ("neus", 1),  # eu
        ("blij", 1),  # ij
        ("vrouw", 1),  # ou
        ("blauw", 1),  # au
        ("mooi", 1),  # ooi
        ("nieuw", 1),  # ieu
        ("schulden", 2),
        ("moeilijk", 2),  # moei-lijk
        ("deurwaarder", 3),  # deur-waar-der
        ("beslaglegging", 4),  # be-slag-leg-ging
        ("situatie", 4),  # si-tu-a-tie: u and a are two sounds
        ("ideeën", 3),  # i-dee-en: the diaeresis starts a syllable
        ("geëist", 2),  # ge-eist
        ("financiële", 5),  # fi-nan-ci-e-le
        ("schuldhulpverlening", 5),
        ("moratorium", 5),  # mo-ra-to-ri-um
        ("WSNP", 1),  # no vowel: still one syllable
    ],
)
def test_syllables(word, syllables):
    assert count_syllables(word) == syllables


def test_long_words():
    assert is_long_word("schuldhulpverlening")  # 19 letters
    assert is_long_word("gemeentelijke")  # 13 letters, but 5 syllables
    assert is_long_word("problematische")  # 14 letters
    assert not is_long_word("organiseert")  # 11 letters, 4 syllables
    assert not is_long_word("deurwaarder")


def test_easy_text_scores_by_hand():
    report = check([("Tekst", "Ik heb schulden. Dat is moeilijk.")])
    # Ik(1) heb(1) schulden(2) / Dat(1) is(1) moeilijk(2): 6 words, 2 sentences, 8 syllables.
    assert (report.word_count, report.sentence_count, report.syllables) == (6, 2, 8)
    assert report.score == pytest.approx(206.835 - 0.93 * 3 - 77 * 8 / 6)  # 101.38
    assert report.rounded_score == 101
    assert report.level == "A1"
    assert not report.above_b1
    assert report.long_sentences == []
    assert report.long_words == []
    assert not report.has_problems


HARD = (
    "De schuldhulpverlening organiseert een saneringskrediet bij de gemeentelijke "
    "kredietbank voor inwoners met problematische schulden en een beperkte "
    "aflossingscapaciteit."
)


def test_bureaucratic_sentence_scores_by_hand():
    report = check([("Inleiding", HARD)])
    # 18 words; syllables 1+5+4+1+5+1+1+5+3+1+3+1+5+2+1+1+3+7 = 50.
    assert (report.word_count, report.sentence_count, report.syllables) == (18, 1, 50)
    assert report.score == pytest.approx(206.835 - 0.93 * 18 - 77 * 50 / 18)  # -23.79
    assert report.level == "C2"
    assert report.above_b1
    [sentence] = report.long_sentences
    assert sentence.words == 18
    assert sentence.source == "Inleiding"
    assert report.worst_sentences == [sentence]
    assert report.long_words == [
        "aflossingscapaciteit",
        "gemeentelijke",
        "problematische",
        "saneringskrediet",
        "schuldhulpverlening",
    ]


def test_fifteen_words_is_not_long_sixteen_is():
    fifteen = " ".join(["hoi"] * 15) + "."
    assert check([("t", fifteen)]).long_sentences == []
    assert len(check([("t", "hoi " + fifteen)]).long_sentences) == 1


@pytest.mark.parametrize(
    ("score", "level"),
    [(80, "A1"), (79.9, "A2"), (70, "A2"), (60, "B1"), (59.9, "B2"), (30, "C1"), (29.9, "C2")],
)
def test_levels(score, level):
    assert level_for(score) == level


def test_b1_boundary_decides_above_b1():
    # One sentence of 10 words of one syllable: 206.835 - 9.3 - 77 = 120.5, easy.
    assert not check([("t", "Ik bel je op als ik tijd heb voor je.")]).above_b1


def test_sentences_end_at_stops_and_line_breaks_not_at_abbreviations():
    assert split_sentences("Bel ons, bijv. morgen. Of kom langs! Goed?") == [
        "Bel ons, bijv. morgen.",
        "Of kom langs!",
        "Goed?",
    ]
    assert split_sentences("Zo gaat het verder\nJe meldt je aan") == [
        "Zo gaat het verder",
        "Je meldt je aan",
    ]
    assert split_sentences("Je betaalt 1.500 euro. Dat is veel.") == [
        "Je betaalt 1.500 euro.",
        "Dat is veel.",
    ]


def test_no_text_has_no_score():
    report = check([("Tekst", "   ")])
    assert report.score is None
    assert report.level == ""
    assert not report.above_b1


DEURWAARDER = JargonTerm("deurwaarder", "iemand die geld komt ophalen", "Mag beslag leggen.")
VOET = JargonTerm("beslagvrije voet", "geld dat je altijd overhoudt om van te leven")


def test_jargon_without_its_alternative():
    report = check([("Het verhaal", "Toen stond de Deurwaarders voor de deur.")], [DEURWAARDER])
    [hit] = report.jargon
    assert hit.found == "Deurwaarders"  # any case, with the plural ending
    assert hit.source == "Het verhaal"
    assert not hit.explained
    assert report.unexplained_jargon == [hit]
    assert report.has_problems


def test_jargon_with_its_alternative_in_the_same_text():
    text = "Er kwam een deurwaarder. Dat is iemand die geld komt ophalen."
    [hit] = check([("t", text)], [DEURWAARDER]).jargon
    assert hit.explained


def test_jargon_of_two_words_and_only_whole_words():
    report = check(
        [("t", "Je houdt de beslagvrije\nvoet. Deurwaarderskosten zijn hoog.")],
        [DEURWAARDER, VOET],
    )
    assert [hit.term.term for hit in report.jargon] == ["beslagvrije voet"]


def test_html_to_text_keeps_blocks_apart():
    html = '<p>Een <b>zin</b>.</p><ul><li>Twee</li><li><a href="/x">Drie</a></li></ul>'
    assert html_to_text(html) == "Een zin.\nTwee\nDrie"
    assert split_sentences(html_to_text(html)) == ["Een zin.", "Twee", "Drie"]


def test_worst_sentences_long_first_and_never_a_short_heading():
    long_easy = "Ik bel je op en dan praten we over wat je wilt en wat je kunt doen vandaag."
    report = check(
        [
            (
                "t",
                f"Schuldhulpverlening\n{HARD}\nEen organisatie adviseert problematische gevallen.\n{long_easy}",
            )
        ]
    )
    worst = [sentence.text for sentence in report.worst_sentences]
    assert worst == [HARD, long_easy, "Een organisatie adviseert problematische gevallen."]
