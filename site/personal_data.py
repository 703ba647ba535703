"""Per-person rights (GDPR articles 15, 17 and 20): find, export and erase one person's data.

Each kind of personal data registers a source: how to find a person's rows by e-mail address or
phone number (encrypted columns cannot be searched in SQL, so sources compare decrypted values
in Python), how to export a row and how to erase it with everything that holds its data. A
domain app registers its own sources in its AppConfig.ready, so this core module never imports
it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

SOURCES = []


@dataclass(frozen=True)
class Source:
    label: str
    find: Callable  # (email, phone) -> iterable of objects
    export: Callable  # obj -> dict
    erase: Callable  # obj -> None


def register(source):
    SOURCES.append(source)
    return source


def normalise_phone(value):
    digits = re.sub(r"\D", "", value or "")
    # 06 12345678 and +31 6 12345678 are the same number.
    if digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def matches(email, phone, *, row_email="", row_phone=""):
    if email and row_email and row_email.strip().lower() == email.strip().lower():
        return True
    return bool(phone and row_phone and normalise_phone(row_phone) == normalise_phone(phone))


def find(email="", phone=""):
    return {source.label: list(source.find(email, phone)) for source in SOURCES}


def export(email="", phone=""):
    return {
        source.label: [source.export(obj) for obj in source.find(email, phone)]
        for source in SOURCES
    }


def erase(email="", phone=""):
    counts = {}
    for source in SOURCES:
        rows = list(source.find(email, phone))
        for obj in rows:
            source.erase(obj)
        counts[source.label] = len(rows)
    return counts


def _intake_rows(email, phone):
    from doorvertellen.models import IntakeRecord

    for record in IntakeRecord.objects.iterator(chunk_size=500):
        if matches(email, phone, row_email=record.email, row_phone=record.phone):
            yield record


register(
    Source(
        label="doorvertellen.IntakeRecord",
        find=_intake_rows,
        export=lambda record: record.as_export_dict(),
        erase=lambda record: record.delete(),
    )
)
