"""Development: DEBUG on, mail to the console, demo logins allowed."""

import os

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .base import VAR_DIR, env_list

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# Demo logins (one per role) may only be created under these settings.
DOORVERTELLEN_ALLOW_DEMO_USERS = True


def _dev_field_key():
    """A per-checkout key kept under var/, so no key ever lives in the repository."""
    key_file = VAR_DIR / "dev-field-encryption.key"
    if not key_file.exists():
        key_file.write_bytes(Fernet.generate_key())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [_dev_field_key()]
