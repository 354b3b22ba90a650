from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from rutan.facilities.models import Facility
from rutan.inmates import imports
from rutan.inmates.models import ImportStatus


class Command(BaseCommand):
    help = "Import the inmate register (CSV or XLSX) in this process: preview, then write."

    def add_arguments(self, parser):
        parser.add_argument("--facility", required=True, help="facility code")
        parser.add_argument("--file", required=True, help="path of the CSV or XLSX file")
        parser.add_argument("--user", help="username the import is recorded under")
        parser.add_argument("--dry-run", action="store_true", help="preview only, write nothing")

    def handle(self, *args, facility, file, user, dry_run, **options):
        target = Facility.objects.filter(code=facility).first()
        if target is None:
            raise CommandError(f"Unknown facility code: {facility}")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"Unknown user: {user}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with path.open("rb") as handle:
                register_import = imports.register_import_create(
                    facility=target, by=by, file=File(handle, name=path.name), enqueue=False
                )
            register_import = imports.register_import_preview(register_import=register_import)
            self._report(register_import)
            if dry_run or register_import.status != ImportStatus.PREVIEWED:
                return
            register_import = imports.register_import_confirm(
                register_import=register_import, by=by, enqueue=False
            )
            register_import = imports.register_import_write(register_import=register_import)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Written: import #{register_import.pk}"))

    def _report(self, register_import):
        if register_import.status == ImportStatus.FAILED:
            raise CommandError(register_import.failure)
        if register_import.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(register_import.ignored_columns))
        if register_import.missing_columns:
            raise CommandError(
                "Missing required columns (map them once on the import page): "
                + ", ".join(register_import.missing_columns)
            )
        self.stdout.write(
            f"Rows: {register_import.total_rows}; "
            + "; ".join(f"{k}: {v}" for k, v in register_import.counts.items())
        )
        for error in register_import.errors:
            self.stdout.write(f"Line {error['line']}, {error['column']}: {error['message']}")
