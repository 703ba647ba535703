"""Every model that holds personal data keeps it encrypted at rest and moves with key rotation.

The models are found by their encrypted fields, so a new one cannot slip past: the test that
every such model has a maker below fails until it gets one (and with it the raw-database and
rotation checks).
"""

import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from doorvertellen import encryption
from doorvertellen.encryption import EncryptedTextField
from doorvertellen.factories import IntakeRecordFactory
from feedback.factories import SuggestionFactory
from feedback.models import UsefulComment
from verhalen.factories import ConsentRecordFactory, StoryPageFactory
from verhalen.models import StoryApproval

pytestmark = pytest.mark.django_db


def encrypted_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def encrypted_models():
    return sorted(
        (m for m in apps.get_models() if encrypted_fields(m)), key=lambda m: m._meta.label
    )


def _approval(story_index):
    draft = StoryPageFactory(parent=story_index, live=False, consent=False)
    consent = ConsentRecordFactory(given_at=None, pages=[draft])
    approval, _token = StoryApproval.create_for(consent, draft, draft.save_revision())
    return approval


# How to make one row of each model that holds personal data (its encrypted fields are then
# filled with sentinels by `make_row`).
MAKERS = {
    "doorvertellen.IntakeRecord": lambda story_index: IntakeRecordFactory(),
    "verhalen.ConsentRecord": lambda story_index: ConsentRecordFactory(),
    "verhalen.StoryApproval": _approval,
    "feedback.Suggestion": lambda story_index: SuggestionFactory(),
    "feedback.UsefulComment": lambda story_index: UsefulComment.objects.create(
        page=story_index, useful=True, comment="x"
    ),
}


def sentinel(model, field):
    return f"zwaluw-{model._meta.model_name}-{field.name}"


def make_row(model, story_index):
    row = MAKERS[model._meta.label](story_index)
    for field in encrypted_fields(model):
        setattr(row, field.attname, sentinel(model, field))
    row.save()
    return row


def raw_values(model, pk):
    """The encrypted columns of one row exactly as the database holds them."""
    columns = [f.column for f in encrypted_fields(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    key = connection.ops.quote_name(model._meta.pk.column)
    db_pk = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {table} WHERE {key} = %s", [db_pk])  # noqa: S608
        return dict(zip(columns, cursor.fetchone(), strict=True))


def whole_database():
    """Every value of every table, as text: what a stolen copy of the database would show."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                chunks.extend(
                    bytes(v).decode("utf-8", "replace")
                    if isinstance(v, bytes | memoryview)
                    else str(v)
                    for v in row
                )
    return "\n".join(chunks)


@pytest.fixture(autouse=True)
def _fresh_fernet_cache():
    encryption._fernet_for.cache_clear()
    yield
    encryption._fernet_for.cache_clear()


def test_every_model_with_personal_fields_is_covered_here():
    labels = {m._meta.label for m in encrypted_models()}
    assert labels == set(MAKERS)
    # The personal data the product knows of (see the README), so the list cannot shrink
    # unnoticed either.
    assert {
        "doorvertellen.IntakeRecord",
        "verhalen.ConsentRecord",
        "verhalen.StoryApproval",
        "feedback.Suggestion",
        "feedback.UsefulComment",
    } <= labels


def test_no_personal_value_is_anywhere_in_the_raw_database(story_index):
    rows = {model: make_row(model, story_index) for model in encrypted_models()}
    dump = whole_database()
    for model, row in rows.items():
        for field in encrypted_fields(model):
            assert sentinel(model, field) not in dump, f"{model._meta.label}.{field.name}"
            assert raw_values(model, row.pk)[field.column].startswith(encryption.PREFIX)
        row.refresh_from_db()
        for field in encrypted_fields(model):
            assert getattr(row, field.attname) == sentinel(model, field)


@pytest.mark.parametrize("label", sorted(MAKERS))
def test_rotation_moves_every_model_to_the_new_key(label, story_index):
    model = apps.get_model(label)
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        row = make_row(model, story_index)
        before = raw_values(model, row.pk)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        output = io.StringIO()
        call_command("rotate_field_keys", stdout=output)
        assert f"{label}: " in output.getvalue()
        after = raw_values(model, row.pk)
    for field in encrypted_fields(model):
        stored = after[field.column]
        assert stored != before[field.column]
        plain = Fernet(new.encode()).decrypt(stored.removeprefix(encryption.PREFIX).encode())
        assert plain.decode() == sentinel(model, field)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        row.refresh_from_db()
        for field in encrypted_fields(model):
            assert getattr(row, field.attname) == sentinel(model, field)
