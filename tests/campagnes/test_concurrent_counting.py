"""Counting stays exact when many requests count at once, on SQLite too: the production
server (gunicorn, two worker processes, the production settings) on its own database file,
or on PostgreSQL when DATABASE_URL says so (see tests.deployment)."""

import threading

from tests.deployment import gunicorn, request

PHONE = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
THREADS, PER_THREAD = 8, 15

COUNTED = (
    "SELECT COALESCE(SUM(count), 0) AS n FROM campagnes_dailycount "
    "WHERE event = 'view' AND code = '{code}'"
)


def test_concurrent_views_through_a_tracked_link_are_all_counted(deployment, tmp_path):
    env, url = deployment.fresh("counting")
    rows = deployment.databases.rows
    (link,) = rows(url, "SELECT code FROM campagnes_trackedlink WHERE label = 'Poster mbo-school'")
    code = link["code"]
    before = rows(url, COUNTED.format(code=code))[0]["n"]
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
        log = server.log_tail()

    assert not errors, f"{errors[:5]}\n{log}"
    after = rows(url, COUNTED.format(code=code))[0]["n"]
    assert after - before == THREADS * PER_THREAD
    assert deployment.databases.integrity_check(url) == "ok"
