"""Backup and restore: a restore into a fresh database gives identical content.

`manage.py backup` and `manage.py restore` run as subprocesses, as an operator runs them, on
throwaway databases and media folders (dev settings, which take MEDIA_ROOT from the
environment); pytest-django's test database is never involved. The source is seeded with the
factories behind conftest's `intake_page` and `story` fixtures, plus an intake record and an
image rendition, so encrypted columns and real image files are in the backup.

Migrating takes some 25 s on SQLite and 40 s on PostgreSQL, so each source is migrated once
per module, and the PostgreSQL round trip runs in a background thread while the SQLite tests
run.
"""

import json
import os
import secrets
import sqlite3
import stat
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from doorvertellen import backup
from doorvertellen.encryption import decrypt
from tests.helpers import run_python

INTAKE_NAME = "Sanne de Vries"

SEED = f"""
from django.core.management import call_command
call_command("migrate", verbosity=0)
from doorvertellen.factories import IntakePageFactory, IntakeRecordFactory, make_home_site
from verhalen.factories import StoryIndexPageFactory, StoryPageFactory, StoryThemeFactory
home = make_home_site()
intake_page = IntakePageFactory(parent=home)
theme = StoryThemeFactory(name="Huurachterstand", slug="huurachterstand")
story = StoryPageFactory(
    parent=StoryIndexPageFactory(parent=home),
    title="Hoe Sandra weer rust kreeg",
    display_name="Sandra",
    themes=[theme],
    with_photo=True,
)
story.photo.get_rendition("fill-120x90")
IntakeRecordFactory(name={INTAKE_NAME!r}, source_page=intake_page)
"""


def command_env(var_dir, database_url):
    """A clean environment: nothing inherited from the test run or the developer's shell."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "doorvertellen.settings.dev",
        "DOORVERTELLEN_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "DATABASE_URL": database_url,
        "FIELD_ENCRYPTION_KEYS": settings.FIELD_ENCRYPTION_KEYS[0],
    }


def sqlite_env(var_dir):
    return command_env(var_dir, f"sqlite:///{var_dir / 'db.sqlite3'}")


def manage(env, *args, ok=True):
    result = run_python("manage.py", *args, env=env)
    if ok and result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result


def make_backup(env, output_dir):
    result = manage(env, "backup", str(output_dir))
    folder = Path(result.stdout.strip().splitlines()[-1])
    assert folder.parent == Path(output_dir).resolve()
    return result, folder


def read_manifest(folder):
    return json.loads((folder / backup.MANIFEST_NAME).read_text())


def sqlite_state(path):
    conn = backup.open_sqlite(path)
    try:
        return backup.database_state(conn, "sqlite")
    finally:
        conn.close()


def sqlite_copy(source, target):
    """A consistent copy, made as the backup command makes one."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def files_under(root):
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def assert_identical(manifest, state):
    assert state["tables"] == manifest["database"]["tables"]
    assert state["migrations"] == manifest["database"]["migrations"]


def assert_seeded(manifest):
    tables = manifest["database"]["tables"]
    for table in (
        "doorvertellen_intakepage",
        "doorvertellen_intakerecord",
        "verhalen_storypage",
        "wagtailimages_image",
        "wagtailimages_rendition",
    ):
        assert tables[table]["rows"] == 1, table
    media = manifest["media"]["files"]
    assert any(name.startswith("original_images/") for name in media)
    assert any(name.startswith("images/") for name in media)


# --- SQLite ----------------------------------------------------------------------------------


@dataclass
class Source:
    env: dict
    var_dir: Path
    backup: Path
    output: str

    @property
    def database(self):
        return self.var_dir / "db.sqlite3"

    @property
    def media(self):
        return self.var_dir / "media"


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory, postgres_round_trip):
    """A migrated, seeded SQLite database with its media, and a backup of both."""
    var_dir = tmp_path_factory.mktemp("sqlite-source")
    env = sqlite_env(var_dir)
    manage(env, "shell", "-c", SEED)
    result, folder = make_backup(env, tmp_path_factory.mktemp("sqlite-backups"))
    return Source(env, var_dir, folder, result.stdout)


