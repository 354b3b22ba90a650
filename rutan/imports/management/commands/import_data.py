from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from rutan.facilities.models import Facility
from rutan.imports import engine, services
from rutan.imports.models import ImportStatus


class Command(BaseCommand):
    help = "Import a CSV or XLSX file of one kind in this process: preview, then write."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(engine.KINDS), help="what the file holds")
        parser.add_argument("file", help="path of the CSV or XLSX file")
        parser.add_argument("--facility", required=True, help="facility code")
        parser.add_argument("--user", help="username the import is recorded under")
        parser.add_argument("--dry-run", action="store_true", help="preview only, write nothing")

    def handle(self, *args, kind, file, facility, user, dry_run, **options):
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
                data_import = services.import_create(
                    kind=kind,
                    facility=target,
                    by=by,
                    file=File(handle, name=path.name),
                    enqueue=False,
                )
            data_import = services.import_preview(data_import=data_import)
            self._report(data_import)
            if dry_run or data_import.status != ImportStatus.PREVIEWED:
                return
            data_import = services.import_confirm(data_import=data_import, by=by, enqueue=False)
            data_import = services.import_write(data_import=data_import)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self._report(data_import)
        self.stdout.write(self.style.SUCCESS(f"Written: import #{data_import.pk}"))

    def _report(self, data_import):
        if data_import.status == ImportStatus.FAILED:
            raise CommandError(data_import.failure)
        if data_import.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(data_import.ignored_columns))
        if data_import.missing_columns:
            raise CommandError(
                "Required columns missing (map them on the import page): "
                + ", ".join(data_import.missing_columns)
            )
        self.stdout.write(
            f"Rows: {data_import.total_rows}; "
            + "; ".join(f"{k}: {v}" for k, v in data_import.counts.items())
        )
        for error in data_import.errors:
            column = f" [{error['column']}]" if error["column"] else ""
            self.stdout.write(f"  line {error['line']}{column}: {error['message']}")
