"""Counting stays exact when many requests count at once, on SQLite too: the production
server (gunicorn, two worker processes, the production settings) on its own database file,
or on PostgreSQL when DATABASE_URL says so (see tests.deployment). Its workers add views up
and write them a moment later, while they run."""

import threading
import time

from tests.deployment import gunicorn, request

PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
THREADS, PER_THREAD = 8, 15

COUNTED = (
    "SELECT COALESCE(SUM(count), 0) AS n FROM campagnes_dailycount "
    "WHERE event = 'view' AND code = '{code}'"
)


def poster_views(deployment, url):
    """The demo poster's code, and a function that reads how many views it has."""
    rows = deployment.databases.rows
    (link,) = rows(url, "SELECT code FROM campagnes_trackedlink WHERE label = 'Poster mbo-school'")
    code = link["code"]
    return code, lambda: rows(url, COUNTED.format(code=code))[0]["n"]


def test_concurrent_views_through_a_tracked_link_are_all_counted(deployment, tmp_path):
    env, url = deployment.fresh("counting")
    code, counted = poster_views(deployment, url)
    before = counted()
    errors = []

    with gunicorn(env, tmp_path / "gunicorn.log") as server:

        def visit():
            try:
                for _ in range(PER_THREAD):
                    status, _headers, _body = request(
                        server.port, "GET", f"/rood-staan/?c={code}", headers={"User-Agent": PHONE}
                    )
                    if status != 200:
                        errors.append(status)
            except Exception as error:
                errors.append(repr(error))

        threads = [threading.Thread(target=visit) for _ in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # The workers add views up and write them a moment later (VIEW_COUNT_SECONDS).
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            written = counted() - before
            if written >= THREADS * PER_THREAD:
                break
            time.sleep(0.2)
        log = server.log_tail()

    assert not errors, f"{errors[:5]}\n{log}"
    assert written == THREADS * PER_THREAD, log
    # Stopping the workers writes nothing twice.
    after = counted()
    assert after - before == THREADS * PER_THREAD
    assert deployment.databases.integrity_check(url) == "ok"


def test_views_still_waiting_are_written_when_the_server_stops(deployment, tmp_path):
    env, url = deployment.fresh("counting-at-stop")
    code, counted = poster_views(deployment, url)
    before = counted()

    # A wait longer than the test: only the graceful stop (as on a deploy) writes them.
    with gunicorn({**env, "VIEW_COUNT_SECONDS": "600"}, tmp_path / "gunicorn.log") as server:
        for _ in range(12):
            status, _headers, _body = request(
                server.port, "GET", f"/rood-staan/?c={code}", headers={"User-Agent": PHONE}
            )
            assert status == 200
        waiting = counted() - before

    log = server.log_tail()  # after the stop: how each worker ended
    assert waiting == 0, log
    assert counted() - before == 12, log
