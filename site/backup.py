"""Backups of database and media: the manifest, its checksums and the content fingerprint.

Shared by `manage.py backup` and `manage.py restore`, so that a backup and the check after a
restore compute the very same thing. Nothing here knows about pages or intake records: the
database is read table by table, below the ORM.

Content fingerprint. Every table gets a row count and a SHA-256 over a canonical
serialisation of its rows: a first line with the column names, then one line per row, rows
ordered by primary key (tables without one: by all columns), every value as text (NULL stays
null) and each line a compact JSON array. Both commands read the database through their own
plain connection (`open_database`), never through Django's, so no type converters or session
settings of Django's can make the two sides differ:

- SQLite: a plain `sqlite3` connection (no type detection); bytes become hex, floats their
  shortest exact `repr`.
- PostgreSQL: a psycopg connection; every value is cast to `text` by the server, with the
  session settings that shape text output (TimeZone, DateStyle, IntervalStyle,
  extra_float_digits, bytea_output) pinned, and text keys compared bytewise (COLLATE "C").

The hashes compare a restore with the database it came from on the same kind of database; they
are not meant to compare a SQLite database with a PostgreSQL one.
"""

import hashlib
import json
import os
import posixpath
import sqlite3
import tarfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import CommandError

FORMAT = "doorvertellen-backup"
FORMAT_VERSION = 1
FOLDER_PREFIX = "doorvertellen-backup-"
MANIFEST_NAME = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_ARCHIVE = "media.tar"
# A restore unpacks media here (inside MEDIA_ROOT, so the final moves stay on one file
# system); a backup never includes such a folder.
RESTORE_STAGING_PREFIX = ".doorvertellen-restore-"
# Tables that say nothing about whether a database holds content.
BOOKKEEPING_TABLES = {"django_migrations"}

KEYS_NOTICE = (
    "This backup holds personal data. Encrypted columns stay encrypted in it, but the "
    "encryption keys are NOT in the backup: restoring needs the same FIELD_ENCRYPTION_KEYS "
    "(keep them apart from the backups). Store the backup where only administrators can read "
    "it, and delete it when its retention period has passed."
)

_CHUNK = 1024 * 1024
_ROWS_PER_FETCH = 2000


# --- Files -------------------------------------------------------------------------------


