from django import template
from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format

from rutan.facilities.models import Timezone

from ..periods import parse_period

register = template.Library()


@register.filter
def zone_name(tzname) -> str:
    """WIB, WITA or WIT for a facility timezone ("Asia/Makassar" → "WITA", the names of the
    `Timezone` choices); others as given."""
    try:
        return Timezone(str(tzname)).name
    except ValueError:
        return str(tzname)


@register.filter
def delta(current, previous):
    """The change from `previous` to `current`, signed ("+3", "−2", "0"); "–" if unknown."""
    if current is None or previous is None:
        return "–"
    change = current - previous
    if change > 0:
        return f"+{number_format(change, force_grouping=True)}"
    if change < 0:
        return f"−{number_format(-change, force_grouping=True)}"
    return "0"


@register.filter
def percent(value):
    return "–" if value is None else f"{number_format(value, force_grouping=True)}%"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def month_label(period):
    """A YYYY-MM period as people write it ("Oktober 2026"); anything else unchanged."""
    try:
        first, _last = parse_period(period)
    except ValidationError:
        return period
    return date_format(first, "YEAR_MONTH_FORMAT")
