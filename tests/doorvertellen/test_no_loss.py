"""No sign-up is lost or stored twice by the production server under concurrent load.

The real thing, end to end: gunicorn with two sync workers and the production settings, on
loopback, in front of a throwaway database of the same kind the suite runs on (an SQLite file
in the plain run, a fresh PostgreSQL database in the PostgreSQL run). Sixteen "browsers" each
fetch the intake form once (CSRF cookie and token, signed render time) and then send their
share of the submissions, each with its own submission token and a sentinel name. The
database is then read directly and every personal field decrypted with the key the server got.

The second test kills a worker with SIGKILL five times during the load. A browser whose
request dies with its worker sends the same form again (same token), as a resident pressing
"send" once more would; every submission that got its thank-you redirect must be stored
exactly once, and no row may be incomplete.
"""

import http.client
import os
import secrets
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from cryptography.fernet import Fernet

from tests.deployment import gunicorn, request
from tests.helpers import form_inputs

SUBMISSIONS = 300
BROWSERS = 16
KILLS = 5
ATTEMPTS = 4  # the first try and up to three resubmits of the same form
LOAD_DEADLINE = 120  # a bound against hangs, generous for a busy 2-core machine
FORM_PATH = "/aanmelden/"
THANKS_PATH = "/aanmelden/bedankt/"
POSTCODE = "3311 AB"  # inside the demo service area (3300-3359)
PHONE = "06 12345678"
CSRF_COOKIE = "__Host-csrftoken"
ROWS_QUERY = (
    "SELECT submission_token, name, phone, email, best_time, message, postcode, consent_at,"
    " language FROM doorvertellen_intakerecord"
)


# --- Residents sending the form ---------------------------------------------------------------


@dataclass
class Submission:
    index: int
    token: str
    name: str
    message: str
    best_time: str
    attempts: int = 0
    status: int | None = None
    location: str = ""
    errors: list = field(default_factory=list)

    @property
    def succeeded(self):
        return self.status == 302 and self.location.endswith(THANKS_PATH)


@dataclass
class Load:
    submissions: list
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def finished_one(self):
        with self.lock:
            self.done += 1


def make_submissions(label):
    run = secrets.token_hex(3)
    times = ("any", "morning", "afternoon", "evening")
    return [
        Submission(
            index=i,
            token=str(uuid.uuid4()),
            name=f"Noloss {label} {run} #{i:04d}",
            message=f"Bericht {i} van run {run}: huurachterstand.",
            best_time=times[i % len(times)],
        )
        for i in range(SUBMISSIONS)
    ]


def with_retries(load, attempt):
    """Try once, and again (the same request) when the connection died: at most ATTEMPTS."""
    errors = []
    for _ in range(ATTEMPTS):
        if load.stop.is_set():
            break
        try:
            return attempt(), errors
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.2)
    return None, errors


def browser(server, load, share):
    """One resident's browser: fetch the form once, then send each of `share` with it."""
    response, errors = with_retries(load, lambda: request(server.port, "GET", FORM_PATH))
    if response is None or response[0] != 200:
        for submission in share:
            submission.errors = [*errors, f"form: {response and response[0]}"]
            load.finished_one()
        return
    _status, headers, body = response
    cookies = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    csrf_cookie = cookies[CSRF_COOKIE].value
    shown = form_inputs(body.decode())
    for submission in share:
        fields = {
            **shown,
            "token": submission.token,
            "name": submission.name,
            "phone": PHONE,
            "email": "",
            "best_time": submission.best_time,
            "message": submission.message,
            "postcode": POSTCODE,
            "consent": "on",
            "website": "",
        }
        payload = urlencode(fields)
        post_headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{CSRF_COOKIE}={csrf_cookie}",
            "Origin": server.origin,
            "Referer": server.origin + FORM_PATH,
        }

        def send(payload=payload, post_headers=post_headers, submission=submission):
            submission.attempts += 1
            return request(server.port, "POST", FORM_PATH, payload, post_headers)

        response, submission.errors = with_retries(load, send)
        if response is not None:
            submission.status = response[0]
            submission.location = response[1].get("Location", "")
            if not submission.succeeded:
                submission.errors.append(response[2][:300].decode(errors="replace"))
        load.finished_one()


def run_load(server, submissions, during=None):
    """All submissions from BROWSERS browsers at once; `during(load)` runs meanwhile."""
    load = Load(submissions)
    shares = [submissions[i::BROWSERS] for i in range(BROWSERS)]
    started = time.monotonic()
    with ThreadPoolExecutor(BROWSERS) as pool:
        futures = [pool.submit(browser, server, load, share) for share in shares]
        try:
            if during is not None:
                during(load)
            finished, pending = wait_for_futures(futures, timeout=LOAD_DEADLINE)
            assert not pending, f"the load took over {LOAD_DEADLINE}s:\n{server.log_tail()}"
            for future in finished:
                future.result()
        finally:
            load.stop.set()
    return time.monotonic() - started