class HashingReader:
    """A read-only file wrapper that hashes exactly the bytes that were read."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.hash.update(data)
        self.size += len(data)
        return data

    def digest(self):
        return {"sha256": self.hash.hexdigest(), "size": self.size}


def file_digest(path):
    """{"sha256": ..., "size": ...} of a file."""
    with open(path, "rb") as f:
        reader = HashingReader(f)
        while reader.read(_CHUNK):
            pass
    return reader.digest()


def is_inside(path, folder):
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def fsync_dir(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def media_root():
    """The folder of the default storage, which must be the local file system."""
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise CommandError(
            f"The default file storage is {type(storage).__name__}, not a local "
            "FileSystemStorage: backup and restore only handle media under MEDIA_ROOT. Back "
            "up object storage (S3) with the provider's own means."
        )
    return Path(storage.location)


def encrypted_fields():
    """[(model, field)] for every encrypted personal column."""
    from doorvertellen.encryption import EncryptedTextField

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


# --- Database connections -------------------------------------------------------------------


def vendor_of(db_settings):
    engine = db_settings["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return "sqlite"
    if engine == "django.db.backends.postgresql":
        return "postgresql"
    raise CommandError(f"Backups support SQLite and PostgreSQL, not {engine}.")


def sqlite_path(db_settings):
    name = str(db_settings["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError(f"Cannot back up or restore the SQLite database {name!r}.")
    return Path(name)


def open_sqlite(path, readonly=True):
    """A plain sqlite3 connection (no type converters) to an existing database file."""
    mode = "ro" if readonly else "rw"
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode={mode}", uri=True, timeout=20)
    conn.isolation_level = None  # explicit BEGIN/COMMIT only
    return conn


def postgres_connection_parameters(db_settings):
    """(conninfo, password) for libpq from Django's settings; the password is kept apart.

    The conninfo holds no secret: it may appear on a command line (`pg_dump -d ...`), and the
    password goes to the tools in PGPASSWORD only.
    """
    from psycopg import pq
    from psycopg.conninfo import make_conninfo

    keywords = {option.keyword.decode() for option in pq.Conninfo.get_defaults()}
    options = dict(db_settings.get("OPTIONS") or {})
    password = db_settings.get("PASSWORD") or options.pop("password", None) or None
    params = {key: value for key, value in options.items() if key in keywords}
    params.pop("password", None)
    params.update(
        dbname=db_settings.get("NAME") or None,
        host=db_settings.get("HOST") or None,
        port=str(db_settings["PORT"]) if db_settings.get("PORT") else None,
        user=db_settings.get("USER") or None,
    )
    params = {key: str(value) for key, value in params.items() if value not in (None, "")}
    return make_conninfo(**params), password


def postgres_tool_env(password):
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    return env


def open_postgres(db_settings, **kwargs):
    import psycopg

    conninfo, password = postgres_connection_parameters(db_settings)
    if password:
        kwargs["password"] = password
    try:
        return psycopg.connect(conninfo, **kwargs)
    except psycopg.Error as exc:
        raise CommandError(f"Cannot connect to PostgreSQL ({conninfo}): {exc}") from exc


def open_database(db_settings, readonly=True):
    """(connection, vendor) for the database Django's settings describe, or (None, vendor)
    when a SQLite file does not exist yet."""
    vendor = vendor_of(db_settings)
    if vendor == "sqlite":
        path = sqlite_path(db_settings)
        if not path.exists():
            return None, vendor
        return open_sqlite(path, readonly=readonly), vendor
    conn = open_postgres(db_settings)
    conn.read_only = readonly
    return conn, vendor


# --- Database content ----------------------------------------------------------------------

_POSTGRES_TEXT_SETTINGS = (
    "SET TimeZone = 'UTC'",
    "SET DateStyle = 'ISO, YMD'",
    "SET IntervalStyle = 'postgres'",
    "SET extra_float_digits = 1",
    "SET bytea_output = 'hex'",
)


def _quote(identifier):
    return '"' + identifier.replace('"', '""') + '"'


def _tables(conn, vendor):
    """[(name in the manifest, quoted SQL name)], sorted by name."""
    if vendor == "sqlite":
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        ).fetchall()
        return [(name, _quote(name)) for (name,) in rows]
    with conn.cursor() as cur:
        cur.execute(
            "SELECT n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition "
            "AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' "
            "ORDER BY n.nspname, c.relname"
        )
        rows = cur.fetchall()
    return [
        (name if schema == "public" else f"{schema}.{name}", f"{_quote(schema)}.{_quote(name)}")
        for schema, name in rows
    ]


def _select_canonical(conn, vendor, sql_name):
    """(column names, SQL that reads every row in canonical order)."""
    if vendor == "sqlite":
        info = conn.execute(f"PRAGMA table_info({sql_name})").fetchall()
        columns = [row[1] for row in info]
        key = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        order = [_quote(column) for column in key or columns]
        select = [_quote(column) for column in columns]
    else:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT a.attname, a.attcollation <> 0 FROM pg_attribute a "
                "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY a.attnum",
                (sql_name,),
            )
            info = cur.fetchall()
            cur.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                "ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
                "WHERE i.indrelid = %s::regclass AND i.indisprimary "
                "ORDER BY array_position(i.indkey::int2[], a.attnum)",
                (sql_name,),
            )
            key = [name for (name,) in cur.fetchall()]
        columns = [name for name, _collatable in info]
        collatable = dict(info)
        select = [f"{_quote(column)}::text" for column in columns]
        if key:
            # Text keys compare bytewise, whatever collation the database was created with.
            order = [
                _quote(column) + (' COLLATE "C"' if collatable[column] else "") for column in key
            ]
        else:
            order = [f'{_quote(column)}::text COLLATE "C"' for column in columns]
    if not columns:
        return columns, f"SELECT count(*) FROM {sql_name}"  # noqa: S608  (no columns)
    # Identifiers only, each quoted by _quote; no value is ever put into the SQL.
    sql = f"SELECT {', '.join(select)} FROM {sql_name} ORDER BY {', '.join(order)}"  # noqa: S608
    return columns, sql


def _as_text(value):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _line(values):
    return (json.dumps(values, ensure_ascii=False, separators=(",", ":")) + "\n").encode(
        "utf-8", "surrogatepass"
    )


def _table_digest(conn, vendor, sql_name):
    columns, sql = _select_canonical(conn, vendor, sql_name)
    digest = hashlib.sha256(_line(columns))
    rows = 0
    if vendor == "sqlite":
        cur = conn.execute(sql)
    else:
        cur = conn.cursor(name="doorvertellen_backup_rows")  # server side: rows come in batches
        cur.execute(sql)
    try:
        if not columns:
            rows = cur.fetchone()[0]
        else:
            while batch := cur.fetchmany(_ROWS_PER_FETCH):
                for row in batch:
                    digest.update(_line([_as_text(value) for value in row]))
                rows += len(batch)
    finally:
        cur.close()
    return {"rows": rows, "sha256": digest.hexdigest()}


def _migrations(conn, vendor):
    """The latest applied migration per app: the highest name, as migration names start with
    their number (the apply order would not do: a squashed migration is recorded last)."""
    names = {name for name, _sql in _tables(conn, vendor)}
    if "django_migrations" not in names:
        return {}
    sql = "SELECT app, name FROM django_migrations"
    if vendor == "sqlite":
        rows = conn.execute(sql).fetchall()
    else:
        with conn.cursor() as cur:
            cur.execute(sql)
            rows = cur.fetchall()
    latest = {}
    for app, name in rows:
        latest[app] = max(name, latest.get(app, name))
    return dict(sorted(latest.items()))


def database_state(conn, vendor):
    """{"migrations": {app: latest}, "tables": {table: {"rows", "sha256"}}}.

    Read in one transaction, so the result is one consistent moment. On PostgreSQL a caller
    that has already begun a transaction (the backup, to share it with pg_dump) keeps it.
    """
    if vendor == "sqlite":
        conn.execute("BEGIN")
    else:
        with conn.cursor() as cur:
            for statement in _POSTGRES_TEXT_SETTINGS:
                cur.execute(statement)
    try:
        tables = {
            name: _table_digest(conn, vendor, sql_name) for name, sql_name in _tables(conn, vendor)
        }
        return {"migrations": _migrations(conn, vendor), "tables": tables}
    finally:
        conn.rollback() if vendor == "postgresql" else conn.execute("ROLLBACK")


def database_has_data(conn, vendor):
    """Whether any table (migration bookkeeping aside) holds a row."""
    if conn is None:
        return False
    try:
        for name, sql_name in _tables(conn, vendor):
            if name in BOOKKEEPING_TABLES:
                continue
            sql = f"SELECT 1 FROM {sql_name} LIMIT 1"  # noqa: S608  (a quoted identifier)
            if vendor == "sqlite":
                found = conn.execute(sql).fetchone()
            else:
                with conn.cursor() as cur:
                    cur.execute(sql)
                    found = cur.fetchone()
            if found:
                return True
        return False
    finally:
        if vendor == "postgresql":
            conn.rollback()


def compare_database(expected, actual):
    """Differences between the database part of a manifest and a `database_state`."""
    problems = []
    want, have = expected["tables"], actual["tables"]
    for name in sorted(set(want) - set(have)):
        problems.append(f"table {name}: missing after the restore")
    for name in sorted(set(have) - set(want)):
        problems.append(f"table {name}: present after the restore but not in the backup")
    for name in sorted(set(want) & set(have)):
        if want[name]["rows"] != have[name]["rows"]:
            problems.append(
                f"table {name}: {have[name]['rows']} rows, the backup has {want[name]['rows']}"
            )
        elif want[name]["sha256"] != have[name]["sha256"]:
            problems.append(f"table {name}: contents differ from the backup (SHA-256)")
    if expected["migrations"] != actual["migrations"]:
        problems.append("migration state differs from the backup")
    return problems


# --- Media --------------------------------------------------------------------------------


def media_files(root):
    """(sorted [(relative posix path, Path)], [skipped relative paths]) under `root`.

    Only regular files are taken; symbolic links and special files are skipped (and
    reported), as is a leftover restore staging folder.
    """
    root = Path(root)
    found, skipped = [], []
    if not root.is_dir():
        return found, skipped
    for folder, dirnames, filenames in os.walk(root):
        folder = Path(folder)
        if folder == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(RESTORE_STAGING_PREFIX)]
        for dirname in list(dirnames):
            if (folder / dirname).is_symlink():
                dirnames.remove(dirname)
                skipped.append((folder / dirname).relative_to(root).as_posix())
        for filename in filenames:
            path = folder / filename
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not path.is_file():
                skipped.append(relative)
            else:
                found.append((relative, path))
    found.sort()
    return found, sorted(skipped)


def write_media_archive(root, archive_path):
    """Write every media file into an uncompressed tar; returns {path: digest}.

    Each file is hashed from the very bytes that go into the archive, so a file that changes
    while the backup runs cannot make the manifest disagree with the archive.
    """
    files, skipped = media_files(root)
    digests = {}
    with tarfile.open(archive_path, "w", format=tarfile.PAX_FORMAT) as tar:
        for relative, path in files:
            with open(path, "rb") as f:
                info = tar.gettarinfo(arcname=relative, fileobj=f)
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                reader = HashingReader(f)
                tar.addfile(info, reader)
            digests[relative] = {"sha256": reader.hash.hexdigest(), "size": info.size}
    return digests, skipped


def _safe_member_name(name):
    path = PurePosixPath(name)
    return (
        name
        and not path.is_absolute()
        and ".." not in path.parts
        and posixpath.normpath(name) == name
        and not path.parts[0].startswith(RESTORE_STAGING_PREFIX)
    )


def check_media_archive(archive_path, expected):
    """Differences between the media archive and the manifest, read without unpacking."""
    problems, seen = [], set()
    with tarfile.open(archive_path, "r:") as tar:
        for member in tar:
            name = member.name
            if not member.isreg() or not _safe_member_name(name) or name in seen:
                problems.append(f"{MEDIA_ARCHIVE}: unexpected entry {name!r}")
                continue
            seen.add(name)
            if name not in expected:
                problems.append(f"{MEDIA_ARCHIVE}: {name} is not in the manifest")
                continue
            reader = HashingReader(tar.extractfile(member))
            while reader.read(_CHUNK):
                pass
            if reader.digest() != expected[name]:
                problems.append(f"{MEDIA_ARCHIVE}: {name} does not match its checksum")
    for name in sorted(set(expected) - seen):
        problems.append(f"{MEDIA_ARCHIVE}: {name} is missing")
    return problems


def extract_media_archive(archive_path, destination):
    with tarfile.open(archive_path, "r:") as tar:
        tar.extractall(destination, filter="data")


def compare_media(root, expected):
    """Differences between the files under `root` and the manifest's media files.

    Files under `root` that the backup does not list are not a difference: a restore leaves
    them in place.
    """
    problems = []
    for relative, digest in sorted(expected.items()):
        path = Path(root, relative)
        if not path.is_file():
            problems.append(f"media {relative}: missing after the restore")
        elif file_digest(path) != digest:
            problems.append(f"media {relative}: differs from the backup (SHA-256)")
    return problems


# --- Manifest ------------------------------------------------------------------------------


def write_private_file(path, data: bytes):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(path, 0o600)


def write_manifest(folder, manifest):
    data = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_private_file(Path(folder) / MANIFEST_NAME, data.encode("utf-8"))


def read_manifest(folder):
    path = Path(folder) / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise CommandError(f"{path} does not exist: is {folder} a backup folder?") from None
    except (OSError, ValueError) as exc:
        raise CommandError(f"{path} cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(f"{path} is not a Doorvertellen backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CommandError(
            f"{path} has format version {manifest.get('format_version')!r}; this code reads "
            f"version {FORMAT_VERSION}."
        )
    try:
        database, media = manifest["database"], manifest["media"]
        well_formed = (
            isinstance(manifest["files"], dict)
            and database["vendor"] in DATABASE_FILES
            and isinstance(database["file"], str)
            and isinstance(database["tables"], dict)
            and isinstance(database["migrations"], dict)
            and isinstance(media["file"], str)
            and isinstance(media["files"], dict)
        )
    except (KeyError, TypeError):
        well_formed = False
    if not well_formed:
        raise CommandError(f"{path} is incomplete or malformed.")
    return manifest


def verify_backup(folder, manifest):
    """Every checksum in the manifest, before anything is changed: a list of problems."""
    folder = Path(folder)
    problems = []
    files = manifest["files"]
    required = {manifest["database"]["file"], manifest["media"]["file"]}
    for name in sorted(required - set(files)):
        problems.append(f"{name}: not listed in the manifest's files")
    for name, expected in sorted(files.items()):
        if "/" in name or name in {"", ".", ".."}:
            problems.append(f"{name!r}: not a plain file name")
            continue
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif file_digest(path) != expected:
            problems.append(f"{name}: does not match its checksum")
    archive = folder / manifest["media"]["file"]
    if not problems and archive.is_file():
        try:
            problems += check_media_archive(archive, manifest["media"]["files"])
        except tarfile.TarError as exc:
            problems.append(f"{MEDIA_ARCHIVE}: unreadable ({exc})")
    return problems
