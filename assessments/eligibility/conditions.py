"""The conditions of a right judged one by one: each answers a `RuleResult` with its
reason in Indonesian, its legal basis and how its date was computed."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rutan.inmates import reckoning
from rutan.inmates.choices import DisciplinaryStatus, InmateStatus, LegalStatus, SentenceKind
from rutan.inmates.models import Inmate

from ..choices import KIND_SHORT, ConditionCode, WindowAnchor
from ..models import EligibilityRule
from .rules import (
    RuleResult,
    as_months,
    duration_text,
    fmt_date,
    fmt_month,
    fmt_score,
    fraction_long_enough,
    fraction_of,
    latest_grant,
    leave_start,
    month_rule_text,
    sentence_end,
    sentence_text,
)

# The rules ---------------------------------------------------------------------------------


def status_rule(inmate: Inmate) -> RuleResult:
    label = _("Narapidana aktif dengan putusan")
    if inmate.status != InmateStatus.ACTIVE:
        return RuleResult("status", label, False, _("WBP tidak lagi aktif di UPT."))
    if inmate.legal_status != LegalStatus.NARAPIDANA:
        return RuleResult("status", label, False, _("Masih tahanan; belum ada putusan pidana."))
    if inmate.sentence_kind == SentenceKind.SEUMUR_HIDUP:
        return RuleResult(
            "status",
            label,
            False,
            _("Pidana seumur hidup: tidak ada tanggal pecahan, hak ini tidak dapat dihitung."),
        )
    if inmate.sentence_kind == SentenceKind.MATI:
        return RuleResult(
            "status", label, False, _("Pidana mati: tidak ada tanggal pecahan maupun hak ini.")
        )
    if not inmate.has_sentence:
        return RuleResult("status", label, False, _("Masa pidana belum tercatat."))
    return RuleResult("status", label, True, _("Narapidana aktif dengan masa pidana tercatat."))


def _when(date: datetime.date, on: datetime.date) -> str:
    if on >= date:
        return _("Terpenuhi sejak %(date)s.") % {"date": fmt_date(date)}
    days = (date - on).days
    return ngettext(
        "Terpenuhi pada %(date)s (%(days)s hari lagi).",
        "Terpenuhi pada %(date)s (%(days)s hari lagi).",
        days,
    ) % {"date": fmt_date(date), "days": days}


def _not_applicable(rule: EligibilityRule, kind_short: str) -> str:
    if rule.instead_kind:
        return _("%(kind)s tidak berlaku; lihat %(instead)s.") % {
            "kind": kind_short,
            "instead": KIND_SHORT.get(rule.instead_kind, rule.instead_kind),
        }
    return _("%(kind)s tidak berlaku.") % {"kind": kind_short}


def time_rule(inmate, rule, condition, on, reading, result) -> tuple[RuleResult, datetime.date]:
    n, d = condition.numerator, condition.denominator
    label = _("Telah menjalani %(n)s/%(d)s masa pidana") % {"n": n, "d": d}
    if condition.months:
        label += _(" (%(n)s/%(d)s itu paling sedikit %(m)s bulan)") % {
            "n": n,
            "d": d,
            "m": condition.months,
        }
    date, length = fraction_of(inmate, condition, reading)
    start, release = inmate.sentence_start, inmate.expected_release_date
    how = [
        reckoning.fraction_text(
            start=start,
            release=release,
            full_end=inmate.full_term_end(),
            numerator=n,
            denominator=d,
            reading=reading,
        )
    ]
    rr = RuleResult(ConditionCode.MASA_PIDANA, label, False, "", None, condition.basis_display, how)
    if condition.months:
        long_enough = fraction_long_enough(inmate, condition, length, reading)
        how.append(
            _(
                "%(n)s/%(d)s masa pidana = %(days)s hari = %(months)s (%(rule)s) "
                "%(cmp)s %(m)s bulan."
            )
            % {
                "n": n,
                "d": d,
                "days": length,
                "months": as_months(start, length, reading),
                "rule": month_rule_text(reading),
                "cmp": "≥" if long_enough else "<",
                "m": condition.months,
            }
        )
        if not long_enough:
            result.applies = False
            rr.reason = _("%(n)s/%(d)s masa pidana = %(months)s < %(m)s bulan: %(na)s") % {
                "n": n,
                "d": d,
                "months": as_months(start, length, reading),
                "m": condition.months,
                "na": _not_applicable(rule, result.kind_short),
            }
            return rr, date
    rr.date = date
    if date >= release:
        result.applies = False
        rr.reason = _(
            "Sisa masa pidana tidak cukup: syarat waktu baru terpenuhi %(date)s, "
            "setelah perkiraan bebas %(release)s."
        ) % {"date": fmt_date(date), "release": fmt_date(release)}
        return rr, date
    rr.passed = on >= date
    rr.reason = _when(date, on)
    if result.special:
        rr.reason += " " + _("Ketentuan tindak pidana khusus berlaku.")
    if result.category_note:
        rr.reason += " " + result.category_note
    return rr, date


def leave_rule(inmate, rule, condition, on, reading, fraction_date, result) -> RuleResult:
    label = _("Lamanya %(kind)s sebesar remisi terakhir, paling lama %(m)s bulan") % {
        "kind": result.kind_short,
        "m": condition.months,
    }
    rr = RuleResult(ConditionCode.LAMA_CUTI, label, False, "", None, condition.basis_display)
    grant = latest_grant(inmate)
    if grant is None:
        result.applies = False
        rr.reason = _(
            "Belum ada remisi: lamanya %(kind)s sebesar remisi terakhir, jadi %(kind)s belum "
            "dapat diberikan."
        ) % {"kind": result.kind_short}
        return rr
    release = inmate.expected_release_date
    by_remisi = reckoning.sub_months(release, grant.months, grant.days, reading.month)
    by_cap = reckoning.sub_months(release, condition.months, 0, reading.month)
    date = leave_start(inmate, condition, reading, grant, fraction_date)
    length = reckoning.months_days(grant.months, grant.days)
    rr.how = [
        _("Remisi terakhir: %(length)s (%(kind)s, keputusan %(number)s tanggal %(date)s).")
        % {
            "length": length,
            "kind": grant.get_kind_display(),
            "number": grant.decree_number,
            "date": fmt_date(grant.decree_date),
        },
        _("Perkiraan bebas %(release)s − %(length)s (%(rule)s) = %(date)s.")
        % {
            "release": fmt_date(release),
            "length": length,
            "rule": month_rule_text(reading),
            "date": fmt_date(by_remisi),
        },
    ]
    if by_cap > by_remisi:
        rr.how.append(
            _("Paling lama %(m)s bulan: %(release)s − %(m)s bulan = %(date)s.")
            % {"m": condition.months, "release": fmt_date(release), "date": fmt_date(by_cap)}
        )
    if fraction_date and fraction_date > max(by_remisi, by_cap):
        rr.how.append(
            _("Tidak sebelum tanggal pecahan masa pidana %(date)s.")
            % {"date": fmt_date(fraction_date)}
        )
    rr.how.append(
        _("%(kind)s mulai %(date)s.") % {"kind": result.kind_short, "date": fmt_date(date)}
    )
    rr.date = date
    if date >= release:
        result.applies = False
        rr.reason = _not_applicable(rule, result.kind_short)
        return rr
    rr.passed = on >= date
    rr.reason = _("%(kind)s mulai %(date)s, sampai perkiraan bebas %(release)s.") % {
        "kind": result.kind_short,
        "date": fmt_date(date),
        "release": fmt_date(release),
    }
    rr.reason += " " + _when(date, on)
    return rr


def length_rule(inmate, rule, condition, result, *, longest: bool) -> RuleResult:
    limit = inmate.sentence_start + relativedelta(months=condition.months)
    end = sentence_end(inmate)
    within = end <= limit if longest else end >= limit
    values = {"limit": duration_text(condition.months)}
    label = (
        _("Pidana paling lama %(limit)s") % values
        if longest
        else _("Pidana paling singkat %(limit)s") % values
    )
    reason = _("Lama pidana %(term)s.") % {"term": sentence_text(inmate)}
    if not within:
        result.applies = False
        reason += " " + (_("Melebihi batas.") if longest else _("Kurang dari batas."))
        reason += " " + _not_applicable(rule, result.kind_short)
    return RuleResult(
        ConditionCode.LAMA_PIDANA if longest else ConditionCode.LAMA_PIDANA_MIN,
        label,
        within,
        reason,
        None,
        condition.basis_display,
    )


def _anchor_text(fraction: str) -> str:
    return _("tanggal %(f)s masa pidana") % {"f": fraction}


def _window(condition, on, anchor, reading) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a register F window."""
    if condition.window_anchor == WindowAnchor.YEAR:
        return datetime.date(on.year, 1, 1), on
    if condition.window_anchor == WindowAnchor.FRACTION and anchor is not None:
        return reckoning.sub_months(anchor, condition.months, 0, reading.month), max(anchor, on)
    return reckoning.sub_months(on, condition.months, 0, reading.month), on


