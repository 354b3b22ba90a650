"""What the seeders share: the options, the day everything is anchored to, the tables being
loaded, the planned facilities and what later seeders need to know of earlier rows."""

import datetime
import functools
import random
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from rutan.facilities.models import Timezone

from .bulk import Loader
from .places import Region


@dataclass
class BlockPlan:
    pk: int
    name: str
    sex: str
    capacity: int


@dataclass
class FacilityPlan:
    """One facility: what it is and, once seeded, its ids and its people."""

    code: str
    name: str
    kind: str
    facility_class: str
    region: Region
    city: str
    address: str
    capacity: int
    population: int = 0
    women: int = 0
    detainee_share: float = 0.0
    has_interns: bool = False
    pk: int = 0
    blocks: list[BlockPlan] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    inmates: list = field(default_factory=list)
    agreements: list = field(default_factory=list)

    @property
    def timezone(self) -> str:
        return self.region.timezone

    def blocks_for(self, sex: str, *, orientation: bool = False) -> list[BlockPlan]:
        return [
            b for b in self.blocks if b.sex == sex and (b.name == ORIENTATION_BLOCK) == orientation
        ]


ORIENTATION_BLOCK = "Blok Mapenaling"
ZONES = {tz: zoneinfo.ZoneInfo(tz) for tz in Timezone.values}


@functools.lru_cache(maxsize=65_536)
def _local_time(day: datetime.date, at: datetime.time, tz: str) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=ZONES[tz])


def apportion(total: int, weights, minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), each part at least
    `minimum` while the total allows."""
    weights = list(weights)
    parts = [minimum] * len(weights) if total >= minimum * len(weights) else [0] * len(weights)
    rest = total - sum(parts)
    whole = sum(weights) or 1
    shares = [rest * w / whole for w in weights]
    floors = [int(s) for s in shares]
    left = rest - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (floors[i] - shares[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [p + f for p, f in zip(parts, floors, strict=True)]


class Progress:
    """Prints `  <what> <done>/<total> (<seconds> s)` about every tenth of the way."""

    def __init__(self, log: Callable[[str], None], what: str, total: int):
        self.log, self.what, self.total = log, what, total
        self.done = 0
        self.started = time.monotonic()
        self._step = max(1, total // 10)
        self._next = self._step

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.done >= self._next or self.done == self.total:
            while self._next <= self.done:
                self._next += self._step
            seconds = time.monotonic() - self.started
            self.log(f"  {self.what} {self.done}/{self.total} ({seconds:.1f} s)")


@dataclass
class Seed:
    facilities_wanted: int
    inmates_wanted: int
    months: int
    seed: int
    today: datetime.date
    password_hash: str
    log: Callable[[str], None]
    loader: Loader
    now: datetime.datetime = field(default_factory=timezone.now)
    facilities: list[FacilityPlan] = field(default_factory=list)
    regions: dict[str, int] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)

    @property
    def window_start(self) -> datetime.date:
        """The first day of the `months` of activity (sessions, SPPN, logs) before today."""
        return self.today - relativedelta(months=self.months)

    def rng(self, *parts) -> random.Random:
        """A generator of its own for each seeder and facility: a facility's rows do not
        depend on how many facilities came before it."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def stamps(self) -> dict:
        return {"created_at": self.now, "updated_at": self.now}

    def table(self, model, columns: str, *, ids: bool = False, stamped: bool = True):
        return self.loader.table(
            model, columns, ids=ids, constants=self.stamps() if stamped else None
        )

    def progress(self, what: str, total: int) -> Progress:
        return Progress(self.log, what, total)

    def local_time(self, day: datetime.date, at: datetime.time, plan: FacilityPlan):
        """An aware datetime of a facility-local day and time."""
        return _local_time(day, at, plan.timezone)
