"""Real-browser tests: Debian's Chromium, driven by Playwright, against Django's live server.

The three traps of pytest-playwright with pytest-django's live server (see
shared/notes/verified-tooling.md) are handled here:

1. Playwright's sync API keeps an asyncio loop "running" in the main thread, so Django's
   async-safety check would refuse every ORM call from a test: DJANGO_ALLOW_ASYNC_UNSAFE is set
   for this (test) process.
2. A live-server test is transactional: afterwards Django flushes every table, Wagtail's root
   page, default site, locale and root collection (all made by data migrations) included.
   Every browser test therefore uses serialized rollback (`helpers.BROWSER_TEST_MARKS`): the
   migrated database is restored before the test, and once more after the last browser test of a run, so tests that run
   later still find what the migrations made.
3. Django keeps one connection per thread, but per asyncio context as soon as a loop is
   running. Playwright is started (session-wide, autouse) before this directory's first test
   asks for the database, and any connection made before that (when other tests set the
   database up first) is carried over, so the tests, the live server and the database setup
   share one connection.

Requests to any host other than the live server are blocked and recorded in
`offsite_requests`, so a test can assert that a page asks nothing of a third party.
"""

import io
import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

# Trap 1. Only this process (the test run) is affected; the application never sets it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_DIR = os.path.dirname(os.path.abspath(__file__))

# --- Playwright and Chromium --------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright(_pw_api_request_contexts):
    """pytest-playwright's fixture, keeping the database connection made before it (trap 3)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    made_before = connections.all(initialized_only=True)
    pw = sync_playwright().start()
    # From here on Django looks its connections up per asyncio context: hand it the ones
    # that already exist (the test database may have been set up by earlier tests).
    for connection in made_before:
        connections[connection.alias] = connection
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(pw)
    yield pw
    pw.stop()


@pytest.fixture(scope="session", autouse=True)
def _playwright_before_database(playwright):
    """Session fixtures come before function fixtures: Playwright starts before the database."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (never playwright install)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": browser_type_launch_args.get("headless", True),
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
        "service_workers": "block",
    }


# --- Blocking third parties ---------------------------------------------------------------


@pytest.fixture
def offsite_requests():
    """Every request a page tried to make to another host than the live server (blocked)."""
    return []


