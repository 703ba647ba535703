"""Shared fixtures for the in-process tests: a site tree, service settings and staff per role."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Site

from doorvertellen import roles
from doorvertellen.auth import requires_two_factor
from doorvertellen.factories import IntakePageFactory, StandardPageFactory, make_home_site
from doorvertellen.models import ServiceSettings
from verhalen.factories import StoryIndexPageFactory, StoryPageFactory, StoryThemeFactory

STAFF_PASSWORD = "een-lang-testwachtwoord-42"

# The test this process ran last (see pytest_runtest_protocol below).
LAST_RUN = pytest.StashKey[pytest.Item]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Remember the test this process ran last: a pytest-xdist worker runs only part of the
    collection, so the test before this one in the collection need not be the one run
    before it (tests/browser/conftest.py asks)."""
    try:
        return (yield)
    finally:
        item.config.stash[LAST_RUN] = item


@pytest.fixture(autouse=True)
def _media_in_tmp(request, tmp_path_factory):
    """Images made by factories land in a throwaway folder, not in var/.

    Browser tests (marked `browser`) are left to their own conftest.
    """
    if request.node.get_closest_marker("browser"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and lockout counters and kept pages live in caches: no test inherits
    another's."""
    for store in caches.all():
        store.clear()
    yield
    for store in caches.all():
        store.clear()


@pytest.fixture
def home(db):
    """The default Site's root, replaced by a HomePage."""
    return make_home_site()


@pytest.fixture
def default_site(home):
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def service_settings(default_site):
    service = ServiceSettings.for_site(default_site)
    service.phone_number = "14 010"
    service.phone_hours = "Maandag tot en met vrijdag, 9 tot 17 uur"
    service.response_promise = "binnen 2 werkdagen"
    service.save()
    return service


@pytest.fixture
def intake_page(home, service_settings):
    return IntakePageFactory(parent=home)


@pytest.fixture
def privacy_page(home):
    return StandardPageFactory(parent=home, title="Privacyverklaring", slug="privacy")


@pytest.fixture
def story_index(home):
    return StoryIndexPageFactory(parent=home)


@pytest.fixture
def theme(db):
    return StoryThemeFactory(name="Huurachterstand", slug="huurachterstand")


@pytest.fixture
def story(story_index, theme):
    return StoryPageFactory(
        parent=story_index,
        title="Hoe Sandra weer rust kreeg",
        display_name="Sandra",
        themes=[theme],
        with_photo=True,
    )


class StaffClient(Client):
    """`force_login` also passes the second sign-in step, as staff with their app would.

    Tests of the second step itself use a plain `Client` and sign in through the forms.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    return StaffClient()


def _staff(django_user_model, username, group_name=None, **extra):
    user = django_user_model.objects.create_user(
        username=username,
        email=f"{username}@gemeente.example",
        password=STAFF_PASSWORD,
        **extra,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    if requires_two_factor(user):
        TOTPDevice.objects.create(user=user, name="Telefoon", confirmed=True)
    return user


@pytest.fixture
def superuser(db, django_user_model):
    return _staff(django_user_model, "beheerder", is_staff=True, is_superuser=True)


@pytest.fixture
def editor(db, django_user_model):
    """Communications staff: edit pages and stories, never intake records."""
    return _staff(django_user_model, "redacteur", roles.COMMUNICATIONS)


@pytest.fixture
def intake_member(db, django_user_model):
    return _staff(django_user_model, "aanmeldteam", roles.INTAKE_TEAM)


@pytest.fixture
def feedback_coordinator(db, django_user_model):
    return _staff(django_user_model, "feedback", roles.FEEDBACK_COORDINATOR)


@pytest.fixture
def consent_manager(db, django_user_model):
    return _staff(django_user_model, "toestemming", roles.CONSENT_MANAGER)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On PostgreSQL, the test database does not wait for the disk at each commit.

    Transactional tests (the browser tests' live server, the demo loaded per test) and the
    migrations commit thousands of times, at a few milliseconds each. synchronous_commit=off
    changes no result and no isolation, only what a crash of the database server would keep.
    It applies to pytest-django's test database alone: the deployment tests' databases (and
    their check that no confirmed sign-up is lost) keep PostgreSQL's defaults.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=False):
        if connection.settings_dict["ENGINE"] == "django.db.backends.postgresql":
            options = connection.settings_dict.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep a copy of what the migrations made, even in a run without browser tests.

    pytest-django serializes the test database only when some collected test asks for
    serialized rollback; `migrated_transactional_db` needs the copy in every run.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        if getattr(connection, "_test_serialized_contents", None) is None:
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_transactional_db(transactional_db):
    """A transactional database that holds what the migrations made (root page, locale,
    roles), even when a transactional test before this one left it flushed."""
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Locale, Page, Site

    from tests.browser.conftest import _refresh_content_types, _reset_sequences

    serialized = getattr(connection, "_test_serialized_contents", None)
    # A flush runs post-migrate handlers (roles, locales) but not Wagtail's migration that
    # makes the root page: check for that page.
    if serialized and not (Locale.objects.exists() and Page.objects.filter(depth=1).exists()):
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(serialized)
        _reset_sequences(connection)
    _refresh_content_types()
    Site.clear_site_root_paths_cache()


@pytest.fixture(scope="session")
def deployment(tmp_path_factory):
    """The production setup prepared once per run (see tests.deployment); every test that
    starts a server takes its own copy of the database with `deployment.fresh(label)`."""
    import importlib.util

    from cryptography.fernet import Fernet

    from tests.deployment import Databases, Deployment, prepare

    if importlib.util.find_spec("gunicorn") is None:
        pytest.fail("gunicorn is a project dependency: pip install -e .")
    base = tmp_path_factory.mktemp("deployment")
    databases = Databases(base)
    field_key = Fernet.generate_key().decode()
    try:
        yield Deployment(base, databases, prepare(base, databases, field_key), field_key)
    finally:
        databases.drop_all()
