"""The production server on loopback, as a deployment runs it, for tests and the bench.

gunicorn with the production settings and their secrets, in front of a throwaway database of
the kind the suite runs on (an SQLite file, or a fresh PostgreSQL database when DATABASE_URL
points at PostgreSQL), with the demo site loaded and the static files collected.
"""

import http.client
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.helpers import BASE_DIR, run_python

REQUEST_TIMEOUT = 30  # as gunicorn's worker timeout


def on_postgresql():
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


# --- A throwaway database, prepared as a deployment would be --------------------------------


def run_manage(env, *args, timeout=900):  # generous: a busy machine migrates slowly
    result = run_python("manage.py", *args, env=env, timeout=timeout)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"


def server_env(base, database_url, field_key, **extra):
    """Production settings with their secrets; nothing inherited from the test run."""
    env = {
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
    env.update(extra)
    return env


class Databases:
    """One migrated database with the demo site, copied afresh for every test."""

    def __init__(self, base, prefix="doorvertellen_loopback"):
        self.base = base
        self.prefix = prefix
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

        name = f"{self.prefix}_{secrets.token_hex(6)}"
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
        name = f"{self.prefix}_{secrets.token_hex(6)}"
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

    def rows(self, url, query):
        """The rows of a raw SQL query, as dicts: what the database really holds."""
        if self.postgres:
            import psycopg

            with psycopg.connect(url) as conn:
                cursor = conn.execute(query)
                fetched = cursor.fetchall()
        else:
            conn = sqlite3.connect(self.path(url))
            try:
                cursor = conn.execute(query)
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


def prepare(base, databases, field_key, **extra):
    """Migrate a new database, load the demo site and collect the static files, as a deploy
    does; returns the database's URL."""
    template_url = databases.new_url("template")
    env = server_env(base, template_url, field_key, **extra)
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
        static.wait(timeout=600)
    finally:
        if static.poll() is None:
            static.kill()
            static.wait()
    assert static.returncode == 0, f"collectstatic:\n{static_log.read_text()}"
    return template_url


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
def gunicorn(env, log, workers=2):
    """`gunicorn doorvertellen.wsgi` as deployed, on a free loopback port."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "doorvertellen.wsgi"),
                *("--workers", str(workers), "--bind", "127.0.0.1:0"),
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
                    if status == 200 and len(server.workers()) == workers:
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


@dataclass
class Deployment:
    """A prepared database (migrated, the demo site) that each server gets a copy of."""

    base: Path
    databases: Databases
    template_url: str
    field_key: str

    def fresh(self, label, **extra):
        """The environment of a server on its own copy of the prepared database."""
        url = self.databases.copy(self.template_url, label)
        return server_env(self.base, url, self.field_key, **extra), url
