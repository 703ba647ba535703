"""Per-person export and erasure: everything about one person, nothing about anyone else."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.models import AuditEntry, IntakeRecord

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "Wessel Sentinelpersoon",
    "email": "wessel.sentinel@voorbeeld.example",
    "phone": "06 11122233",
    "message": "Sentinel: achterstand bij de energie",
    "postcode": "3313 QQ",
}
OTHER = {
    "name": "Anna Anderepersoon",
    "email": "anna@voorbeeld.example",
    "phone": "06 99988877",
    "message": "Iets heel anders",
    "postcode": "3314 RR",
}


@pytest.fixture
def people():
    return {
        "person": [
            IntakeRecordFactory(**PERSON),
            # The same person later, with the phone written another way and no e-mail.
            IntakeRecordFactory(**{**PERSON, "email": "", "phone": "+31 6 111 222 33"}),
        ],
        "other": IntakeRecordFactory(**OTHER),
    }


def run(*args):
    out = StringIO()
    call_command("person_data", *args, stdout=out)
    return out.getvalue()


def test_export_holds_every_record_of_the_person_and_nothing_of_others(people):
    data = json.loads(run("export", "--email", PERSON["email"], "--phone", "0611122233"))
    records = data["gegevens"]["doorvertellen.IntakeRecord"]
    assert len(records) == 2
    assert {record["id"] for record in records} == {str(r.pk) for r in people["person"]}
    exported = json.dumps(data, ensure_ascii=False)
    for value in PERSON.values():
        assert value in exported
    for value in OTHER.values():
        assert value not in exported
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert "IntakeRecord=2" in entry.detail
    assert PERSON["email"] not in entry.detail


def test_erase_without_yes_changes_nothing(people):
    output = run("erase", "--phone", PERSON["phone"])
    assert "Would erase" in output
    assert IntakeRecord.objects.count() == 3


def test_erase_removes_the_person_everywhere_in_the_database(people):
    run("erase", "--email", PERSON["email"], "--phone", PERSON["phone"], "--yes")
    assert list(IntakeRecord.objects.values_list("pk", flat=True)) == [people["other"].pk]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ERASE).count() == 1

    # Nothing of the person is left in any table, encrypted or not; the other is untouched.
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from Django)
            dump.write(repr(cursor.fetchall()))
    everything = dump.getvalue()
    for value in PERSON.values():
        assert value not in everything
    assert IntakeRecord.objects.get().name == OTHER["name"]


def test_a_person_must_be_named():
    with pytest.raises(CommandError):
        run("export")
