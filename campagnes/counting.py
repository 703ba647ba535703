"""Counting visits and steps to the intake without following anyone.

A count is a number in a day row (see DailyCount): no address, browser string or cookie is
kept. Requests that say they are bots or link previews are not counted at all.
"""

import atexit
import logging
import os
import random
import re
import threading
import time
from collections import Counter
from contextlib import contextmanager, suppress

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from campagnes.models import DailyCount, TrackedLink, normalise_code

BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|whatsapp|telegram|curl|wget|"
    r"python-requests|httpclient|headless|monitor|lighthouse",
    re.IGNORECASE,
)
VARIANTS = ("A", "B")
logger = logging.getLogger(__name__)
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
    if event == DailyCount.Event.VIEW and view_tally.seconds() > 0:
        view_tally.add(page_id, code=code, variant=variant, variant_page=variant_page or 0)
        return
    with without_waiting_for_the_disk(event == DailyCount.Event.VIEW):
        DailyCount.add(event, page_id, code=code, variant=variant, variant_page=variant_page or 0)


class ViewTally:
    """Views added up in this process for a moment, then written in one transaction.

    A landing page in a burst comes from the page cache in well under a millisecond; a write
    to the database for every view made the count, not the page, the limit (SQLite lets one
    writer in at a time, and every write is a transaction). So views wait here, at most
    VIEW_COUNT_SECONDS, and are written by a background thread; also when the process stops
    (gunicorn's graceful stop and restart end in `sys.exit`, which runs `atexit`) and before
    staff read figures in this process. The sum stays exact: each view is added once, and a
    write that fails is kept for the next try. Only a process killed outright (SIGKILL, a
    power cut) loses views: its last seconds' views, never a sign-up or a step to the intake,
    which are written in their own request. Figures may lag the views by those seconds.

    Workers write at the same moments (they all stop together on a deploy), so each writes its
    rows in one fixed order: two transactions locking the same rows in a different order is a
    deadlock on PostgreSQL, and at a stop there is no later try.
    """

    EXIT_ATTEMPTS = 3

    def __init__(self):
        self._reset()
        atexit.register(self.flush_before_exit)

    def _reset(self):
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.pending = Counter()
        self.timer = None

    @staticmethod
    def seconds():
        return getattr(settings, "VIEW_COUNT_SECONDS", 0)

    def add(self, page_id, *, code, variant, variant_page):
        if self.pid != os.getpid():  # a forked child starts with nothing of its parent's
            self._reset()
        key = (timezone.localdate(), page_id, code, variant, variant_page)
        with self.lock:
            self.pending[key] += 1
            self._start_timer()

    def _start_timer(self):
        """Called with the lock held: one write waits for all views that come meanwhile."""
        if self.timer is None:
            self.timer = threading.Timer(max(self.seconds(), 0.1), self._flush_in_background)
            self.timer.daemon = True
            self.timer.start()

    def _flush_in_background(self):
        from django.db import connections

        try:
            self.flush()
        finally:
            connections.close_all()  # this thread's own connections only

    def flush(self, try_again_later=True):
        """Write every view waiting in this process; what cannot be written waits again.
        True when nothing is left waiting."""
        if self.pid != os.getpid():
            return True
        with self.lock:
            taken, self.pending = self.pending, Counter()
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
        if not taken:
            return True
        try:
            self._write(taken)
        except Exception:
            logger.warning("View counts not written yet; trying again", exc_info=True)
            with self.lock:
                self.pending.update(taken)
                # When the interpreter is stopping no thread starts: the exit flush tries.
                if try_again_later:
                    with suppress(RuntimeError):
                        self._start_timer()
            return False
        return True

    def flush_before_exit(self):
        """At a stop no timer comes back: try again at once, a few times, then say so."""
        for attempt in range(self.EXIT_ATTEMPTS):
            if self.flush(try_again_later=False):
                return
            time.sleep(0.1 * (attempt + 1))
        logger.error("View counts lost at shutdown: %d views", sum(self.pending.values()))

    def _write(self, taken):
        from wagtail.models import Page

        # A page deleted meanwhile has no counts left to add to (they went with it).
        page_ids = {key[1] for key in taken}
        existing = set(Page.objects.filter(pk__in=page_ids).values_list("pk", flat=True))
        with without_waiting_for_the_disk(), transaction.atomic():
            for (day, page_id, code, variant, variant_page), amount in sorted(taken.items()):
                if page_id in existing:
                    DailyCount.add(
                        DailyCount.Event.VIEW,
                        page_id,
                        code=code,
                        variant=variant,
                        variant_page=variant_page,
                        day=day,
                        amount=amount,
                    )


view_tally = ViewTally()


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
