"""manage.py backup: the database and the private media into one directory with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rutan.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's backup API) and the private "
        "media into OUTPUT_DIR/rutan-backup-<UTC time>/ with a manifest.json of row counts "
        "per table and SHA-256 per file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="backups", help="where backups are kept")
        parser.add_argument(
            "--keep", type=int, default=None, help="keep only the newest N backups there"
        )
        parser.add_argument("--no-media", action="store_true", help="the database only")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output_dir, keep, no_media, database, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more")
        try:
            path = backup(Path(output_dir), alias=database, media=not no_media, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
