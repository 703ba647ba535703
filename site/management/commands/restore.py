"""Restore a backup made by `manage.py backup` into the configured database and MEDIA_ROOT.

    manage.py restore BACKUP_DIR [--yes]

In this order, so that a bad backup or a refusal changes nothing:

1. Verify every checksum in the manifest: each backup file, and each media file inside
   media.tar (read without unpacking). Any difference or missing file: refuse.
2. Refuse when the database already holds data (any row outside the migration bookkeeping;
   a freshly migrated database counts as holding data) or MEDIA_ROOT holds files, unless
   --yes is given. Refuse a backup of another database vendor.
3. Unpack the media into a staging folder inside MEDIA_ROOT.
4. Restore the database. Django's connections are closed first.
   - SQLite: the backup file is copied next to the database and checked against its
     checksum, the old database is switched out of WAL mode (which fails, and stops the
     restore, while another process still has it open: stop the site and the task worker
     first), and the copy then replaces it in one rename; no stale -wal file is left to be
     replayed into the new one.
   - PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`, with the
     password in PGPASSWORD: a failure leaves the database as it was.
5. Move the media files into place. Files under MEDIA_ROOT that are not in the backup are
   left alone (and counted).
6. Recompute row counts and table hashes and compare them, and the media files, with the
   manifest; exit non-zero on any difference.
7. Check that the encrypted personal columns can be read with the configured
   FIELD_ENCRYPTION_KEYS (the keys are never in a backup), and say when the code has
   migrations the restored database lacks.

Only media on the local file system (FileSystemStorage) are supported; S3 is out of scope.
"""

import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor

