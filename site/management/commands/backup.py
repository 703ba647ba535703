"""Back up the database and the media files into one new folder, with a checksum manifest.

    manage.py backup OUTPUT_DIR

writes OUTPUT_DIR/doorvertellen-backup-<UTC timestamp>/ (mode 0700, every file 0600) with:

- `database.sqlite3` (SQLite): a consistent copy made with SQLite's online backup API. A
  plain file copy of a WAL database can miss committed transactions (they may still live in
  the -wal file) or catch the file halfway through a checkpoint; the backup API copies one
  consistent moment while the site keeps running. The copy is switched to rollback-journal
  mode, so it is one self-contained file.
- `database.pgdump` (PostgreSQL): `pg_dump -Fc` with the connection settings of
  DATABASES["default"]; the password reaches pg_dump in PGPASSWORD, never on its command line.
  pg_dump runs on a snapshot exported from the transaction that also computes the manifest's
  table hashes, so dump and manifest describe the same moment.
- `media.tar`: everything under MEDIA_ROOT, as an uncompressed tar rather than a copied
  media/ folder: one file gets one mode (0600) and one checksum, so a folder of personal
  uploads cannot leak through a file that kept looser permissions; relative paths and
  modification times are kept; it moves, encrypts or uploads as a single object; and the
  images in it are compressed already. Each file is hashed as it goes into the archive.
- `manifest.json`: format version, created_at, database vendor, the latest applied migration
  per app, row count and SHA-256 per table (see `doorvertellen.backup`), SHA-256 per media
  file and per backup file.

The folder is written under a hidden `.…partial` name and renamed when complete, so an
interrupted backup never looks like a finished one. The last line of the output is the
folder's path.

Only media on the local file system (FileSystemStorage) are supported. With S3 object storage
(AWS_STORAGE_BUCKET_NAME set) the command refuses: back the bucket up with the storage
provider's own means (versioning, replication).

Backups hold personal data. Encrypted columns stay encrypted, and the encryption keys are
never put in a backup: a restore needs the same FIELD_ENCRYPTION_KEYS.
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from doorvertellen import backup


class Command(BaseCommand):
    help = (
        "Back up the database and MEDIA_ROOT into OUTPUT_DIR/doorvertellen-backup-<UTC time>/ "
        "with a checksum manifest; prints the folder. Local media only (FileSystemStorage; "
        "S3 is not supported). The backup holds personal data but not the encryption keys: "
        "restoring needs the same FIELD_ENCRYPTION_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("output_dir", help="Folder in which the backup folder is made.")

    def handle(self, *args, output_dir, **options):
        media = backup.media_root()
        db_settings = connections["default"].settings_dict
        vendor = backup.vendor_of(db_settings)
        output = Path(output_dir).resolve()
        for served, setting in ((media, "MEDIA_ROOT"), (settings.STATIC_ROOT, "STATIC_ROOT")):
            if served and backup.is_inside(output, served):
                raise CommandError(
                    f"{output} is inside {setting}, which the web server may publish: choose "
                    "a folder outside it."
                )
        created = datetime.now(UTC).replace(microsecond=0)
        name = backup.FOLDER_PREFIX + created.strftime("%Y%m%dT%H%M%SZ")
        final = output / name
        if final.exists():
            raise CommandError(f"{final} already exists: try again in a second.")

        old_umask = os.umask(0o077)  # also for what sqlite3 and pg_dump create
        try:
            output.mkdir(parents=True, exist_ok=True)
            partial = output / f".{name}.partial"
            partial.mkdir(mode=0o700)
            os.chmod(partial, 0o700)
            try:
                manifest = self.write_backup(partial, vendor, db_settings, media, created)
                os.rename(partial, final)
                backup.fsync_dir(output)
            except BaseException:
                shutil.rmtree(partial, ignore_errors=True)
                raise
        finally:
            os.umask(old_umask)

        self.report(final, manifest)

    def write_backup(self, folder, vendor, db_settings, media, created):
        db_file = backup.DATABASE_FILES[vendor]
        if vendor == "sqlite":
            state = self.copy_sqlite(db_settings, folder / db_file)
        else:
            state = self.dump_postgres(db_settings, folder / db_file)
        # Media after the database: every file the copied database refers to already exists.
        media_digests, skipped = backup.write_media_archive(media, folder / backup.MEDIA_ARCHIVE)
        files = {}
        for file_name in (db_file, backup.MEDIA_ARCHIVE):
            os.chmod(folder / file_name, 0o600)
            files[file_name] = backup.file_digest(folder / file_name)
        manifest = {
            "format": backup.FORMAT,
            "format_version": backup.FORMAT_VERSION,
            "created_at": created.isoformat().replace("+00:00", "Z"),
            "software": {"django": django.__version__, "wagtail": wagtail.__version__},
            "database": {"vendor": vendor, "file": db_file, **state},
            "media": {"file": backup.MEDIA_ARCHIVE, "files": media_digests, "skipped": skipped},
            "files": files,
            "encryption": {
                "keys_included": False,
                "encrypted_columns": sorted(
                    f"{model._meta.db_table}.{field.column}"
                    for model, field in backup.encrypted_fields()
                ),
                "note": backup.KEYS_NOTICE,
            },
        }
        backup.write_manifest(folder, manifest)
        return manifest

    def copy_sqlite(self, db_settings, target):
        source_path = backup.sqlite_path(db_settings)
        if not source_path.is_file():
            raise CommandError(f"The database {source_path} does not exist.")
        source = backup.open_sqlite(source_path, readonly=False)  # only read; "ro" trips on WAL
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)  # all pages in one step: one consistent moment
                copy.execute("PRAGMA journal_mode=DELETE")
            finally:
                copy.close()
        finally:
            source.close()
        conn = backup.open_sqlite(target, readonly=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchall()
            if check != [("ok",)]:
                raise CommandError(f"The database copy fails SQLite's quick_check: {check}")
            return backup.database_state(conn, "sqlite")
        finally:
            conn.close()

    def dump_postgres(self, db_settings, target):
        import psycopg

        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError("pg_dump is not installed (Debian: apt install postgresql-client).")
        conninfo, password = backup.postgres_connection_parameters(db_settings)
        conn = backup.open_postgres(db_settings)
        try:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            result = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={conninfo}",
                ],
                env=backup.postgres_tool_env(password),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_dump failed:\n{result.stderr.strip()}")
            return backup.database_state(conn, "postgresql")  # same snapshot as the dump
        finally:
            conn.close()

    def report(self, folder, manifest):
        tables = manifest["database"]["tables"]
        media = manifest["media"]
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
        self.stdout.write(
            f"  database: {manifest['database']['vendor']}, {len(tables)} tables, "
            f"{sum(t['rows'] for t in tables.values())} rows"
        )
        self.stdout.write(
            f"  media: {len(media['files'])} files, "
            f"{sum(f['size'] for f in media['files'].values())} bytes"
        )
        if media["skipped"]:
            self.stderr.write(
                "  skipped (symbolic links or special files under MEDIA_ROOT): "
                + ", ".join(media["skipped"])
            )
        self.stdout.write(self.style.WARNING(backup.KEYS_NOTICE))
        self.stdout.write(str(folder))
