"""The interface catalogues (locale/<code>): complete, faithful to their placeholders, and
compiled, so that every language shows every interface text and none breaks a sentence."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_0-9]*\}|</?[a-z]+[^>]*>")


def catalogue(code):
    return polib.pofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_interface_text_is_translated(code):
    po = catalogue(code)
    assert len(po) > 1000
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[:3]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, first: {fuzzy[:3]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_every_placeholder_and_tag(code):
    problems = []
    for entry in catalogue(code).translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            found = sorted(PLACEHOLDER.findall(form))
            # A plural form may leave the number out ("one story"), never add or break one.
            if found != wanted and not set(found) < set(wanted):
                problems.append((entry.msgid[:60], wanted, found))
    assert not problems, problems[:5]


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(code):
    po = catalogue(code)
    mo = polib.mofile(str(LOCALE_DIR / code / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in po.translated_entries()
    }
    assert compiled.keys() >= source.keys(), "run: make messages"
    stale = [key[1][:60] for key, value in source.items() if compiled[key] != value]
    assert not stale, f"run: make messages ({stale[:3]})"


# A phone number, postcode or size in a sentence: groups of digits with spaces or capitals.
LEFT_TO_RIGHT_EXAMPLE = re.compile(r"\d+(?: (?:\d+|[A-Z]{1,2}\b))+")
LRI, PDI = "\u2066", "\u2069"


@pytest.mark.parametrize("code", [code for code in LANGUAGES if code in settings.LANGUAGES_BIDI])
def test_right_to_left_translations_keep_examples_left_to_right(code):
    """In right-to-left text "06 12345678" shows as "12345678 06" and "3311 AB" as "AB 3311",
    unlike what the reader types; a left-to-right isolate around each example keeps its order."""
    reversed_examples = []
    for entry in catalogue(code).translated_entries():
        for form in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            for example in LEFT_TO_RIGHT_EXAMPLE.finditer(form):
                before, after = form[: example.start()], form[example.end() :]
                if not (before.endswith(LRI) and after.startswith(PDI)):
                    reversed_examples.append(example.group())
    assert not reversed_examples, reversed_examples
