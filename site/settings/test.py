"""Test settings: fast hashing, mail kept in memory, an ephemeral encryption key."""

import os

from cryptography.fernet import Fernet

from .base import *  # noqa: F403
from .base import BASE_DIR, env_list

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
INTAKE_NOTIFY_EMAILS = ["aanmeldteam@example.org"]
DOORVERTELLEN_ALLOW_DEMO_USERS = True
PUBLIC_FORM_MIN_SECONDS = 0
# Tests post many forms from one address; the limit itself is tested with a lower value.
PUBLIC_FORM_RATE_LIMIT = 100_000
# A view is in the figures as soon as its request is answered; the tally that waits has its own
# tests (tests/campagnes/test_view_tally.py) and the production server uses it.
VIEW_COUNT_SECONDS = 0

# A fresh key per test run (or the one a test passes on to a server it starts).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS") or [Fernet.generate_key().decode()]
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS[0])

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
WHITENOISE_AUTOREFRESH = True

# The page cache is on in tests, as in production: every test that changes content and looks
# again proves the change is visible on the next request. Kept in memory, per test process.
if not os.environ.get("REDIS_URL"):
    CACHES["pages"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "doorvertellen-pages",
    }
