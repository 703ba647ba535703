"""`rotate_field_keys` moves every stored personal value to the newest key.

The Fernet instance is cached per tuple of keys (`encryption._fernet_for`), so a changed
FIELD_ENCRYPTION_KEYS setting gets its own entry; the cache is still cleared around each
test so that no test can lean on an instance another one built.
"""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from doorvertellen import encryption
from doorvertellen.factories import IntakeRecordFactory
from doorvertellen.models import IntakeRecord

pytestmark = pytest.mark.django_db

PERSONAL_COLUMNS = ("name", "phone", "email", "message", "postcode")
VALUES = {
    "name": "Roos Sleutelbloem",
    "phone": "06 24681357",
    "email": "sleutelbloem@example.org",
    "message": "Sleutelbloem: incasso na incasso",
    "postcode": "7777 XY",
}


@pytest.fixture(autouse=True)
def _fresh_fernet_cache():
    encryption._fernet_for.cache_clear()
    yield
    encryption._fernet_for.cache_clear()


@pytest.fixture
def old():
    return Fernet.generate_key().decode()


@pytest.fixture
def new():
    return Fernet.generate_key().decode()


def raw_row(pk):
    """The record's personal columns (and updated_at) exactly as the database holds them."""
    record_id = IntakeRecord._meta.pk.get_db_prep_value(pk, connection)
    table = connection.ops.quote_name(IntakeRecord._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in PERSONAL_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [record_id])  # noqa: S608
        return dict(zip(PERSONAL_COLUMNS, cursor.fetchone(), strict=True))


def token(stored):
    assert stored.startswith(encryption.PREFIX)
    return stored.removeprefix(encryption.PREFIX).encode()


def rotate():
    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    return out.getvalue()


@pytest.fixture
def stored_under_old(old):
    """Two records written when only the old key existed, one with empty optional fields."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        record = IntakeRecordFactory(**VALUES)
        sparse = IntakeRecordFactory(name="Alleen Naam", email="", message="")
        before = {record.pk: raw_row(record.pk), sparse.pk: raw_row(sparse.pk)}
    for row in before.values():
        for value in row.values():
            if value:
                Fernet(old.encode()).decrypt(token(value))  # really under the old key
    return record, sparse, before


def test_rotation_rewrites_every_column_under_the_new_key(old, new, stored_under_old):
    record, sparse, before = stored_under_old
    updated_at = IntakeRecord.objects.values_list("updated_at", flat=True).get(pk=record.pk)

    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        out = rotate()

    assert "doorvertellen.IntakeRecord: 2" in out
    for pk in (record.pk, sparse.pk):
        after = raw_row(pk)
        for column in PERSONAL_COLUMNS:
            if not before[pk][column]:
                assert after[column] == "", column  # empty stays empty, not encrypted
                continue
            assert after[column] != before[pk][column], column
            plaintext = Fernet(new.encode()).decrypt(token(after[column])).decode()
            assert plaintext == Fernet(old.encode()).decrypt(token(before[pk][column])).decode()
    for column, value in VALUES.items():
        assert value not in " ".join(raw_row(record.pk).values()), column
    # Rotation is no change to the record: its retention clock does not restart.
    assert IntakeRecord.objects.values_list("updated_at", flat=True).get(pk=record.pk) == (
        updated_at
    )


def test_after_rotation_the_new_key_alone_reads_everything(old, new, stored_under_old):
    record, sparse, _before = stored_under_old
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        rotate()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        fresh = IntakeRecord.objects.get(pk=record.pk)
        for column, value in VALUES.items():
            assert getattr(fresh, column) == value, column
        assert IntakeRecord.objects.get(pk=sparse.pk).name == "Alleen Naam"


def test_after_rotation_the_old_key_alone_reads_nothing(old, new, stored_under_old):
    record, _sparse, _before = stored_under_old
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        rotate()

    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[old]),
        pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"),
    ):
        IntakeRecord.objects.get(pk=record.pk)


def test_without_rotation_the_new_key_alone_cannot_read_old_values(old, new, stored_under_old):
    """The control for the test above: it is the rotation that makes dropping `old` safe."""
    record, _sparse, _before = stored_under_old
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=[new]),
        pytest.raises(ImproperlyConfigured),
    ):
        IntakeRecord.objects.get(pk=record.pk)


def test_rotation_is_repeatable(old, new, stored_under_old):
    record, _sparse, _before = stored_under_old
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        rotate()
        out = rotate()
    assert "doorvertellen.IntakeRecord: 2" in out
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert IntakeRecord.objects.get(pk=record.pk).name == VALUES["name"]


def test_values_stored_before_encryption_are_encrypted_by_rotation(new):
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        record = IntakeRecordFactory(**VALUES)
    table = connection.ops.quote_name(IntakeRecord._meta.db_table)
    record_id = IntakeRecord._meta.pk.get_db_prep_value(record.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name('name')} = %s WHERE id = %s",  # noqa: S608
            ["Platte Tekst", record_id],
        )
    assert raw_row(record.pk)["name"] == "Platte Tekst"

    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        rotate()
        assert IntakeRecord.objects.get(pk=record.pk).name == "Platte Tekst"
    stored = raw_row(record.pk)["name"]
    assert Fernet(new.encode()).decrypt(token(stored)) == b"Platte Tekst"
