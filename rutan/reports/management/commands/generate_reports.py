from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rutan.facilities.models import Facility, RegionalOffice
from rutan.reports import services
from rutan.reports.models import ReportLanguage, ReportStatus
from rutan.reports.periods import parse_period


class Command(BaseCommand):
    help = "Build monthly reports now, in this process (the same service the workers run)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="YYYY-MM, e.g. 2026-10")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--facility", help="facility code, e.g. rutan-balikpapan")
        target.add_argument("--regional", help="regional office code, e.g. kaltim")
        target.add_argument("--all", action="store_true", help="every facility, then regions")
        parser.add_argument("--language", default="id", choices=ReportLanguage.values)
        parser.add_argument("--new-version", action="store_true")

    def handle(self, *args, period, facility, regional, all, language, new_version, **options):
        try:
            parse_period(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        targets = []
        if facility:
            found = Facility.objects.filter(code=facility).first()
            if found is None:
                raise CommandError(f"Unknown facility code: {facility}")
            targets = [found]
        elif regional:
            found = RegionalOffice.objects.filter(code=regional).first()
            if found is None:
                raise CommandError(f"Unknown regional office code: {regional}")
            targets = [found]
        else:
            targets = list(Facility.objects.order_by("code")) + list(
                RegionalOffice.objects.filter(facilities__isnull=False).distinct().order_by("code")
            )
        failed = 0
        for target in targets:
            try:
                run = services.report_run_request(
                    target=target,
                    period=period,
                    language=language,
                    new_version=new_version,
                    enqueue=False,
                )
            except ValidationError as exc:
                raise CommandError(f"{target}: {' '.join(exc.messages)}") from exc
            self.stdout.write(f"{run}: {run.get_status_display()}…")
            if run.status != ReportStatus.DONE:
                run = services.report_run_build(run_id=run.pk, worker="generate_reports")
            if run.status == ReportStatus.DONE:
                self.stdout.write(self.style.SUCCESS(f"  100% {run.file.name} sha256={run.sha256}"))
            else:
                failed += 1
                self.stderr.write(f"  {run.get_status_display()}: {run.error}")
        if failed:
            raise CommandError(f"{failed} report(s) failed")
