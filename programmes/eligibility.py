"""Who may join a programme or start an assimilation placement, with every rule's reason.

Literacy level and interest come from the assessments app, read lazily so that this app
works before (and without) it.
"""

import datetime
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from rutan.core import providers
from rutan.core.choices import ProgrammeArea, Script
from rutan.core.models import LiteracyLevel
from rutan.facilities.models import Sex
from rutan.inmates.choices import STAGE_ORDER, CoachingStage, DisciplinaryStatus, InmateStatus
from rutan.inmates.models import DisciplinaryEntry, Inmate


@dataclass(frozen=True)
class RuleResult:
    rule: str
    label: str
    passed: bool
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


def inmate_literacy_level(inmate: Inmate, script: str = Script.LATIN) -> LiteracyLevel | None:
    """The level of the inmate's latest final literacy assessment in `script`, None when
    there is none (an assessment in another script does not count)."""
    provider = providers.get("inmate_literacy_level")
    return provider(inmate=inmate, script=script) if provider else None


def inmate_interest_areas(inmate: Inmate) -> list[str]:
    """The ranked areas of the inmate's latest final interest assessment ([] when none)."""
    provider = providers.get("inmate_interest_areas")
    return list(provider(inmate=inmate)) if provider else []


_READ = object()  # programme_eligibility reads the inmate's assessments itself


def programme_eligibility_of(*, programme, inmates, on: datetime.date | None = None) -> dict:
    """`programme_eligibility` of each of `inmates` (a page of them, of the programme's
    facility) on `on`: inmate id -> results, with one query per assessment rule the
    programme sets, whatever the number of inmates."""
    inmates = list(inmates)
    on = on or programme.facility.today()
    levels = areas = None
    if programme.min_literacy_level_id:
        provider = providers.get("inmate_literacy_levels")
        levels = (
            provider(inmates=inmates, script=programme.min_literacy_level.script)
            if provider
            else {}
        )
    if programme.required_interest_area:
        provider = providers.get("inmate_interest_areas_of")
        areas = provider(inmates=inmates) if provider else {}
    return {
        inmate.pk: programme_eligibility(
            programme=programme,
            inmate=inmate,
            on=on,
            literacy=_READ if levels is None else levels.get(inmate.pk),
            areas=_READ if areas is None else areas.get(inmate.pk, []),
        )
        for inmate in inmates
    }


def _stage_label(stage: str | None) -> str:
    return str(CoachingStage(stage).label) if stage else _("belum berputusan (tahanan)")


