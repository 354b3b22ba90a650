"""Judge the stored eligibility of some or all facilities now (what the sweep queues)."""

import time

from django.core.management.base import BaseCommand, CommandError

from assessments import standings
from rutan.core import freshness
from rutan.facilities.models import Facility


class Command(BaseCommand):
    help = (
        "Judge every right of every sentenced inmate on each facility's date and store the "
        "standings the dashboard counts (assessments.standings); all facilities by default."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--facility", action="append", default=[], help="facility code (repeatable)"
        )

    def handle(self, *args, facility, **options):
        if not freshness.enabled():
            self.stdout.write("Nothing stored on this database: the figures are counted live.")
            return
        facilities = Facility.objects.order_by("pk")
        if facility:
            facilities = facilities.filter(code__in=facility)
            missing = set(facility) - set(facilities.values_list("code", flat=True))
            if missing:
                raise CommandError(f"Unknown facility code: {', '.join(sorted(missing))}")
        facilities = list(facilities)
        started = time.monotonic()
        inmates = 0
        for index, item in enumerate(facilities, 1):
            book = standings.refresh(item)
            inmates += book.inmates
            if index == len(facilities) or index % 25 == 0 or len(facilities) <= 25:
                self.stdout.write(
                    f"  {index}/{len(facilities)} {item.name}: {book.inmates} WBP, "
                    f"{book.seconds:.1f} s"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Standings judged: {len(facilities)} UPT, {inmates} WBP, "
                f"{time.monotonic() - started:.1f} s."
            )
        )