from doorvertellen import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `manage.py backup`: verify its checksums, restore "
        "the database and MEDIA_ROOT, then verify row counts and table hashes. Refuses to "
        "replace existing data without --yes. Local media only (no S3). Needs the same "
        "FIELD_ENCRYPTION_KEYS as the installation that made the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", help="A doorvertellen-backup-<time> folder.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace a database that holds data and add to a non-empty MEDIA_ROOT.",
        )

    def handle(self, *args, backup_dir, yes=False, **options):
        folder = Path(backup_dir)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        manifest = backup.read_manifest(folder)
        problems = backup.verify_backup(folder, manifest)
        if problems:
            raise CommandError(
                "The backup does not match its manifest; nothing was restored or changed:\n  "
                + "\n  ".join(problems)
            )

        media = backup.media_root()
        db_settings = connections["default"].settings_dict
        vendor = backup.vendor_of(db_settings)
        if manifest["database"]["vendor"] != vendor:
            raise CommandError(
                f"This backup is of a {manifest['database']['vendor']} database; the "
                f"configured database is {vendor}."
            )
        if vendor == "postgresql" and shutil.which("pg_restore") is None:
            raise CommandError(
                "pg_restore is not installed (Debian: apt install postgresql-client)."
            )

        connections.close_all()
        conn, _vendor = backup.open_database(db_settings, readonly=True)
        try:
            holds_data = backup.database_has_data(conn, vendor)
        finally:
            if conn is not None:
                conn.close()
        existing_media, _skipped = backup.media_files(media)
        if (holds_data or existing_media) and not yes:
            where = " and ".join(
                part
                for part, present in (
                    (
                        "the database holds data (any row outside django_migrations counts, "
                        "so a freshly migrated database does too)",
                        holds_data,
                    ),
                    (f"MEDIA_ROOT ({media}) holds {len(existing_media)} files", existing_media),
                )
                if present
            )
            raise CommandError(
                f"Refusing to restore: {where}. Pass --yes to replace the database and add "
                "the backup's media files (a backup of the current state first is wise)."
            )

        self.make_dirs(media)
        staging = Path(tempfile.mkdtemp(prefix=backup.RESTORE_STAGING_PREFIX, dir=media))
        try:
            backup.extract_media_archive(folder / manifest["media"]["file"], staging)
            connections.close_all()
            if vendor == "sqlite":
                self.restore_sqlite(db_settings, folder, manifest)
            else:
                self.restore_postgres(db_settings, folder / manifest["database"]["file"])
            self.move_media(staging, media, manifest["media"]["files"])
        finally:
            shutil.rmtree(staging, ignore_errors=True)

        conn, _vendor = backup.open_database(db_settings, readonly=True)
        try:
            state = backup.database_state(conn, vendor)
        finally:
            conn.close()
        problems = backup.compare_database(manifest["database"], state)
        problems += backup.compare_media(media, manifest["media"]["files"])
        if problems:
            hint = ""
            if any("not in the backup" in problem for problem in problems):
                hint = (
                    "\nTables the backup does not have were already in the database and were "
                    "left alone: restore into an empty database."
                )
            raise CommandError(
                "The restored content differs from the backup:\n  " + "\n  ".join(problems) + hint
            )
        self.report(folder, manifest, media, existing_media)
        self.check_migrations()
        self.check_encryption_keys()

    # --- Database ---------------------------------------------------------------------------

    def restore_sqlite(self, db_settings, folder, manifest):
        target = backup.sqlite_path(db_settings)
        file_name = manifest["database"]["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.restore-", dir=target.parent)
        temporary = Path(temporary)
        try:
            with os.fdopen(fd, "wb") as out, open(folder / file_name, "rb") as source:
                reader = backup.HashingReader(source)
                shutil.copyfileobj(reader, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            if reader.digest() != manifest["files"][file_name]:
                raise CommandError(f"{file_name} changed while it was being restored.")
            if target.exists():
                os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
                self.release_sqlite(target)
            os.replace(temporary, target)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            backup.fsync_dir(target.parent)
        finally:
            temporary.unlink(missing_ok=True)

    def release_sqlite(self, target):
        """Fold the old database's WAL back and leave WAL mode, proving nobody else has it
        open (leaving WAL mode needs the only connection)."""
        try:
            conn = backup.open_sqlite(target, readonly=False)
            try:
                conn.execute("PRAGMA busy_timeout = 5000")
                mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            mode = str(exc)
        if mode.lower() != "delete":
            raise CommandError(
                f"The database {target} is in use by another process ({mode}): stop the site "
                "and the task worker, then restore again. Nothing was changed."
            )

    def restore_postgres(self, db_settings, dump):
        conninfo, password = backup.postgres_connection_parameters(db_settings)
        result = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
            [
                shutil.which("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={conninfo}",
                str(dump),
            ],
            env=backup.postgres_tool_env(password),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(
                "pg_restore failed; it ran in one transaction, so the database is unchanged "
                f"(MEDIA_ROOT too):\n{result.stderr.strip()}"
            )

    # --- Media ------------------------------------------------------------------------------

    def make_dirs(self, path):
        """Create folders as Django's file storage would for an upload."""
        mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS
        if mode is None:
            os.makedirs(path, exist_ok=True)
            return
        old_umask = os.umask(0)
        try:
            os.makedirs(path, mode=mode, exist_ok=True)
        finally:
            os.umask(old_umask)

    def move_media(self, staging, media, files):
        for relative in sorted(files):
            target = media / relative
            self.make_dirs(target.parent)
            os.replace(staging / relative, target)
            if settings.FILE_UPLOAD_PERMISSIONS is not None:
                os.chmod(target, settings.FILE_UPLOAD_PERMISSIONS)

    # --- Afterwards -------------------------------------------------------------------------

    def report(self, folder, manifest, media, existing_media):
        tables = manifest["database"]["tables"]
        files = manifest["media"]["files"]
        others = sorted({relative for relative, _path in existing_media} - set(files))
        self.stdout.write(self.style.SUCCESS(f"Restored {folder} (made {manifest['created_at']})."))
        self.stdout.write(
            f"  database: {len(tables)} tables, {sum(t['rows'] for t in tables.values())} rows;"
            " row counts and table hashes match the backup"
        )
        self.stdout.write(f"  media: {len(files)} files in {media}; checksums match the backup")
        if others:
            self.stdout.write(
                f"  {len(others)} files under MEDIA_ROOT are not in the backup and were left "
                "in place"
            )

    def check_migrations(self):
        executor = MigrationExecutor(connection)
        unknown = sorted(
            set(executor.loader.applied_migrations) - set(executor.loader.disk_migrations)
        )
        if unknown:
            self.stderr.write(
                self.style.WARNING(
                    "The backup comes from newer code: it has migrations this code lacks ("
                    + ", ".join(f"{app}.{name}" for app, name in unknown)
                    + "). Deploy that version of the code."
                )
            )
        elif executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                "  The code has migrations the backup predates: run `manage.py migrate`."
            )

    def check_encryption_keys(self):
        unreadable = []
        for model, field in backup.encrypted_fields():
            values = model._base_manager.exclude(**{field.attname: ""})
            try:
                values.values_list(field.attname, flat=True).first()
            except ImproperlyConfigured:
                unreadable.append(f"{model._meta.label}.{field.name}")
            except DatabaseError as exc:
                self.stderr.write(
                    f"  Could not check {model._meta.label}.{field.name} ({exc}); after "
                    "`manage.py migrate`, open an intake record to check the keys."
                )
                return
        if unreadable:
            raise CommandError(
                "The content was restored and verified, but encrypted personal data cannot be "
                "read with the configured FIELD_ENCRYPTION_KEYS (" + ", ".join(unreadable) + "). "
                "Set the keys of the installation that made the backup; they are never in a "
                "backup."
            )