def programme_eligibility(
    *, programme, inmate: Inmate, on: datetime.date | None = None, literacy=_READ, areas=_READ
):
    """Check every eligibility rule of `programme` for `inmate` on `on` (default today).

    Rules: held at the programme's facility and active; sex; coaching stage; minimum literacy
    level, compared with the latest final assessment in the minimum's own script (an inmate
    without one in that script fails); required interest area. Only the rules the programme
    sets are checked. Returns a list of RuleResult, passed or not. `literacy` and `areas`,
    when given, are the inmate's level and interests already read (programme_eligibility_of).
    """
    on = on or inmate.facility.today()
    results = [
        RuleResult(
            "facility",
            _("WBP di UPT ini"),
            inmate.facility_id == programme.facility_id and inmate.status == InmateStatus.ACTIVE,
            _("WBP aktif di %(facility)s.") % {"facility": programme.facility}
            if inmate.facility_id == programme.facility_id and inmate.status == InmateStatus.ACTIVE
            else _("WBP tidak sedang ditahan di %(facility)s.") % {"facility": programme.facility},
        )
    ]
    if programme.eligible_sex:
        wanted = Sex(programme.eligible_sex).label
        ok = inmate.sex == programme.eligible_sex
        results.append(
            RuleResult(
                "sex",
                _("Jenis kelamin"),
                ok,
                _("Program khusus %(sex)s.") % {"sex": str(wanted).lower()}
                if not ok
                else _("Sesuai (%(sex)s).") % {"sex": str(wanted).lower()},
            )
        )
    if programme.eligible_stages:
        stage = inmate.stage_on(on)
        ok = stage in programme.eligible_stages
        allowed = programme.get_eligible_stages_display()
        results.append(
            RuleResult(
                "stage",
                _("Tahap pembinaan"),
                ok,
                _("Tahap %(stage)s; program untuk tahap %(allowed)s.")
                % {"stage": _stage_label(stage), "allowed": allowed},
            )
        )
    if programme.min_literacy_level_id:
        minimum = programme.min_literacy_level
        script = minimum.get_script_display()
        level = inmate_literacy_level(inmate, minimum.script) if literacy is _READ else literacy
        if level is None:
            results.append(
                RuleResult(
                    "literacy",
                    _("Tingkat literasi"),
                    False,
                    _("Belum ada asesmen literasi aksara %(script)s; minimal %(min)s.")
                    % {"script": script, "min": minimum.display_label},
                )
            )
        else:
            results.append(
                RuleResult(
                    "literacy",
                    _("Tingkat literasi"),
                    level.rank >= minimum.rank,
                    _("Literasi %(script)s %(level)s; minimal %(min)s.")
                    % {
                        "script": script,
                        "level": level.display_label,
                        "min": minimum.display_label,
                    },
                )
            )
    if programme.required_interest_area:
        area = ProgrammeArea(programme.required_interest_area)
        areas = inmate_interest_areas(inmate) if areas is _READ else areas
        if not areas:
            reason, ok = (
                _("Belum ada asesmen minat; disyaratkan minat %(area)s.") % {"area": area.label},
                False,
            )
        else:
            ok = area.value in areas
            reason = (
                _("Minat %(area)s tercatat.") % {"area": area.label}
                if ok
                else _("Minat %(area)s tidak tercatat pada asesmen minat.") % {"area": area.label}
            )
        results.append(RuleResult("interest", _("Minat"), ok, reason))
    return results


def assimilation_eligibility(*, inmate: Inmate, on: datetime.date | None = None):
    """Check whether `inmate` may start assimilation on `on` (fallback rules).

    The assessments app decides when present (time, Register F, SPPN, … as data); without
    it the fallback rules apply: active and sentenced; coaching stage on `on` is asimilasi or
    later; no open Register F entry. Returns every rule as a RuleResult, passed or not.
    """
    on = on or inmate.facility.today()
    provider = providers.get("assimilation_eligibility")
    if provider is not None:
        result = provider(inmate=inmate, on=on)
        return [RuleResult(r.code, r.label, r.passed, r.reason) for r in result.rules]
    active = inmate.status == InmateStatus.ACTIVE
    results = [
        RuleResult(
            "active",
            _("Status WBP"),
            active,
            _("WBP aktif.") if active else _("WBP tidak lagi aktif di UPT ini."),
        )
    ]
    stage = inmate.stage_on(on)
    threshold = STAGE_ORDER.index(CoachingStage.ASIMILASI)
    ok = stage is not None and STAGE_ORDER.index(stage) >= threshold
    if ok:
        reason = _("Tahap %(stage)s.") % {"stage": _stage_label(stage)}
    elif stage is None:
        reason = _("Belum berputusan (tahanan); asimilasi hanya untuk narapidana.")
    else:
        reason = _("Tahap %(stage)s; asimilasi mulai %(date)s.") % {
            "stage": _stage_label(stage),
            "date": inmate.asimilasi_from.strftime("%d-%m-%Y") if inmate.asimilasi_from else "—",
        }
    results.append(RuleResult("stage", _("Tahap pembinaan ≥ asimilasi"), ok, reason))
    open_entries = DisciplinaryEntry.objects.filter(
        inmate=inmate, status=DisciplinaryStatus.OPEN
    ).count()
    results.append(
        RuleResult(
            "register_f",
            _("Tanpa register F berjalan"),
            open_entries == 0,
            _("Tidak ada catatan register F berjalan.")
            if open_entries == 0
            else _("Ada %(n)d catatan register F yang masih berjalan.") % {"n": open_entries},
        )
    )
    return results


def failing(results) -> list[RuleResult]:
    return [r for r in results if not r.passed]