# --- Checking what was stored ---------------------------------------------------------------


def decrypt(fernet, stored):
    assert stored.startswith("enc:"), "a personal field was stored in plain text"
    return fernet.decrypt(stored[len("enc:") :].encode()).decode()


def check_rows(rows, submissions, field_key):
    """Every row is one of ours and complete; returns the tokens stored, with their counts."""
    fernet = Fernet(field_key.encode())
    sent = {uuid.UUID(s.token): s for s in submissions}
    stored = Counter()
    for row in rows:
        token = uuid.UUID(str(row["submission_token"]))
        stored[token] += 1
        submission = sent.get(token)
        assert submission is not None, f"a row with a token nobody sent: {token}"
        assert row["consent_at"], f"no consent time: {submission.name}"
        assert decrypt(fernet, row["name"]) == submission.name
        assert decrypt(fernet, row["phone"]) == PHONE
        assert decrypt(fernet, row["postcode"]) == POSTCODE
        assert decrypt(fernet, row["message"]) == submission.message
        assert row["email"] == ""
        assert row["best_time"] == submission.best_time
        assert row["language"] == "nl"
    duplicates = [token for token, count in stored.items() if count > 1]
    assert not duplicates, f"stored more than once: {duplicates}"
    return stored


def failures(submissions):
    return [(s.index, s.status, s.location, s.errors[-3:]) for s in submissions if not s.succeeded]


# --- The tests ------------------------------------------------------------------------------


def test_every_concurrent_sign_up_is_stored_once(deployment, tmp_path):
    env, url = deployment.fresh("steady")
    submissions = make_submissions("steady")
    with gunicorn(env, tmp_path / "gunicorn.log") as server:
        seconds = run_load(server, submissions)
        log = server.log_tail()

    failed = failures(submissions)
    assert not failed, f"{len(failed)} submissions failed: {failed[:5]}\n{log}"
    assert all(s.attempts == 1 for s in submissions), "a request failed without a killed worker"
    rows = deployment.databases.rows(url, ROWS_QUERY)
    assert len(rows) == SUBMISSIONS
    stored = check_rows(rows, submissions, deployment.field_key)
    assert set(stored) == {uuid.UUID(s.token) for s in submissions}
    assert deployment.databases.integrity_check(url) == "ok"
    print(f"\n{SUBMISSIONS} sign-ups, {BROWSERS} at once: {seconds:.1f}s, {len(rows)} rows")


def test_killed_workers_lose_no_confirmed_sign_up(deployment, tmp_path):
    env, url = deployment.fresh("killed")
    submissions = make_submissions("killed")
    killed = []

    def kill_workers(load):
        """SIGKILL the longest-running worker at 1/6, 2/6 ... 5/6 of the load."""
        for round_ in range(1, KILLS + 1):
            deadline = time.monotonic() + LOAD_DEADLINE
            while load.done < round_ * SUBMISSIONS // (KILLS + 1):
                assert time.monotonic() < deadline, "the load stalled"
                time.sleep(0.01)
            # The master has started the previous victim's replacement: two workers again.
            while len(workers := server.workers()) < 2:
                assert time.monotonic() < deadline, f"no new worker:\n{server.log_tail()}"
                time.sleep(0.02)
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])

    with gunicorn(env, tmp_path / "gunicorn.log") as server:
        seconds = run_load(server, submissions, during=kill_workers)
        # The server survived: the master replaced every killed worker and still answers.
        deadline = time.monotonic() + 30
        while set(workers := server.workers()) & set(killed) or len(workers) < 2:
            assert time.monotonic() < deadline, f"workers not replaced:\n{server.log_tail()}"
            time.sleep(0.05)
        assert request(server.port, "GET", "/healthz/")[0] == 200
        assert server.process.poll() is None
        log = server.log.read_text(errors="replace")

    assert len(set(killed)) == KILLS
    assert log.count("was sent SIGKILL") == KILLS, log[-3000:]
    rows = deployment.databases.rows(url, ROWS_QUERY)
    stored = check_rows(rows, submissions, deployment.field_key)
    confirmed = {uuid.UUID(s.token) for s in submissions if s.succeeded}
    missing = confirmed - set(stored)
    assert not missing, f"confirmed but not stored: {len(missing)}"
    # Every form was eventually accepted: the resubmits of the same token made that so.
    failed = failures(submissions)
    assert not failed, f"{len(failed)} submissions failed: {failed[:5]}"
    assert len(rows) == SUBMISSIONS
    assert deployment.databases.integrity_check(url) == "ok"
    resubmitted = sum(1 for s in submissions if s.attempts > 1)
    # The workers are never idle under this load: a kill drops the request it was handling.
    assert resubmitted >= 1, "no kill hit a sign-up in flight"
    print(
        f"\n{SUBMISSIONS} sign-ups with {KILLS} workers killed: {seconds:.1f}s, "
        f"{resubmitted} sent again after a dropped connection, {len(rows)} rows"
    )