def discipline_rule(condition, on, anchor, fraction, entries, reading) -> RuleResult:
    months = condition.months
    if condition.window_anchor == WindowAnchor.YEAR:
        label = _("Tidak melanggar tata tertib (register F) dalam tahun berjalan")
    elif condition.window_anchor == WindowAnchor.FRACTION:
        label = _(
            "Tidak menjalani hukuman disiplin (register F) %(m)s bulan terakhir sebelum %(anchor)s"
        ) % {"m": months, "anchor": _anchor_text(fraction)}
    else:
        label = _("Tidak menjalani hukuman disiplin (register F) %(m)s bulan terakhir") % {
            "m": months
        }
    start, end = _window(condition, on, anchor, reading)
    how = [
        _("Kurun waktu register F: %(start)s s.d. %(end)s (%(anchor)s; %(rule)s).")
        % {
            "start": fmt_date(start),
            "end": fmt_date(end),
            "anchor": WindowAnchor(condition.window_anchor).label.lower(),
            "rule": month_rule_text(reading),
        }
    ]
    rr = RuleResult(ConditionCode.REGISTER_F, label, False, "", None, condition.basis_display, how)
    open_entries = [e for e in entries if e.status == DisciplinaryStatus.OPEN]
    if open_entries:
        first = min(open_entries, key=lambda e: e.occurred_on)
        rr.reason = _("Register F masih berjalan: %(sanction)s sejak %(date)s.") % {
            "sanction": first.sanction,
            "date": fmt_date(first.occurred_on),
        }
        return rr
    ends = [
        e.closed_on or e.sanction_until or e.occurred_on for e in entries if e.occurred_on <= end
    ]
    recent = [value for value in ends if value >= start]
    if recent:
        last = max(recent)
        if condition.window_anchor == WindowAnchor.YEAR:
            clean_on = datetime.date(last.year + 1, 1, 1)
            rr.reason = _(
                "Hukuman disiplin berakhir %(end)s dalam tahun berjalan; bersih pada %(date)s."
            ) % {"end": fmt_date(last), "date": fmt_date(clean_on)}
        else:
            clean_on = reckoning.add_months(last, months, 1, reading.month)
            rr.reason = _(
                "Hukuman disiplin berakhir %(end)s; bersih %(m)s bulan pada %(date)s."
            ) % {
                "end": fmt_date(last),
                "m": months,
                "date": fmt_date(clean_on),
            }
        rr.date = clean_on
        return rr
    rr.passed = True
    rr.reason = _("Tidak ada catatan register F dalam kurun itu.")
    return rr


