import datetime
import operator
import zoneinfo
from collections.abc import Callable
from functools import reduce

from django.db.models import Q, QuerySet
from django.utils import timezone

from rutan.core.roles import Perm

from .models import Block, Facility, RegionalOffice, Timezone


def today_by_timezone(now: datetime.datetime | None = None) -> dict[str, datetime.date]:
    """Today's date in each facility timezone (WIB, WITA, WIT) at `now` (default: now).

    A read or a job that spans facilities takes "today" from here, one date per timezone,
    never from the server's clock.
    """
    now = now or timezone.now()
    return {tz: timezone.localdate(now, zoneinfo.ZoneInfo(tz)) for tz in Timezone.values}


def _per_zone(facility_path: str, condition: Callable, local_of, now) -> Q:
    """`condition(local_of(now, zone))` for the rows of each facility timezone, or-ed."""
    now = now or timezone.now()
    return reduce(
        operator.or_,
        (
            Q(**{f"{facility_path}__timezone": tz})
            & condition(local_of(now, zoneinfo.ZoneInfo(tz)))
            for tz in Timezone.values
        ),
    )


def on_local_today(
    facility_path: str,
    condition: Callable[[datetime.date], Q],
    now: datetime.datetime | None = None,
) -> Q:
    """Rows for which `condition(today)` holds, today being the date where the row's facility is.

    `facility_path` leads from the model to its facility ("facility", "programme__facility").
    """
    return _per_zone(facility_path, condition, timezone.localdate, now)


def on_local_now(
    facility_path: str,
    condition: Callable[[datetime.datetime], Q],
    now: datetime.datetime | None = None,
) -> Q:
    """Rows for which `condition(local)` holds, `local` being the wall-clock time where the
    row's facility is (naive, as precise as `now`), e.g. "the session has started"."""
    return _per_zone(
        facility_path,
        condition,
        lambda at, zone: timezone.localtime(at, zone).replace(tzinfo=None),
        now,
    )


def facility_list(*, user, perm: Perm = Perm.FACILITY_VIEW) -> QuerySet:
    """Facilities the user may reach for `perm`."""
    return Facility.objects.for_user(user, perm).select_related("regional_office")


def regional_office_list(*, user, perm: Perm = Perm.FACILITY_VIEW) -> QuerySet:
    return RegionalOffice.objects.for_user(user, perm).distinct()


def block_list(*, user, facility: Facility | None = None, perm: Perm = Perm.INMATE_VIEW):
    qs = Block.objects.for_user(user, perm).select_related("facility")
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs
