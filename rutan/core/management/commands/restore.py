"""manage.py restore: a backup made by `manage.py backup`, into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rutan.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup directory made by `manage.py backup`. Refuses a database that has "
        "tables, or a media folder that has files, unless --force; checks the row counts and "
        "every file against the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="a rutan-backup-... directory")
        parser.add_argument("--force", action="store_true", help="overwrite what is there")
        parser.add_argument("--no-media", action="store_true", help="the database only")
        parser.add_argument("--database", default="default")

    def handle(self, *args, source, force, no_media, database, **options):
        try:
            manifest = restore(Path(source), alias=database, media=not no_media, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {len(manifest['files'])} files"
        )