def sppn_months(on: datetime.date, count: int) -> list[datetime.date]:
    """The `count` complete months before `on`'s month, oldest first."""
    first = on.replace(day=1)
    return [first - relativedelta(months=k) for k in range(count, 0, -1)]


def _sppn_window(condition, on, anchor) -> list[datetime.date]:
    if condition.window_anchor == WindowAnchor.YEAR:
        return [datetime.date(on.year, m, 1) for m in range(1, on.month)]
    if condition.window_anchor == WindowAnchor.FRACTION and anchor is not None:
        return sppn_months(anchor, condition.months)
    return sppn_months(on, condition.months)


def sppn_rule(condition, on, anchor, fraction, scores: dict, custody_start=None) -> RuleResult:
    """The SPPN average over the condition's window. A month wholly before the first day of
    detention (`custody_start`) without a score is not asked for: it is named as before the
    detention, and the window is not met until enough months in custody are scored."""
    months = _sppn_window(condition, on, anchor)
    minimum = condition.min_average
    if condition.window_anchor == WindowAnchor.YEAR:
        label = _("Nilai SPPN tahun berjalan rata-rata ≥ %(min)s") % {"min": minimum}
    elif condition.window_anchor == WindowAnchor.FRACTION:
        label = _("Nilai SPPN %(n)s bulan sebelum %(anchor)s rata-rata ≥ %(min)s") % {
            "n": len(months),
            "anchor": _anchor_text(fraction),
            "min": minimum,
        }
    else:
        label = _("Nilai SPPN %(n)s bulan terakhir rata-rata ≥ %(min)s") % {
            "n": len(months),
            "min": minimum,
        }
    rr = RuleResult(ConditionCode.SPPN, label, False, "", None, condition.basis_display)
    if not months:
        rr.passed = True
        rr.reason = _(
            "Belum ada bulan lengkap dalam tahun berjalan; perilaku dinilai dari register F."
        )
        return rr
    rr.how.append(
        _("Bulan yang dinilai: %(first)s–%(last)s (%(anchor)s).")
        % {
            "first": fmt_month(months[0]),
            "last": fmt_month(months[-1]),
            "anchor": WindowAnchor(condition.window_anchor).label.lower(),
        }
    )
    outside = [
        m for m in months if custody_start and m < custody_start.replace(day=1) and m not in scores
    ]
    missing = [m for m in months if m not in scores and m not in outside]
    if outside:
        rr.reason = _(
            "SPPN: %(months)s sebelum penahanan (sejak %(start)s), tidak ada nilai; baru "
            "%(held)s dari %(n)s bulan dalam tahanan."
        ) % {
            "months": ", ".join(fmt_month(m) for m in outside),
            "start": fmt_date(custody_start),
            "held": len(months) - len(outside),
            "n": len(months),
        }
        if missing:
            rr.reason += " " + _("Belum ada nilai untuk %(months)s.") % {
                "months": ", ".join(fmt_month(m) for m in missing)
            }
        return rr
    if missing:
        rr.reason = _("SPPN: belum ada nilai untuk %(months)s.") % {
            "months": ", ".join(fmt_month(m) for m in missing)
        }
        pending = [m for m in missing if m >= on.replace(day=1)]
        if pending:
            rr.reason += " " + _("Bulan %(months)s belum berakhir.") % {
                "months": ", ".join(fmt_month(m) for m in pending)
            }
        return rr
    averages = [scores[m].average for m in months]
    average = sum(averages) / len(averages)
    rr.how.append(
        _("Rata-rata: (%(values)s) / %(n)s = %(avg)s.")
        % {
            "values": " + ".join(fmt_score(a) for a in averages),
            "n": len(averages),
            "avg": fmt_score(average),
        }
    )
    values = {
        "first": fmt_month(months[0]),
        "last": fmt_month(months[-1]),
        "avg": fmt_score(average),
        "min": minimum,
    }
    if average < minimum:
        rr.reason = _("SPPN: rata-rata %(first)s–%(last)s %(avg)s di bawah %(min)s.") % values
        return rr
    rr.passed = True
    rr.reason = _("Rata-rata %(first)s–%(last)s %(avg)s ≥ %(min)s.") % values
    return rr


