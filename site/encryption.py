"""Encryption at rest for personal data.

Values are encrypted with Fernet (AES-128-CBC + HMAC) using keys from the environment, so a
copy of the database alone reveals nothing. Several keys may be configured, newest first:
new values use the newest, old values stay readable until `rotate_field_keys` has
re-encrypted them.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc:"


@lru_cache(maxsize=4)
def _fernet_for(keys):
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: personal data cannot be stored."
        )
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def fernet():
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        # Written before encryption was switched on for this column; readable as is and
        # encrypted on the next save or key rotation.
        return stored
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A personal field could not be decrypted: is its key still in FIELD_ENCRYPTION_KEYS?"
        ) from exc


def rotate(stored: str) -> str:
    """Re-encrypt a stored value with the newest key."""
    if not stored:
        return stored
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):
    """A text column whose contents are encrypted before they reach the database.

    Encrypted columns cannot be searched, filtered or ordered on in SQL: keep whatever the
    staff must filter on (status, dates) in ordinary columns. `max_length` is enforced on the
    plaintext by forms and validators, not by the column.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