def test_backup_is_private_and_says_the_keys_are_not_in_it(sqlite_source):
    folder = sqlite_source.backup
    assert folder.name.startswith(backup.FOLDER_PREFIX)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = {path.name for path in folder.iterdir()}
    assert names == {"manifest.json", "database.sqlite3", "media.tar"}
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert "FIELD_ENCRYPTION_KEYS" in sqlite_source.output
    assert "NOT in the backup" in sqlite_source.output

    manifest = read_manifest(folder)
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["database"]["migrations"]["doorvertellen"].startswith("0")
    assert manifest["encryption"]["keys_included"] is False
    assert "doorvertellen_intakerecord.name" in manifest["encryption"]["encrypted_columns"]
    assert_seeded(manifest)
    for name, digest in manifest["files"].items():
        assert backup.file_digest(folder / name) == digest
    # The copy is exactly the source (nothing was written since the backup).
    assert_identical(manifest, sqlite_state(sqlite_source.database))


def test_sqlite_restore_into_a_fresh_database_gives_identical_content(sqlite_source, tmp_path):
    target = tmp_path / "fresh"
    result = manage(sqlite_env(target), "restore", str(sqlite_source.backup))
    assert "match the backup" in result.stdout

    restored = sqlite_state(target / "db.sqlite3")
    assert restored == sqlite_state(sqlite_source.database)
    assert_identical(read_manifest(sqlite_source.backup), restored)
    assert files_under(target / "media") == files_under(sqlite_source.media)

    # Personal data stays encrypted in the file, and the same key reads it.
    with closing(sqlite3.connect(target / "db.sqlite3")) as conn:
        (stored,) = conn.execute("SELECT name FROM doorvertellen_intakerecord").fetchone()
    assert INTAKE_NAME not in stored
    assert decrypt(stored) == INTAKE_NAME


def test_a_tampered_backup_is_refused_and_changes_nothing(sqlite_source, tmp_path):
    tampered = tmp_path / "backup"
    tampered.mkdir()
    for path in sqlite_source.backup.iterdir():
        (tampered / path.name).write_bytes(path.read_bytes())
    with open(tampered / "database.sqlite3", "r+b") as f:
        f.seek(-100, os.SEEK_END)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0xFF]))

    # A target that a good backup would replace (--yes): only the checksum stops it.
    target = tmp_path / "target"
    target.mkdir()
    sqlite_copy(sqlite_source.database, target / "db.sqlite3")
    (target / "media").mkdir()
    (target / "media" / "keep.txt").write_text("van voor de restore")
    before = sqlite_state(target / "db.sqlite3")

    result = manage(sqlite_env(target), "restore", str(tampered), "--yes", ok=False)
    assert result.returncode != 0
    assert "database.sqlite3: does not match its checksum" in result.stderr
    assert "nothing was restored or changed" in result.stderr
    assert sqlite_state(target / "db.sqlite3") == before
    assert files_under(target / "media") == {"keep.txt": b"van voor de restore"}


