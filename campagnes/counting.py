"""Counting visits and steps to the intake without following anyone.

A count is a number in a day row (see DailyCount): no address, browser string or cookie is
kept. Requests that say they are bots or link previews are not counted at all.
"""

import random
import re
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction

from campagnes.models import DailyCount, TrackedLink, normalise_code

BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|whatsapp|telegram|curl|wget|"
    r"python-requests|httpclient|headless|monitor|lighthouse",
    re.IGNORECASE,
)
VARIANTS = ("A", "B")
KNOWN_CODE_SECONDS = 300


def is_bot(request):
    agent = request.META.get("HTTP_USER_AGENT", "")
    return not agent or bool(BOT_RE.search(agent))


def known_code(raw):
    """The code if a tracked link has it, else "": made-up codes do not create rows."""
    code = normalise_code(raw)
    if not code:
        return ""
    key = f"campagnes:code:{code}"
    known = cache.get(key)
    if known is None:
        known = TrackedLink.objects.filter(code=code).exists()
        cache.set(key, known, KNOWN_CODE_SECONDS)
    return code if known else ""


def request_code(request):
    return known_code(request.GET.get("c", ""))


def choose_variant(request, page):
    """Give this view version A or B at random (no cookie: the version travels in links).

    The page cache may ask for a version it has not kept yet (`forced_campaign_variant`).
    """
    if not page.has_variants:
        variant = ""
    else:
        forced = getattr(request, "forced_campaign_variant", "")
        variant = forced if forced in VARIANTS else random.choice(VARIANTS)
    request.campaign_variant = variant
    # What links on the page carry on (see doorvertellen_tags.campaign_version): the version
    # with its page, so a sign-up after a story still counts for this page's version.
    request.campaign_version = f"{variant}{page.pk}" if variant else ""
    return variant


def clean_variant(raw):
    raw = (raw or "").upper()
    return raw if raw in VARIANTS else ""


def count_view(request, page_id, *, landing_page, variant=""):
    """A view of a landing page, or of any page reached through a tracked link.

    Called when the page is rendered and when the page cache serves it (the same count).
    """
    code = request_code(request)
    if landing_page:
        count(
            request,
            DailyCount.Event.VIEW,
            page_id,
            code=code,
            variant=variant,
            variant_page=page_id if variant else 0,
        )
    elif code:
        count(request, DailyCount.Event.VIEW, page_id, code=code)


def count(request, event, page_id, *, code="", variant="", variant_page=0):
    if is_bot(request) or not page_id:
        return
    if not variant:
        variant_page = 0
    with without_waiting_for_the_disk(event == DailyCount.Event.VIEW):
        DailyCount.add(event, page_id, code=code, variant=variant, variant_page=variant_page or 0)


@contextmanager
def without_waiting_for_the_disk(applies=True):
    """Commit a view count without waiting until the disk has it (no fsync of its own).

    Every view is counted, also when the page cache answers it; waiting for the disk on each
    one made the count, not the page, the limit of a landing page in a burst of visitors. The
    count is the same atomic UPDATE as before and reaches the database file (SQLite's WAL) or
    server (PostgreSQL) before the page is sent, so a worker or the whole app crashing loses
    nothing. Only a power cut or a crash of the machine itself can lose the views of the last
    moments (SQLite: until the next sign-up or checkpoint writes the log to disk; PostgreSQL:
    at most three times `wal_writer_delay`), never corrupt the database. Sign-ups, steps to
    the intake and every other write still wait for the disk.
    """
    if not applies or connection.in_atomic_block:  # a caller's transaction keeps its own rules
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection  # connection settings, as init_command: no query
        (level,) = raw.execute("PRAGMA synchronous").fetchone()
        if level <= 1:  # already NORMAL or OFF
            yield
            return
        raw.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            raw.execute(f"PRAGMA synchronous = {int(level)}")
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            connection.connection.execute("SET LOCAL synchronous_commit = off")
            yield
    else:
        yield
