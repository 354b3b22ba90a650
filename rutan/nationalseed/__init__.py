"""Synthetic data at national proportions, loaded with COPY (`manage.py seed_national`).

Every seeder writes rows straight into the real tables, computing derived fields with the
functions the services use (`rutan.inmates.services.derived_values`); nothing goes through
the per-record services, which would take hours at this size. One transaction: a failed
run leaves the database as it was.
"""

import datetime
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from rutan.core import freshness
from rutan.inmates.models import Inmate
from rutan.inmates.services import rules_cached

from .assessments import seed_assessments
from .bulk import Loader, analyze
from .context import Seed
from .inmates import seed_inmates
from .interns import seed_interns
from .organisation import seed_organisation
from .partners import seed_guarantees, seed_partners
from .programmes import seed_programmes

PHASES = [
    ("organisation", seed_organisation),
    ("partners", seed_partners),
    ("inmates", seed_inmates),
    ("guarantees", seed_guarantees),
    ("assessments", seed_assessments),
    ("programmes", seed_programmes),
    ("interns", seed_interns),
]
DEFAULT_PASSWORD = "rutan-bench-2026"


class NotEmpty(Exception):
    """The database already holds inmates: the seed only fills an empty one."""


@dataclass
class Summary:
    counts: dict[str, int]
    seconds: float
    facility_head: str
    regional: str
    national: str
    facility_pk: int


def default_today() -> datetime.date:
    """Today in WIB, the westernmost zone: no facility's date is earlier, so nothing seeded
    lies in any facility's future."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo("Asia/Jakarta"))


def seed_national(
    *,
    facilities: int = 530,
    inmates: int = 275_000,
    months: int = 12,
    seed: int = 1,
    today: datetime.date | None = None,
    password: str = DEFAULT_PASSWORD,
    log: Callable[[str], None] = print,
) -> Summary:
    """Fill an empty database (migrated: the rules of the data migrations are used as
    they are) with `facilities` facilities holding `inmates` inmates and `months` of
    activity before `today`. The same arguments give the same data."""
    if Inmate.objects.exists():
        raise NotEmpty
    started = time.monotonic()
    with rules_cached(), transaction.atomic():
        context = Seed(
            facilities_wanted=facilities,
            inmates_wanted=inmates,
            months=months,
            seed=seed,
            today=today or default_today(),
            password_hash=make_password(password),
            log=log,
            loader=Loader(),
        )
        for name, phase in PHASES:
            began = time.monotonic()
            phase(context)
            log(f"[{name}] {time.monotonic() - began:.1f} s")
        began = time.monotonic()
        context.loader.finish()
        log(f"[indexes and constraints] {time.monotonic() - began:.1f} s")
    began = time.monotonic()
    # What the nightly freshness_compact does: one change row per facility and table.
    freshness.compact()
    counts = context.loader.counts()
    analyze(counts)
    log(f"[analyze] {time.monotonic() - began:.1f} s")
    anchor = context.facilities[0]
    return Summary(
        counts=counts,
        seconds=time.monotonic() - started,
        facility_head=anchor.usernames["facility_head"],
        regional=context.usernames[f"regional:{_bench_region(context)}"],
        national=context.usernames["national"],
        facility_pk=anchor.pk,
    )


def _bench_region(context: Seed) -> str:
    """The Kanwil whose facility count is nearest 16 (the national average); the bench
    facility's own Kanwil on a tie."""
    counts: dict[str, int] = {}
    for plan in context.facilities:
        counts[plan.region.code] = counts.get(plan.region.code, 0) + 1
    anchor = context.facilities[0].region.code
    return min(counts, key=lambda code: (abs(counts[code] - 16), code != anchor, code))