def test_restore_into_a_database_with_data_needs_yes(sqlite_source, tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    sqlite_copy(sqlite_source.database, target / "db.sqlite3")
    with closing(sqlite3.connect(target / "db.sqlite3")) as conn, conn:
        conn.execute("DELETE FROM doorvertellen_intakerecord")
    changed = sqlite_state(target / "db.sqlite3")
    env = sqlite_env(target)

    refused = manage(env, "restore", str(sqlite_source.backup), ok=False)
    assert refused.returncode != 0
    assert "Refusing to restore: the database holds data" in refused.stderr
    assert sqlite_state(target / "db.sqlite3") == changed
    assert not (target / "media").exists()

    (target / "media").mkdir()
    (target / "media" / "stray.txt").write_text("niet in de backup")
    result = manage(env, "restore", str(sqlite_source.backup), "--yes")
    assert_identical(read_manifest(sqlite_source.backup), sqlite_state(target / "db.sqlite3"))
    media = files_under(target / "media")
    assert media.pop("stray.txt") == b"niet in de backup"  # left in place, and said so
    assert "1 files under MEDIA_ROOT are not in the backup" in result.stdout
    assert media == files_under(sqlite_source.media)
    assert not list(target.glob(".db.sqlite3.restore-*"))


def test_verify_backup_names_every_missing_or_changed_file(sqlite_source, tmp_path):
    """The checks restore runs before it changes anything (in process: no database)."""
    copy = tmp_path / "backup"
    copy.mkdir()
    for path in sqlite_source.backup.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    manifest = read_manifest(copy)
    assert backup.verify_backup(copy, manifest) == []

    (copy / "media.tar").unlink()
    assert backup.verify_backup(copy, manifest) == ["media.tar: missing"]

    (copy / "media.tar").write_bytes((sqlite_source.backup / "media.tar").read_bytes())
    name = sorted(manifest["media"]["files"])[0]
    manifest["media"]["files"][name]["sha256"] = "0" * 64
    assert backup.verify_backup(copy, manifest) == [
        f"media.tar: {name} does not match its checksum"
    ]


# --- PostgreSQL ------------------------------------------------------------------------------


def postgres_server():
    """libpq parameters of the PostgreSQL server the suite may use, as in the Makefile."""
    from psycopg.conninfo import conninfo_to_dict

    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    params = conninfo_to_dict(url)
    params["dbname"] = "postgres"
    return params


def postgres_url(params, name):
    user = quote(params.get("user", ""), safe="")
    password = params.get("password")
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@" if user else ""
    host = params.get("host") or "127.0.0.1"
    return f"postgres://{auth}{host}:{params.get('port') or 5432}/{name}"


@dataclass
class PostgresRun:
    future: object  # of postgres_round_trip_steps
    names: dict
    server: dict


def postgres_round_trip_steps(server, names, tmp_dir):
    """Migrate and seed the source, back it up, restore into the (empty) target."""
    source_env = command_env(tmp_dir / "source", postgres_url(server, names["source"]))
    target_env = command_env(tmp_dir / "target", postgres_url(server, names["target"]))
    manage(source_env, "shell", "-c", SEED)
    _result, folder = make_backup(source_env, tmp_dir / "backups")
    restored = manage(target_env, "restore", str(folder))
    return {"backup": folder, "restore_output": restored.stdout, "tmp": tmp_dir}


@pytest.fixture(scope="module")
def postgres_round_trip(request, tmp_path_factory):
    """The PostgreSQL round trip, started at once in a background thread.

    None when the PostgreSQL test is not selected; a skip reason (str) when no server answers.
    """
    selected = [item for item in request.session.items if item.module is request.module]
    if not any(item.name.startswith("test_postgres") for item in selected):
        yield None
        return
    import psycopg

    server = postgres_server()
    try:
        admin = psycopg.connect(**server, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        yield f"No PostgreSQL server answers at {postgres_url(server, 'postgres')}: {exc}"
        return
    token = secrets.token_hex(4)
    names = {
        "source": f"doorvertellen_backup_src_{token}",
        "target": f"doorvertellen_backup_dst_{token}",
    }

    def drop_databases():
        for name in names.values():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    try:
        for name in names.values():
            admin.execute(f'CREATE DATABASE "{name}"')
            # Throwaway databases: no need to wait for the disk at every commit.
            admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    except psycopg.Error as exc:
        drop_databases()
        yield f"Cannot create throwaway databases on the PostgreSQL server: {exc}"
        return
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(
                postgres_round_trip_steps, server, names, tmp_path_factory.mktemp("postgres")
            )
            yield PostgresRun(future, names, server)
            future.exception()  # wait: no database is dropped while a command uses it
    finally:
        drop_databases()


def postgres_state(server, name):
    import psycopg

    with psycopg.connect(**{**server, "dbname": name}) as conn:
        return backup.database_state(conn, "postgresql")


def test_postgres_restore_into_a_fresh_database_gives_identical_content(postgres_round_trip):
    import psycopg

    if isinstance(postgres_round_trip, str):
        pytest.skip(postgres_round_trip)
    run = postgres_round_trip.future.result()
    names, server = postgres_round_trip.names, postgres_round_trip.server
    manifest = read_manifest(run["backup"])
    assert manifest["database"]["vendor"] == "postgresql"
    assert (run["backup"] / "database.pgdump").is_file()
    assert "match the backup" in run["restore_output"]
    assert_seeded(manifest)

    restored = postgres_state(server, names["target"])
    assert restored == postgres_state(server, names["source"])
    assert_identical(manifest, restored)
    tmp = run["tmp"]
    assert files_under(tmp / "target" / "media") == files_under(tmp / "source" / "media")

    with psycopg.connect(**{**server, "dbname": names["target"]}) as conn:
        (stored,) = conn.execute("SELECT name FROM doorvertellen_intakerecord").fetchone()
    assert INTAKE_NAME not in stored
    assert decrypt(stored) == INTAKE_NAME
