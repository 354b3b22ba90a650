from django.core.management.base import BaseCommand, CommandError

from rutan.core import nationalseed


class Command(BaseCommand):
    help = (
        "Fill an empty database with synthetic data at national proportions (530 facilities, "
        "275,000 inmates by default), for measuring; every person is invented."
    )

    def add_arguments(self, parser):
        parser.add_argument("--facilities", type=int, default=530)
        parser.add_argument("--inmates", type=int, default=275_000)
        parser.add_argument("--months", type=int, default=12, help="months of programme sessions")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, facilities, inmates, months, seed, **options):
        if facilities < 1 or inmates < facilities * 5 or not 1 <= months <= 36:
            raise CommandError("Perlu paling sedikit 1 UPT, 5 WBP per UPT dan 1–36 bulan.")
        plan = nationalseed.Plan(
            facilities=facilities,
            inmates=inmates,
            months=months,
            seed=seed,
            log=lambda message: self.stdout.write(message),
        )
        try:
            result = nationalseed.seed(plan)
        except nationalseed.NotEmpty as exc:
            raise CommandError(
                "Basis data ini sudah berisi WBP: seed_national hanya mengisi basis data kosong "
                "(buat yang baru dan jalankan migrate dulu)."
            ) from exc
        for label, count in sorted(plan.counts.items()):
            self.stdout.write(f"  {label}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Data nasional siap dalam {result['seconds']:.0f} s; terbesar: "
                f"{result['facility_name']} ({result['facility_inmates']:,} WBP)."
            )
        )
        self.stdout.write(
            "SEED_NATIONAL "
            + " ".join(f"{k}={v}" for k, v in result.items() if k != "facility_name")
        )
