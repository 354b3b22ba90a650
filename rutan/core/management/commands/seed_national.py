import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from rutan.nationalseed import DEFAULT_PASSWORD, NotEmpty, seed_national


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Fill an empty, migrated PostgreSQL database with synthetic data at national "
        "proportions (COPY; the same --seed gives the same data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--facilities", type=_positive, default=530)
        parser.add_argument("--inmates", type=_positive, default=275_000)
        parser.add_argument("--months", type=_positive, default=12, help="months of activity")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="the day the data ends (default: today in WIB)",
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="every user's password")

    def handle(self, *args, facilities, inmates, months, seed, today, password, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_national loads with PostgreSQL's COPY: use PostgreSQL.")
        try:
            summary = seed_national(
                facilities=facilities,
                inmates=inmates,
                months=months,
                seed=seed,
                today=today,
                password=password,
                log=self.stdout.write,
            )
        except NotEmpty as exc:
            raise CommandError(
                "This database already holds inmates; seed_national fills an empty database "
                "(create one and run migrate first)."
            ) from exc
        self.stdout.write("Rows:")
        for table, count in summary.counts.items():
            self.stdout.write(f"  {table:40s} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {summary.seconds:.0f} s. Sign in (password {password!r}) as "
                f"{summary.facility_head} (head of facility {summary.facility_pk}), "
                f"{summary.regional} (Kanwil) or {summary.national} (national)."
            )
        )
        self.stdout.write(
            f"SEED_NATIONAL facility_head={summary.facility_head} regional={summary.regional} "
            f"national={summary.national} facility={summary.facility_pk} "
            f"seconds={summary.seconds:.1f}"
        )
