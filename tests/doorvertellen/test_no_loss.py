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
import importlib.util
import os
import re
import secrets
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_for_futures
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from cryptography.fernet import Fernet

from tests.helpers import BASE_DIR, form_inputs, run_python

SUBMISSIONS = 300
BROWSERS = 16
KILLS = 5
ATTEMPTS = 4  # the first try and up to three resubmits of the same form
REQUEST_TIMEOUT = 30  # as gunicorn's worker timeout
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


def on_postgresql():
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


# --- A throwaway database, prepared as a deployment would be --------------------------------


def run_manage(env, *args, timeout=240):
    result = run_python("manage.py", *args, env=env, timeout=timeout)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"


def server_env(base, database_url, field_key):
    """Production settings with their secrets; nothing inherited from the test run."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(base),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "doorvertellen.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "FIELD_ENCRYPTION_KEYS": field_key,
        "DATABASE_URL": database_url,
        # The test speaks plain HTTP on loopback and says "https" in X-Forwarded-Proto, as
        # the TLS-terminating proxy in front of the app does (SECURE_PROXY_SSL_HEADER).
        "SECURE_SSL_REDIRECT": "0",
        # Notifications run in the request (and go nowhere), so no task worker is needed.
        "TASKS_USE_DATABASE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "INTAKE_NOTIFY_EMAILS": "",
        "PUBLIC_FORM_MIN_SECONDS": "0",
        "PUBLIC_FORM_RATE_LIMIT": "100000",
        "DOORVERTELLEN_VAR_DIR": str(base / "var"),
        "MEDIA_ROOT": str(base / "media"),
        "STATIC_ROOT": str(base / "static"),
    }


class Databases:
    """One migrated database with the demo site, copied afresh for every test."""

    def __init__(self, base):
        self.base = base
        self.postgres = on_postgresql()
        self.created = []
        if self.postgres:
            parts = urlsplit(os.environ["DATABASE_URL"])
            self._url = lambda name: urlunsplit(parts._replace(path=f"/{name}"))
            self.admin_url = self._url("postgres")

    def new_url(self, label):
        if not self.postgres:
            return f"sqlite:///{self.base / f'{label}.sqlite3'}"
        import psycopg

        name = f"doorvertellen_noloss_{secrets.token_hex(6)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self._url(name)

    def copy(self, template_url, label):
        if not self.postgres:
            url = self.new_url(label)
            src, dst = sqlite3.connect(self.path(template_url)), sqlite3.connect(self.path(url))
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
            return url
        import psycopg

        template = urlsplit(template_url).path.lstrip("/")
        name = f"doorvertellen_noloss_{secrets.token_hex(6)}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for attempt in range(20):  # the last migrate connection may still be closing
                try:
                    conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                    break
                except psycopg.errors.ObjectInUse:
                    if attempt == 19:
                        raise
                    time.sleep(0.25)
        self.created.append(name)
        return self._url(name)

    @staticmethod
    def path(url):
        return url.removeprefix("sqlite:///")

    def rows(self, url):
        if self.postgres:
            import psycopg

            with psycopg.connect(url) as conn:
                cursor = conn.execute(ROWS_QUERY)
                fetched = cursor.fetchall()
        else:
            conn = sqlite3.connect(self.path(url))
            try:
                cursor = conn.execute(ROWS_QUERY)
                fetched = cursor.fetchall()
            finally:
                conn.close()
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in fetched]

    def integrity_check(self, url):
        if self.postgres:
            return "ok"  # PostgreSQL has no such pragma; its WAL replay is not ours to test
        conn = sqlite3.connect(self.path(url))
        try:
            return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        finally:
            conn.close()

    def drop_all(self):
        if not self.created:
            return
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Deployment:
    base: Path
    databases: Databases
    template_url: str
    field_key: str

    def fresh(self, label):
        """The environment of a server on its own copy of the prepared database."""
        url = self.databases.copy(self.template_url, label)
        return server_env(self.base, url, self.field_key), url


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if importlib.util.find_spec("gunicorn") is None:
        pytest.fail("gunicorn is a project dependency: pip install -e .")
    base = tmp_path_factory.mktemp("noloss")
    databases = Databases(base)
    field_key = Fernet.generate_key().decode()
    try:
        template_url = databases.new_url("template")
        env = server_env(base, template_url, field_key)
        # Templates use {% static %}: the manifest storage needs collectstatic's manifest.
        static_log = base / "collectstatic.log"
        with static_log.open("w") as out:
            static = subprocess.Popen(
                [sys.executable, "manage.py", "collectstatic", "--noinput"],
                cwd=BASE_DIR,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            run_manage(env, "migrate", "--noinput")
            run_manage(env, "load_demo_content")
            static.wait(timeout=120)
        finally:
            if static.poll() is None:
                static.kill()
                static.wait()
        assert static.returncode == 0, f"collectstatic:\n{static_log.read_text()}"
        yield Deployment(base, databases, template_url, field_key)
    finally:
        databases.drop_all()


# --- The production server ------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    log: Path
    port: int = 0

    @property
    def origin(self):
        return f"https://127.0.0.1:{self.port}"

    def log_tail(self, lines=40):
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def workers(self):
        """The master's live child processes, longest-running first."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path("/proc", entry, "stat").read_text()
            except OSError:
                continue
            state, ppid, *rest = stat.rsplit(")", 1)[1].split()
            if int(ppid) == self.process.pid and state not in ("Z", "X"):
                found.append((int(rest[17]), int(entry)))  # field 22: start time
        return [pid for _start, pid in sorted(found)]


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request(
            method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})}
        )
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


@contextmanager
def gunicorn(env, log):
    """`gunicorn doorvertellen.wsgi` as deployed, two workers, on a free loopback port."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "doorvertellen.wsgi"),
                *("--workers", "2", "--bind", "127.0.0.1:0"),
                *("--graceful-timeout", "2", "--timeout", "30"),
                # Not the shared ~/.gunicorn/gunicorn.ctl: test runs may overlap.
                "--no-control-socket",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"gunicorn stopped:\n{server.log_tail()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{server.log_tail()}"
            if not server.port:
                found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
                server.port = int(found.group(1)) if found else 0
            if server.port:
                try:
                    status, _headers, _body = request(server.port, "GET", "/healthz/")
                    if status == 200 and len(server.workers()) == 2:
                        break
                except OSError:
                    pass
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
    rows = deployment.databases.rows(url)
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
    rows = deployment.databases.rows(url)
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
