"""Report periods are calendar months written YYYY-MM."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from rutan.facilities.models import Facility
from rutan.facilities.selectors import today_by_timezone

from .models import PERIOD_RE


def parse_period(period: str) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of `period`; raise ValidationError when it is malformed."""
    match = PERIOD_RE.match((period or "").strip())
    if not match:
        raise ValidationError(
            {"period": _("Periode harus berbentuk TTTT-BB, mis. 2026-10.")}, code="period"
        )
    first = datetime.date(int(match["year"]), int(match["month"]), 1)
    return first, first + relativedelta(months=1, days=-1)


def period_of(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


def previous_period(period: str) -> str:
    first, _last = parse_period(period)
    return period_of(first - relativedelta(months=1))


def last_month(tz=None) -> str:
    """The month before today's month, today being read in `tz` (a facility's timezone)."""
    today = timezone.localtime(timezone.now(), tz).date()
    return period_of(today.replace(day=1) - datetime.timedelta(days=1))


def validate_reportable(period: str, today: datetime.date) -> None:
    """A report covers a month that has started by `today` (the target's date); a future
    month has nothing to report."""
    first, _last = parse_period(period)
    if first > today:
        raise ValidationError(
            {"period": _("Periode %(period)s belum dimulai.") % {"period": period}},
            code="future",
        )


def today_of(target) -> datetime.date:
    """Today where a report's target is: the facility's date, or for a regional office the
    date of its westernmost facility (the last of them to finish a month)."""
    if isinstance(target, Facility):
        return target.today()
    days = [facility.today() for facility in target.facilities.all()]
    return min(days or today_by_timezone().values())


def data_until(period: str, target) -> tuple[datetime.date, bool]:
    """The last day a report of `period` can count when built now, and whether the month is
    still running there (provisional: the period ends today or later)."""
    _first, last = parse_period(period)
    today = today_of(target)
    return (today, True) if today <= last else (last, False)