@pytest.fixture
def guard(live_server, offsite_requests):
    """guard(context): block and record that context's requests to third-party hosts."""
    own_host = urlsplit(live_server.url).netloc

    def handle(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own_host:
            offsite_requests.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def _guard(context):
        context.route("**/*", handle)
        return context

    return _guard


@pytest.fixture
def context(context, guard):
    """pytest-playwright's context, with third-party requests blocked and recorded."""
    return guard(context)


@pytest.fixture
def new_guarded_context(new_context, guard):
    """A further context (other viewport, JavaScript off...), guarded like the first."""

    def _new(**kwargs):
        return guard(new_context(**kwargs))

    return _new


# --- The live server and its content -------------------------------------------------------


@pytest.fixture
def site_url(live_server):
    """site_url("/aanmelden/") -> the absolute URL on the live server."""
    base = live_server.url.rstrip("/")

    def _url(path="/"):
        return base + (path if path.startswith("/") else "/" + path)

    return _url


@dataclass
class DemoSite:
    home: object
    story_index: object
    stories: list
    featured_stories: list
    intake: object
    privacy: object
    service: object
    themes: list = field(default_factory=list)


@pytest.fixture
def demo_content(live_server):
    """The demo site (manage.py load_demo_content) in the live server's database."""
    from django.core.management import call_command
    from wagtail.models import Site

    from doorvertellen.models import HomePage, IntakePage, ServiceSettings, StandardPage
    from verhalen.models import StoryIndexPage, StoryPage, StoryTheme

    call_command("load_demo_content", stdout=io.StringIO(), stderr=io.StringIO())
    # Wagtail caches the site's root paths; the flush between tests bypassed its signals.
    Site.clear_site_root_paths_cache()

    home = HomePage.objects.get(locale__language_code="nl")
    site = Site.objects.get(is_default_site=True)
    story_index = StoryIndexPage.objects.live().get(locale__language_code="nl")
    stories = list(StoryPage.objects.live().child_of(story_index).order_by("path"))
    return DemoSite(
        home=home,
        story_index=story_index,
        stories=stories,
        featured_stories=[item.story for item in home.featured_stories.all()],
        intake=IntakePage.objects.live().get(locale__language_code="nl"),
        privacy=StandardPage.objects.live().get(slug="privacy", locale__language_code="nl"),
        service=ServiceSettings.for_site(site),
        themes=list(
            StoryTheme.objects.filter(tagged_stories__content_object__live=True)
            .distinct()
            .order_by("name")
        ),
    )


# --- Keeping the rest of the suite's database intact (trap 2) ------------------------------


def _is_browser_item(item):
    return item is not None and str(item.path).startswith(BROWSER_DIR + os.sep)


def _test_database_connection():
    """The default connection, if the test database is set up and was serialized."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    if getattr(connection, "_test_serialized_contents", None) is None:
        return None
    return connection


def _reset_sequences(connection):
    """Move the id sequences past the rows that deserializing put in with explicit ids.

    Serialized rollback (and the restore below) insert the migrated rows with their ids but
    leave PostgreSQL's sequences where they were; after a test that reset them (e.g. with
    reset_sequences) the next new page would get id 1 again. SQLite needs nothing.
    """
    from django.apps import apps
    from django.core.management.color import no_style

    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture(autouse=True)
def _sequences_in_step(transactional_db):
    from django.db import DEFAULT_DB_ALIAS, connections

    _reset_sequences(connections[DEFAULT_DB_ALIAS])


def _refresh_content_types():
    """Cache the content types the database now holds, and only those.

    A transactional test's flush makes the content types again, with other ids, and caches
    them; after the migrated ones are put back, a page's type would be looked up by a wrong
    id. The cache is filled at once rather than left empty: deserializing Wagtail's workflow
    task looks its content type up (Task.__init__), and an empty cache would make it anew in
    the half-restored table, where the restored row then clashes with it.
    """
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if ContentType.objects.exists():  # never make them in an emptied database
        ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture(autouse=True)
def _content_types_in_step(transactional_db):
    """Under pytest-xdist a worker may run another directory's transactional test right
    before a browser test (a serial run never does): see _refresh_content_types."""
    _refresh_content_types()


def _db_unblocked(config):
    from pytest_django.plugin import blocking_manager_key

    return config.stash[blocking_manager_key].unblock()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    """Before the first browser test after other tests: start from an empty database.

    Serialized rollback loads the migrated state into the database before each test. After a
    transactional test of another directory, the content types and permissions made again by
    its flush would clash with the serialized ones; emptied first, they cannot.
    """
    from tests.conftest import LAST_RUN

    previous = item.config.stash.get(LAST_RUN, None)
    if previous is not None and not _is_browser_item(previous):
        connection = _test_database_connection()
        if connection is not None:
            from django.core.management import call_command

            with _db_unblocked(item.config):
                call_command(
                    "flush",
                    database=connection.alias,
                    interactive=False,
                    inhibit_post_migrate=True,
                    verbosity=0,
                )
    return (yield)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last browser test before other tests: put the migrated database back.

    The serialized rollback's flush leaves every table empty (no root page, no content types,
    no staff roles); the tests that follow expect what the migrations made.
    """
    result = yield
    if nextitem is not None and not _is_browser_item(nextitem):
        connection = _test_database_connection()
        if connection is not None:
            from wagtail.models import Site

            with _db_unblocked(item.config):
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
                _reset_sequences(connection)
            Site.clear_site_root_paths_cache()
    return result
