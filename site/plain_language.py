"""A Dutch plain-language check, computed locally: no text ever leaves the server.

Residents of a debt-help service are often stressed and many read poorly, so every text they
read should be at B1 level. This module holds only the rules (no Django, no database), so the
editor's panel, the live check, the report and the publish confirmation all judge a text the
same way, and the rules can be tested against values worked out by hand.

The score is Flesch-Douma, the Dutch adaptation of Flesch Reading Ease:

    206.835 - 0.93 * (words / sentences) - 77 * (syllables / words)

Higher is easier. The levels below follow the usual reading of Flesch-Douma scores in Dutch
plain-language practice; B1 is reached from 60. A sentence of more than 15 words or a word of
more than 4 syllables (or 13 letters) is hard to read at B1, so those are pointed out even when
the score as a whole is fine.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

LONG_SENTENCE_WORDS = 15
LONG_WORD_SYLLABLES = 4
LONG_WORD_LETTERS = 13
B1_MINIMUM_SCORE = 60.0
WORST_SENTENCES = 3
MIN_WORDS_TO_SCORE = 5

# Lowest score of each level, easiest first. Scores under the last one are C2.
LEVELS = [("A1", 80.0), ("A2", 70.0), ("B1", B1_MINIMUM_SCORE), ("B2", 50.0), ("C1", 30.0)]

VOWELS = "aeiouyáàâäéèêëíìîïóòôöúùûü"
# Letter groups that sound as one vowel. Longest first: "aai" must win over "aa".
VOWEL_GROUPS = sorted(
    [
        *["aai", "ooi", "oei", "eeu", "ieu", "aa", "ee", "oo", "uu", "ie", "oe", "eu", "ui"],
        *["ij", "ou", "au", "ei", "ai", "oy", "ey"],
    ],
    key=len,
    reverse=True,
)

DIAERESIS = {"ä": "a", "ë": "e", "ï": "i", "ö": "o", "ü": "u"}

WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = {"bijv", "bv", "o.a", "d.w.z", "m.a.w", "enz", "etc", "ca", "nr", "tel", "mr"}
SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)]*\s+|\n+")


def count_syllables(word):
    """Syllables in one Dutch word: one per vowel sound, at least one per word.

    A run of vowels is split into the groups that sound as one ("aa", "ie", "oe", "eu", "ui",
    "ij", "ou", "au", ...); what is left over counts per letter, so "ideeën" has three
    (i-dee-ën) and "situatie" four (si-tu-a-tie). A diaeresis always starts a new syllable.
    """
    text = word.lower()
    count = 0
    position = 0
    while position < len(text):
        char = text[position]
        if char not in VOWELS and not text.startswith("ij", position):
            position += 1
            continue
        if char in DIAERESIS:
            # The diaeresis only says a new syllable starts here: "geëist" is ge-eist.
            text = text[:position] + DIAERESIS[char] + text[position + 1 :]
        group = next((g for g in VOWEL_GROUPS if text.startswith(g, position)), "")
        count += 1
        position += max(len(group), 1)
    return max(count, 1)


def words_in(text):
    return WORD.findall(text)


def split_sentences(text):
    """The sentences of a plain text. A line break also ends one: headings and list items
    have no full stop, but are read as a unit of their own."""
    pieces = []
    for part in SENTENCE_END.split(text):
        part = part.strip()
        if not part:
            continue
        if pieces and _ends_with_abbreviation(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {part}"
        else:
            pieces.append(part)
    return [piece for piece in pieces if words_in(piece)]


def _ends_with_abbreviation(sentence):
    if not sentence.endswith("."):
        return False
    last = sentence.rsplit(None, 1)[-1].rstrip(".").lower()
    return last in ABBREVIATIONS


def flesch_douma(words, sentences, syllables):
    if not words or not sentences:
        return None
    return 206.835 - 0.93 * (words / sentences) - 77 * (syllables / words)


def level_for(score):
    if score is None:
        return ""
    for name, minimum in LEVELS:
        if score >= minimum:
            return name
    return "C2"


def is_long_word(word):
    letters = sum(1 for char in word if char.isalpha())
    return letters > LONG_WORD_LETTERS or count_syllables(word) > LONG_WORD_SYLLABLES


@dataclass
class Sentence:
    text: str
    words: int
    syllables: int
    source: str = ""

    @property
    def score(self):
        return flesch_douma(self.words, 1, self.syllables)

    @property
    def is_long(self):
        return self.words > LONG_SENTENCE_WORDS


@dataclass
class JargonTerm:
    term: str
    alternative: str
    explanation: str = ""

    def pattern(self):
        # The word itself and its usual endings (schuldeisers, deurwaarders, beslagleggingen).
        words = [re.escape(part) for part in self.term.split()]
        return re.compile(
            r"(?<![^\W\d_])" + r"\s+".join(words) + r"(?:s|en|n|'s)?(?![^\W\d_])",
            re.IGNORECASE,
        )


@dataclass
class JargonHit:
    term: JargonTerm
    found: str
    source: str
    explained: bool


@dataclass
class Report:
    sentences: list = field(default_factory=list)
    syllables: int = 0
    long_words: list = field(default_factory=list)
    jargon: list = field(default_factory=list)

    @property
    def word_count(self):
        return sum(sentence.words for sentence in self.sentences)

    @property
    def sentence_count(self):
        return len(self.sentences)

    @property
    def score(self):
        return flesch_douma(self.word_count, self.sentence_count, self.syllables)

    @property
    def rounded_score(self):
        return None if self.score is None else round(self.score)

    @property
    def level(self):
        return level_for(self.score)

    @property
    def above_b1(self):
        """Harder than B1: the text as a whole scores below the B1 minimum."""
        return self.score is not None and self.score < B1_MINIMUM_SCORE

    @property
    def long_sentences(self):
        return [sentence for sentence in self.sentences if sentence.is_long]

    @property
    def worst_sentences(self):
        """The hardest sentences: long ones first, the lowest score among them first.

        A score of a sentence of a few words says little (one long word in a heading sinks it),
        so a short sentence only counts here when it is long in words.
        """
        hard = [
            s
            for s in self.sentences
            if s.is_long or (s.words >= MIN_WORDS_TO_SCORE and s.score < B1_MINIMUM_SCORE)
        ]
        hard.sort(key=lambda s: (not s.is_long, s.score))
        return hard[:WORST_SENTENCES]

    @property
    def unexplained_jargon(self):
        return [hit for hit in self.jargon if not hit.explained]

    @property
    def has_problems(self):
        return bool(self.above_b1 or self.long_sentences or self.long_words or self.jargon)


def check(texts, jargon=()):
    """Judge the texts a resident reads on one page.

    `texts` is a list of (source, plain text) pairs, where source names the field (for the
    editor: where to look). `jargon` is a list of JargonTerm. A jargon word counts as
    explained when its plain alternative is in the same text too.
    """
    report = Report()
    long_words = {}
    for source, text in texts:
        for sentence_text in split_sentences(text):
            words = words_in(sentence_text)
            syllables = sum(count_syllables(word) for word in words)
            report.sentences.append(Sentence(sentence_text, len(words), syllables, source))
            report.syllables += syllables
            for word in words:
                if is_long_word(word):
                    long_words.setdefault(word.lower(), word)
        for term in jargon:
            for match in term.pattern().finditer(text):
                explained = term.alternative.lower() in text.lower()
                report.jargon.append(JargonHit(term, match.group(0), source, explained))
    report.long_words = sorted(long_words.values(), key=str.lower)
    return report


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "div", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html):
    """Plain text of rich text, with a line break at each paragraph, list item and heading."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
