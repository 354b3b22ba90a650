from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from rutan.core import freshness
from rutan.core.demo import DemoContext, seeders
from rutan.inmates.services.rulecache import rules_cached

DEFAULT_PASSWORD = "rutan-demo-2026"


class Command(BaseCommand):
    help = "Load demo data (real facilities and partners, invented people). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="Password for every demo user (default: %(default)s)",
        )

    def handle(self, *args, password, **options):
        autodiscover_modules("demo")
        ctx = DemoContext(password=password, log=lambda msg: self.stdout.write(f"  {msg}"))
        # No seeder changes a rule: each is read once, not once per inmate.
        for seed in seeders():
            with rules_cached(), transaction.atomic():
                seed(ctx)
        # What the dashboard counts of eligibility is judged once now, not on its first view.
        if freshness.enabled():
            call_command("judge_standings", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