def _guarantor_label(kinds) -> str:
    if not kinds:
        return _("Ada penjamin")
    from partners.models import GuarantorKind

    return _("Ada penjamin: %(kinds)s") % {
        "kinds": ", ".join(str(GuarantorKind(k).label).lower() for k in kinds)
    }


def _who(guarantee) -> str:
    if guarantee.is_person:
        return _("%(name)s (%(kind)s%(rel)s)") % {
            "name": guarantee.name,
            "kind": guarantee.get_guarantor_kind_display().lower(),
            "rel": f", {guarantee.relationship}" if guarantee.relationship else "",
        }
    return guarantee.guarantor_name


def guarantor_rule(condition, guarantees: list, result) -> RuleResult:
    kinds = list(condition.guarantor_kinds or [])
    rr = RuleResult(
        ConditionCode.PENJAMIN, _guarantor_label(kinds), False, "", None, condition.basis_display
    )
    if not guarantees:
        rr.reason = _("Belum ada penjamin tercatat.")
        return rr
    accepted = [g for g in guarantees if not kinds or g.guarantor_kind in kinds]
    if not accepted:
        rr.reason = _(
            "Jaminan tercatat dari %(who)s, tetapi syarat ini memerlukan penjamin %(kinds)s."
        ) % {
            "who": _who(guarantees[0]),
            "kinds": _guarantor_label(kinds).split(": ", 1)[-1],
        }
        return rr
    result.guarantee = accepted[0]
    rr.passed = True
    rr.reason = _("Dijamin oleh %(who)s.") % {"who": _who(accepted[0])}
    return rr


def guarantees_for(inmates, on) -> dict:
    """Active guarantees per inmate id on `on`, newest first (one query)."""
    try:
        from partners.selectors import guarantees_by_inmate
    except ImportError:
        return {}
    return guarantees_by_inmate(inmates=inmates, on=on)
