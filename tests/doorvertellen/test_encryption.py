"""Personal data is encrypted at rest; keys can be rotated without losing anything."""

import time
import uuid

import pytest
from cryptography.fernet import Fernet
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from doorvertellen import encryption
from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.forms import PublicForm
from doorvertellen.models import IntakeRecord

pytestmark = pytest.mark.django_db

PERSONAL_COLUMNS = ("name", "phone", "email", "message", "postcode")


def raw_row(record):
    """The personal columns exactly as the database holds them, bypassing the model."""
    record_id = IntakeRecord._meta.pk.get_db_prep_value(record.pk, connection)
    table = connection.ops.quote_name(IntakeRecord._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in PERSONAL_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [record_id])  # noqa: S608
        return dict(zip(PERSONAL_COLUMNS, cursor.fetchone(), strict=True))


def new_key():
    return Fernet.generate_key().decode()


def test_submitted_values_are_not_in_the_database_in_plain_text(client, intake_page):
    client.post(
        intake_page.url,
        {
            "name": "Sentinel Meeuwenveer",
            "phone": "06 55501234",
            "email": "meeuwenveer@example.org",
            "best_time": "any",
            "message": "Geheim: beslag op mijn loon",
            "postcode": "3311 KX",
            "consent": "on",
            "token": str(uuid.uuid4()),
            "rendered_at": signing.dumps(time.time() - 10, salt=PublicForm.signing_salt),
        },
    )
    record = IntakeRecord.objects.get()
    stored = raw_row(record)

    for column, value in stored.items():
        assert value.startswith(encryption.PREFIX), column
    whole = " ".join(stored.values())
    for sentinel in ("Meeuwenveer", "55501234", "meeuwenveer@", "beslag", "3311 KX"):
        assert sentinel not in whole

    assert record.name == "Sentinel Meeuwenveer"
    assert record.phone == "06 55501234"
    assert record.email == "meeuwenveer@example.org"
    assert record.message == "Geheim: beslag op mijn loon"
    assert record.postcode == "3311 KX"


def test_same_value_encrypts_differently_each_time():
    first, second = encryption.encrypt("Jan"), encryption.encrypt("Jan")
    assert first != second
    assert encryption.decrypt(first) == encryption.decrypt(second) == "Jan"


def test_empty_optional_values_stay_empty():
    record = IntakeRecordFactory(email="", message="")
    stored = raw_row(record)
    assert stored["email"] == stored["message"] == ""


def test_old_key_stays_readable_and_rotation_moves_to_the_new_key(settings):
    old, new = new_key(), new_key()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    record = IntakeRecordFactory(name="Rotatie Roodborst")
    under_old = raw_row(record)["name"]

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert IntakeRecord.objects.get(pk=record.pk).name == "Rotatie Roodborst"

    rotated = encryption.rotate(under_old)
    assert rotated != under_old
    token = rotated.removeprefix(encryption.PREFIX).encode()
    assert Fernet(new.encode()).decrypt(token) == b"Rotatie Roodborst"

    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key may now be dropped
    assert encryption.decrypt(rotated) == "Rotatie Roodborst"
    with pytest.raises(ImproperlyConfigured):
        encryption.decrypt(under_old)


def test_rotation_encrypts_values_stored_before_encryption():
    assert encryption.decrypt(encryption.rotate("oud en leesbaar")) == "oud en leesbaar"
    assert encryption.rotate("") == ""


def test_a_wrong_key_is_reported_not_silently_ignored(settings):
    record = IntakeRecordFactory()
    settings.FIELD_ENCRYPTION_KEYS = [new_key()]
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        IntakeRecord.objects.get(pk=record.pk)


def test_without_a_key_nothing_personal_can_be_stored(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured), transaction.atomic():
        IntakeRecordFactory()
    assert not IntakeRecord.objects.exists()
