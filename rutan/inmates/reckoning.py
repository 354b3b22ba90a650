"""How custody, the verdict and the remisi ledger become dates, with each step in words.

The rules are data (`DetentionCredit`, `ReckoningSetting`); this module only applies them:

- Time served counts from the first day of detention. Detention before the verdict became
  final is deducted from the sentence: a spell in a rumah tahanan fully, house arrest by ⅓
  and city arrest by ⅕ of its length (KUHAP Pasal 22 ayat (4)–(5)); days between warrants
  (interrupted detention) are not counted. So the term runs from `sentence_start` = the
  date the verdict became final less the credited days; for an unbroken detention in a
  rutan that is the first day of detention.
- The term ends at start + the sentence (years, months, days as calendar units, as the
  court reckons them) + the substitute imprisonment of an unpaid fine.
- Remisi shortens it: the ledger's months and days, a month counted as the setting says
  (30 days by default), give the expected release.
- A fraction (stage or right) of the term is reached on the first day on which the days
  served reach fraction × term. Which term: after remisi (default) or the full sentence
  with remisi counted as served — the setting's `remisi_reading`.
"""

import datetime
import math
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import TERM_SENTENCES, DetentionKind, MonthReading, RemisiReading


def fmt(value: datetime.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


@dataclass(frozen=True)
class Reading:
    """The readings in force for one facility (see `ReckoningSetting`)."""

    remisi: str = RemisiReading.OFF_BASE
    month: str = MonthReading.THIRTY_DAYS
    legal_basis: str = ""


def reading_for(facility) -> Reading:
    """The facility's reckoning setting, else the national one, else the stated defaults."""
    return readings_for([facility.pk])[facility.pk]


def credits_table() -> dict[str, tuple[int, int, str]]:
    """{kind: (numerator, denominator, legal basis)} of the detention deductions."""
    from .models import DetentionCredit

    table = {
        c.kind: (c.numerator, c.denominator, c.legal_basis) for c in DetentionCredit.objects.all()
    }
    # A kind without a row is never credited more than a rutan detention would be.
    table.setdefault(DetentionKind.RUTAN, (1, 1, ""))
    return table


def add_months(start: datetime.date, months: int, days: int, reading: str) -> datetime.date:
    """start + months and days, a month being 30 days or a calendar month."""
    if reading == MonthReading.CALENDAR:
        return start + relativedelta(months=months, days=days)
    return start + datetime.timedelta(days=30 * months + days)


def sub_months(end: datetime.date, months: int, days: int, reading: str) -> datetime.date:
    if reading == MonthReading.CALENDAR:
        return end - relativedelta(months=months, days=days)
    return end - datetime.timedelta(days=30 * months + days)


def months_days(months: int, days: int) -> str:
    parts = []
    if months:
        parts.append(ngettext("%(n)s bulan", "%(n)s bulan", months) % {"n": months})
    if days or not months:
        parts.append(ngettext("%(n)s hari", "%(n)s hari", days) % {"n": days})
    return " ".join(parts)


def term_text(years: int, months: int, days: int) -> str:
    return _("%(y)s tahun %(m)s bulan %(d)s hari") % {"y": years, "m": months, "d": days}


@dataclass
class Reckoning:
    custody_start: datetime.date | None = None
    credited_days: int = 0
    sentence_start: datetime.date | None = None
    full_term_end: datetime.date | None = None
    remisi_months: int = 0
    remisi_days: int = 0
    remission_days: int = 0
    expected_release: datetime.date | None = None
    steps: list[str] = field(default_factory=list)


def reckon(
    *, periods, verdict, grants, credits: dict, reading: Reading, explain: bool = True
) -> Reckoning:
    """Apply the custody record, the verdict and the remisi ledger (see the module doc).

    With `explain` the steps say in words how each date was reached; without, they stay
    empty (bulk recomputation, where nobody reads them and the words cost most of the time).
    """
    result = Reckoning()
    periods = sorted(periods, key=lambda p: (p.start, p.pk or 0))
    if periods:
        result.custody_start = periods[0].start
        if explain:
            result.steps.append(
                _("Hari pertama penahanan: %(date)s (%(authority)s, %(kind)s).")
                % {
                    "date": fmt(periods[0].start),
                    "authority": periods[0].get_authority_display(),
                    "kind": periods[0].get_kind_display().lower(),
                }
            )
    if verdict is None:
        if periods and explain:
            result.steps.append(
                _("Belum ada putusan berkekuatan hukum tetap: masih tahanan, tanpa pecahan.")
            )
        return result
    final = verdict.final_on
    by_kind: dict[str, int] = {}
    previous_end = None
    for period in periods:
        last = min(period.end, final - datetime.timedelta(days=1))
        if previous_end is not None and period.start > previous_end + datetime.timedelta(days=1):
            gap = (period.start - previous_end).days - 1
            if explain:
                result.steps.append(
                    _("Penahanan terputus %(days)s hari (%(from)s – %(to)s): tidak dihitung.")
                    % {
                        "days": gap,
                        "from": fmt(previous_end + datetime.timedelta(days=1)),
                        "to": fmt(period.start - datetime.timedelta(days=1)),
                    }
                )
        previous_end = max(previous_end or period.end, period.end)
        if last < period.start:
            continue
        by_kind[period.kind] = by_kind.get(period.kind, 0) + (last - period.start).days + 1
    credited = 0
    for kind, days in by_kind.items():
        numerator, denominator, basis = credits.get(kind, credits[DetentionKind.RUTAN])
        part = days * numerator // denominator
        credited += part
        if not explain:
            continue
        if numerator == denominator:
            result.steps.append(
                _("%(kind)s %(days)s hari sebelum putusan tetap: dikurangkan seluruhnya.")
                % {"kind": DetentionKind(kind).label, "days": days}
            )
        else:
            result.steps.append(
                _("%(kind)s %(days)s hari: dikurangkan %(n)s/%(d)s = %(part)s hari (%(basis)s).")
                % {
                    "kind": DetentionKind(kind).label,
                    "days": days,
                    "n": numerator,
                    "d": denominator,
                    "part": part,
                    "basis": basis,
                }
            )
    result.credited_days = credited
    if explain:
        result.steps.append(
            _("Putusan %(number)s berkekuatan hukum tetap %(date)s: %(kind)s.")
            % {
                "number": verdict.number,
                "date": fmt(final),
                "kind": verdict.get_sentence_kind_display(),
            }
        )
    if verdict.sentence_kind not in TERM_SENTENCES:
        if explain:
            result.steps.append(
                _("Seumur hidup atau pidana mati: tidak ada tanggal bebas maupun pecahan.")
            )
        return result
    start = final - datetime.timedelta(days=credited)
    result.sentence_start = start
    if explain:
        result.steps.append(
            _("Masa pidana dihitung mulai %(start)s (%(final)s dikurangi %(days)s hari penahanan).")
            % {"start": fmt(start), "final": fmt(final), "days": credited}
        )
    substitute = 0 if verdict.fine_paid else 1
    sub_m, sub_d = verdict.substitute_months * substitute, verdict.substitute_days * substitute
    end = start + relativedelta(
        years=verdict.years, months=verdict.months + sub_m, days=verdict.days + sub_d
    )
    result.full_term_end = end
    if explain:
        text = _("Pidana %(term)s") % {
            "term": term_text(verdict.years, verdict.months, verdict.days)
        }
        if sub_m or sub_d:
            text += _(" + kurungan pengganti denda %(sub)s (denda belum dibayar)") % {
                "sub": months_days(sub_m, sub_d)
            }
        result.steps.append(text + _(" → akhir pidana %(end)s.") % {"end": fmt(end)})
    months = sum(g.months for g in grants)
    days = sum(g.days for g in grants)
    result.remisi_months, result.remisi_days = months, days
    release = sub_months(end, months, days, reading.month) if grants else end
    result.remission_days = (end - release).days
    result.expected_release = release
    if explain and grants:
        month_rule = (
            _("1 bulan = 30 hari")
            if reading.month == MonthReading.THIRTY_DAYS
            else _("bulan kalender")
        )
        result.steps.append(
            _(
                "Remisi %(count)s kali, jumlah %(total)s (%(rule)s) = %(days)s hari → "
                "perkiraan bebas %(release)s."
            )
            % {
                "count": len(grants),
                "total": months_days(months, days),
                "rule": month_rule,
                "days": result.remission_days,
                "release": fmt(release),
            }
        )
    elif explain:
        result.steps.append(
            _("Belum ada remisi → perkiraan bebas %(release)s.") % {"release": fmt(release)}
        )
    return result


def fraction_day(
    *,
    start: datetime.date,
    release: datetime.date,
    full_end: datetime.date | None,
    numerator: int,
    denominator: int,
    reading: Reading,
) -> datetime.date:
    """The first day on which numerator/denominator of the term is served (module doc)."""
    if reading.remisi == RemisiReading.AS_SERVED and full_end is not None:
        term = (full_end - start).days
        remisi = (full_end - release).days
        return start + datetime.timedelta(days=math.ceil(term * numerator / denominator) - remisi)
    term = (release - start).days
    return start + datetime.timedelta(days=math.ceil(term * numerator / denominator))


def fraction_text(
    *,
    start: datetime.date,
    release: datetime.date,
    full_end: datetime.date | None,
    numerator: int,
    denominator: int,
    reading: Reading,
) -> str:
    """The arithmetic of `fraction_day` in words."""
    day = fraction_day(
        start=start,
        release=release,
        full_end=full_end,
        numerator=numerator,
        denominator=denominator,
        reading=reading,
    )
    if reading.remisi == RemisiReading.AS_SERVED and full_end is not None:
        return _(
            "%(n)s/%(d)s × %(term)s hari pidana penuh = %(part)s hari, dikurangi remisi "
            "%(remisi)s hari (dihitung telah dijalani), sejak %(start)s → %(date)s."
        ) % {
            "n": numerator,
            "d": denominator,
            "term": (full_end - start).days,
            "part": math.ceil((full_end - start).days * numerator / denominator),
            "remisi": (full_end - release).days,
            "start": fmt(start),
            "date": fmt(day),
        }
    term = (release - start).days
    return _(
        "%(n)s/%(d)s × %(term)s hari (mulai %(start)s s.d. perkiraan bebas %(release)s) = "
        "%(part)s hari → %(date)s."
    ) % {
        "n": numerator,
        "d": denominator,
        "term": term,
        "start": fmt(start),
        "release": fmt(release),
        "part": math.ceil(term * numerator / denominator),
        "date": fmt(day),
    }


def readings_for(facility_ids) -> dict[int, Reading]:
    """The readings of many facilities in one query: {facility id: Reading} (a facility row
    over the national one, else the stated defaults)."""
    from django.db.models import Q

    from .models import ReckoningSetting

    rows = {
        row.facility_id: row
        for row in ReckoningSetting.objects.filter(
            Q(facility_id__in=list(facility_ids)) | Q(facility__isnull=True)
        )
    }
    national = rows.get(None)
    readings = {}
    for pk in facility_ids:
        row = rows.get(pk) or national
        readings[pk] = (
            Reading(remisi=row.remisi_reading, month=row.month_reading, legal_basis=row.legal_basis)
            if row is not None
            else Reading()
        )
    return readings
