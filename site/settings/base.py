"""Settings shared by every environment.

Every value that differs per deployment comes from the environment (see the README's table);
the dev, test and production modules only choose safe defaults for their own use.
"""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("DOORVERTELLEN_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


INSTALLED_APPS = [
    "verhalen",
    "campagnes",
    "feedback",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Last, so that its post-migrate step (creating the staff roles) sees every app's
    # permissions.
    "doorvertellen",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "doorvertellen.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Malformed public requests get a kind page before any view runs (doorvertellen.bad_input).
    "doorvertellen.bad_input.BadInputMiddleware",
    # Whole pages for anonymous visitors, before sessions and auth (doorvertellen.page_cache).
    "doorvertellen.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "doorvertellen.auth.RequireTwoFactorMiddleware",
    "doorvertellen.auth.SessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A story that may not go live: the reason on its edit page, not a bare 403.
    "verhalen.middleware.PublishRefusedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "doorvertellen.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "doorvertellen.wsgi.application"

# SQLite (a file under var/, WAL mode) unless DATABASE_URL points elsewhere.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests too: a new SQLite connection costs each request more than
    # the page it asks for (opening the file, its PRAGMAs, Django's SQL functions).
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions and a generous timeout avoid "database is locked" when
        # several requests write at once; WAL lets readers go on meanwhile.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "doorvertellen",
        },
        "pages": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "doorvertellen-pages",
        },
    }
    # Staff sessions in Redis (and the database behind it), shared by every server.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "doorvertellen",
        },
        # Files, so that every worker process of one server sees the same pages and the same
        # generation (doorvertellen.page_cache); several servers need REDIS_URL.
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# Whole public pages for anonymous visitors (doorvertellen.page_cache): how long this server
# keeps a page at most (0 turns the page cache off), and what proxies and browsers may keep.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", "300"))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "60"))
# Kept pages belong to one release: a deploy never serves what the previous code rendered.
# Empty: a fingerprint of the code and templates, taken when a process starts.
PAGE_CACHE_RELEASE = os.environ.get("RELEASE", "")

# Views of landing pages (and of pages reached through a tracked link) are added up in each
# process and written together, at most this many seconds later (campagnes.counting.ViewTally);
# 0 writes every view in its own request.
VIEW_COUNT_SECONDS = float(os.environ.get("VIEW_COUNT_SECONDS", "2"))

# A proxy or CDN in front of the site that keeps pages too: purged on every change.
# FRONTEND_CACHE_PURGE_URL for Varnish or nginx (an HTTP PURGE per address), or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
        "ZONEID": os.environ.get("CLOUDFLARE_ZONEID", ""),
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first; pages are translated with Wagtail's own translation support (one tree per
# language, made with "Vertalen" in the page menu) and the interface through gettext
# (locale/). Dutch addresses have no prefix; the others start with their code (/en/, /ar/).
LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("pl", "Polski"),
    ("uk", "Українська"),
]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# S3-compatible object storage for media when a bucket is configured.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Mail: console in development, SMTP in production (see production.py).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Doorvertellen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who receives the "new sign-up" notice (a link only, never the contents).
INTAKE_NOTIFY_EMAILS = env_list("INTAKE_NOTIFY_EMAILS")

# Background work: Django tasks. Immediate by default; production uses the database backend
# and its worker (`manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Security defaults shared by all environments; production tightens transport security.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF cookie (only on pages with a form) ends with the browser session.
CSRF_COOKIE_AGE = None
# Staff sessions end after 30 idle minutes, and after 10 hours whatever happens.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(10 * 60 * 60)))
LOGIN_URL = "wagtailadmin_login"
# Five wrong passwords in a row lock an account for 15 minutes.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
AUTHENTICATION_BACKENDS = ["doorvertellen.auth.LockoutModelBackend"]
# Roles that see personal data (doorvertellen.roles) sign in with a second factor.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Doorvertellen")
CSRF_FAILURE_VIEW = "doorvertellen.views.csrf_failure"

# Encryption of personal fields: comma-separated Fernet keys, newest first. Old keys stay
# listed until `manage.py rotate_field_keys` has re-encrypted every row with the newest.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")

# Demo logins (one per role) may be created by load_demo_content only where this is on.
DOORVERTELLEN_ALLOW_DEMO_USERS = False

# Wagtail
WAGTAIL_SITE_NAME = "Doorvertellen"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A translation is a copy that an editor writes and publishes on its own; no empty copies of
# every new page in every language (stories need their storyteller's approval per language).
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Retention, in days (see `manage.py purge_expired`, run daily by a timer). An intake record is
# deleted this long after its hand-over to the case system, or after its last activity when it
# was never handed over. The audit log keeps its own, longer period.
INTAKE_RETENTION_DAYS = int(os.environ.get("INTAKE_RETENTION_DAYS", "90"))
AUDIT_LOG_RETENTION_DAYS = int(os.environ.get("AUDIT_LOG_RETENTION_DAYS", str(2 * 365)))
# A storyteller's consent record (and their approvals) is kept this long after withdrawal or
# expiry took their stories offline, to show what was allowed when; a consent that was never
# given is deleted this long after it was recorded.
CONSENT_RETENTION_DAYS = int(os.environ.get("CONSENT_RETENTION_DAYS", "365"))
# Contact details left with a suggestion (name, e-mail, phone) are emptied this long after the
# suggestion last changed; the suggestion itself stays, without anything to reach the person by.
FEEDBACK_CONTACT_RETENTION_DAYS = int(os.environ.get("FEEDBACK_CONTACT_RETENTION_DAYS", "365"))
# Comments left with "was this useful?" are deleted this long after they were written (the
# yes/no counts stay).
USEFUL_COMMENT_RETENTION_DAYS = int(os.environ.get("USEFUL_COMMENT_RETENTION_DAYS", "365"))

# Storytellers' consent (see `manage.py check_consents`, run daily by a timer): editors and
# consent managers are warned this many days before a consent ends. The storyteller's private
# links (approve, withdraw) allow this many lookups per client address per public-form window,
# so that nobody can try out link tokens.
CONSENT_EXPIRY_WARNING_DAYS = int(os.environ.get("CONSENT_EXPIRY_WARNING_DAYS", "30"))
CONSENT_LINK_RATE_LIMIT = int(os.environ.get("CONSENT_LINK_RATE_LIMIT", "20"))

# Largest video file editors may upload, in megabytes (residents watch on phones: keep it small).
VIDEO_MAX_UPLOAD_MB = int(os.environ.get("VIDEO_MAX_UPLOAD_MB", "200"))

# Anti-automation on public forms: a form sent back sooner than this after it was shown is
# treated as a bot (it looks accepted, nothing is stored).
PUBLIC_FORM_MIN_SECONDS = int(os.environ.get("PUBLIC_FORM_MIN_SECONDS", "3"))
# At most this many submissions of one public form per client address per window (seconds).
PUBLIC_FORM_RATE_LIMIT = int(os.environ.get("PUBLIC_FORM_RATE_LIMIT", "10"))
PUBLIC_FORM_RATE_WINDOW = int(os.environ.get("PUBLIC_FORM_RATE_WINDOW", "600"))
# How many proxies in front of the app append to X-Forwarded-For (0: use the peer address).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# How long a shown form stays valid before the resident is kindly asked to send it again.
PUBLIC_FORM_MAX_AGE = 24 * 60 * 60

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)r"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "doorvertellen": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
