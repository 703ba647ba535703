"""A storyteller's rights: their consent record is found, exported and erased like intake data."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from doorvertellen import encryption
from verhalen.factories import ConsentRecordFactory, StoryPageFactory, approve
from verhalen.models import ConsentRecord, StoryApproval
from verhalen.models.consent import new_token

pytestmark = pytest.mark.django_db

TELLER = {
    "contact_name": "Bartholomeus Vertellerproef",
    "contact_email": "bart.verteller@voorbeeld.example",
    "contact_phone": "06 13572468",
}
COMMENT = "Sentinelwens: noem mijn werkgever niet"


@pytest.fixture
def teller(story_index):
    story = StoryPageFactory(
        parent=story_index, title="Bart betaalt zijn huur weer", display_name="Bart", consent=False
    )
    consent = ConsentRecordFactory(display_name="Bart", pages=[story], **TELLER)
    approve(consent, story)
    story.save_revision().publish()
    _token, token_hash = new_token()
    StoryApproval.objects.create(
        consent=consent,
        page=story,
        content_hash="0" * 64,
        token_hash=token_hash,
        status=StoryApproval.Status.CHANGES_REQUESTED,
        decided_at=timezone.now(),
        expires_at=timezone.now(),
        comment=COMMENT,
    )
    story.refresh_from_db()
    assert story.live
    return consent, story


@pytest.fixture
def other(story):
    return story.consents().get()


def run(*args):
    out = StringIO()
    call_command("person_data", *args, stdout=out)
    return out.getvalue()


def test_found_by_email_or_by_phone_written_another_way(teller, other):
    consent, _story = teller
    by_email = json.loads(run("export", "--email", TELLER["contact_email"].upper()))
    by_phone = json.loads(run("export", "--phone", "+31 6 1357 2468"))
    for data in (by_email, by_phone):
        (record,) = data["gegevens"]["verhalen.ConsentRecord"]
        assert record["id"] == consent.pk


def test_export_holds_the_record_its_stories_and_answers(teller, other):
    consent, story = teller
    data = json.loads(run("export", "--email", TELLER["contact_email"]))
    (record,) = data["gegevens"]["verhalen.ConsentRecord"]
    for key, value in {
        "volledige_naam": TELLER["contact_name"],
        "e_mailadres": TELLER["contact_email"],
        "telefoonnummer": TELLER["contact_phone"],
        "naam_op_de_site": "Bart",
        "versie_toestemmingstekst": consent.text_version.version,
    }.items():
        assert record[key] == value
    assert record["verhalen"] == [story.title]
    statuses = {answer["status"] for answer in record["akkoorden"]}
    assert statuses == {"Akkoord", "Wil een verandering"}
    assert COMMENT in [answer["wat_de_verteller_anders_wil"] for answer in record["akkoorden"]]
    exported = json.dumps(data, ensure_ascii=False)
    assert other.contact_email not in exported
    assert other.contact_name not in exported


def test_erase_takes_the_story_offline_and_leaves_nothing_of_the_teller(teller, other):
    consent, story = teller
    run("erase", "--email", TELLER["contact_email"], "--yes")

    assert not ConsentRecord.objects.filter(pk=consent.pk).exists()
    assert not StoryApproval.objects.filter(consent_id=consent.pk).exists()
    story.refresh_from_db()
    assert not story.live
    assert ConsentRecord.objects.filter(pk=other.pk).exists()

    dump = StringIO()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from Django)
            dump.write(repr(cursor.fetchall()))
    everything = dump.getvalue()
    for value in [*TELLER.values(), COMMENT]:
        assert value not in everything


def test_erase_without_yes_changes_nothing(teller):
    consent, story = teller
    assert "verhalen.ConsentRecord': 1" in run("erase", "--phone", TELLER["contact_phone"])
    assert ConsentRecord.objects.filter(pk=consent.pk).exists()
    story.refresh_from_db()
    assert story.live


def test_contact_details_and_answers_are_encrypted_at_rest(teller):
    consent, _story = teller
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(ConsentRecord._meta.db_table)
        cursor.execute(
            f"SELECT contact_name, contact_email, contact_phone FROM {table} WHERE id = %s",  # noqa: S608
            [consent.pk],
        )
        stored = list(cursor.fetchone())
        table = connection.ops.quote_name(StoryApproval._meta.db_table)
        cursor.execute(f"SELECT comment FROM {table} WHERE comment <> ''")  # noqa: S608
        stored += [row[0] for row in cursor.fetchall()]
    assert len(stored) == 4
    for value in stored:
        assert value.startswith(encryption.PREFIX)
    whole = " ".join(stored)
    for sentinel in ("Bartholomeus", "bart.verteller@", "13572468", "werkgever"):
        assert sentinel not in whole
