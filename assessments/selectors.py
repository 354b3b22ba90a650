"""Reads of assessments, always through the user's scope; recommendations; worklists."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import django_filters
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.eligibility.rules import fmt_score
from rutan.core.choices import AREA_PILLAR, Pillar, ProgrammeArea, Script
from rutan.core.filters import apply, id_filter
from rutan.core.models import LiteracyLevel
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, get_scoped_or_404, user_can
from rutan.facilities.models import Facility
from rutan.inmates.choices import CaseCategory, InmateStatus, LegalStatus
from rutan.inmates.models import Inmate

from . import eligibility
from .access import holds_confidential_role
from .choices import AssessmentKind, AssessmentStatus, EligibilityKind
from .models import (
    BehaviourScore,
    CounsellingSession,
    FacilitySurvey,
    InmateAssessment,
    InterestAssessment,
    LiteracyAssessment,
    PsychologicalAssessment,
)

KIND_MODELS = {
    AssessmentKind.PSIKOLOGIS: PsychologicalAssessment,
    AssessmentKind.LITERASI: LiteracyAssessment,
    AssessmentKind.MINAT: InterestAssessment,
    AssessmentKind.SPPN: BehaviourScore,
    AssessmentKind.KONSELING: CounsellingSession,
}
# SPPN scores belong to the month they score, not to the day they were typed in.
_DATE_FIELD = {AssessmentKind.KONSELING: "held_on", AssessmentKind.SPPN: "month"}
_ASSESSOR_FIELD = {AssessmentKind.KONSELING: "counsellor"}
_RELATED = {AssessmentKind.LITERASI: ("level",)}


_MODEL_KINDS = {model: kind for kind, model in KIND_MODELS.items()}


def date_field(kind: str) -> str:
    return _DATE_FIELD.get(kind, "assessed_on")


def assessor_field(kind: str) -> str:
    return _ASSESSOR_FIELD.get(kind, "assessor")


def _visible(model, user) -> QuerySet:
    """Records in the user's assessment scope, plus an intern's own psychological drafts."""
    qs = model.objects.for_user(user, Perm.ASSESSMENT_VIEW)
    if model is PsychologicalAssessment:
        drafter = facility_ids_for(user, Perm.PSYCH_DRAFT)
        if drafter is None or drafter:
            own = model.objects.filter(assessor=user)
            if drafter is not None:
                own = own.filter(inmate__facility__in=drafter)
            qs = model.objects.filter(Q(pk__in=qs.values("pk")) | Q(pk__in=own.values("pk")))
    return qs


def _search_inmate(queryset, name, value):
    value = value.strip()
    return queryset.filter(
        Q(inmate__name__icontains=value) | Q(inmate__registration_number__icontains=value)
    )


class AssessmentFilter(django_filters.FilterSet):
    """Filters of every assessment list; each kind's model names its date and assessor."""

    search = django_filters.CharFilter(
        method=_search_inmate, max_length=100, help_text="Inmate name or registration number"
    )
    q = django_filters.CharFilter(method=_search_inmate, max_length=100, help_text="Same as search")
    facility = id_filter(field_name="inmate__facility")
    inmate = id_filter()
    assessor = id_filter(method="filter_assessor")
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, method="filter_status")
    date_from = django_filters.DateFilter(method="filter_date_from")
    date_to = django_filters.DateFilter(method="filter_date_to")

    class Meta:
        model = InmateAssessment
        fields = []

    @property
    def kind(self) -> str:
        return _MODEL_KINDS[self.queryset.model]

    def filter_assessor(self, queryset, name, value):
        return queryset.filter(**{assessor_field(self.kind): value})

    def filter_status(self, queryset, name, value):
        return queryset if self.kind == AssessmentKind.KONSELING else queryset.filter(status=value)

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(**{f"{date_field(self.kind)}__gte": value})

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(**{f"{date_field(self.kind)}__lte": value})


class LiteracyFilter(AssessmentFilter):
    script = django_filters.ChoiceFilter(
        choices=Script.choices,
        error_messages={"invalid_choice": gettext_lazy("Aksara tidak dikenal.")},
    )
    level = django_filters.ModelChoiceFilter(
        queryset=LiteracyLevel.objects.all(),
        to_field_name="code",
        field_name="level",
        help_text="Code of a literacy level",
        error_messages={"invalid_choice": gettext_lazy("Tingkat literasi tidak dikenal.")},
    )

    class Meta(AssessmentFilter.Meta):
        model = LiteracyAssessment


def assessment_list(*, user, kind: str, filters: dict | None = None) -> QuerySet:
    """Assessments of one kind the user may see. Filters (`AssessmentFilter`): facility,
    inmate, date_from, date_to, assessor, status, search or q (inmate name / registration
    number); for literacy (`LiteracyFilter`) also script and level (a LiteracyLevel or its
    code)."""
    model = KIND_MODELS[kind]
    qs = _visible(model, user).select_related(
        "inmate", "inmate__facility", "inmate__block", assessor_field(kind), *_RELATED.get(kind, ())
    )
    filterset = LiteracyFilter if kind == AssessmentKind.LITERASI else AssessmentFilter
    return apply(filterset, filters, qs).order_by(f"-{date_field(kind)}", "-id")


def assessment_get(*, user, kind: str, pk) -> object:
    """One record of `kind` inside the user's scope, else 404."""
    model = KIND_MODELS[kind]
    return get_scoped_or_404(
        _visible(model, user).select_related(
            "inmate",
            "inmate__facility",
            "inmate__block",
            assessor_field(kind),
            *_RELATED.get(kind, ()),
        ),
        user,
        Perm.FACILITY_VIEW,
        pk=pk,
    )


def assessment_inmates(*, user, perm: Perm) -> QuerySet:
    """Active inmates a new assessment that needs `perm` may be written for (the service
    checks the rest); the ones this user may see named are `assessment_inmates_shown`."""
    return Inmate.objects.for_user(user, perm).filter(status=InmateStatus.ACTIVE)


def lists_inmates(*, user, perm: Perm) -> bool:
    """Whether the user reads the register wherever they hold `perm`, so that a form may list
    the inmates by name; an intern (drafts, no `inmate_view`) is never shown the register."""
    register = facility_ids_for(user, Perm.INMATE_VIEW)
    scope = facility_ids_for(user, perm)
    return register is None or (scope is not None and scope <= register)


def assessment_inmates_shown(*, user, perm: Perm) -> QuerySet:
    """Of `assessment_inmates`, those the user may see named or open by id (`?wbp=`): every
    one of a facility whose register the user reads, and those the user assessed before."""
    inmates = assessment_inmates(user=user, perm=perm)
    register = facility_ids_for(user, Perm.INMATE_VIEW)
    if register is None:
        return inmates
    assessed = PsychologicalAssessment.objects.filter(assessor=user).values("inmate_id")
    return inmates.filter(Q(facility__in=register) | Q(pk__in=assessed))


def assessment_inmate_by_number(*, user, perm: Perm, registration_number: str) -> Inmate | None:
    """The one inmate of `assessment_inmates` with exactly this registration number (any
    case, spaces around ignored), or None: a released inmate, one of another facility and a
    number nobody has are alike not found."""
    number = (registration_number or "").strip()
    if not number:
        return None
    found = list(
        assessment_inmates(user=user, perm=perm)
        .filter(registration_number__iexact=number)
        .select_related("block")[:2]
    )
    return found[0] if len(found) == 1 else None


def _final(model, inmate):
    return model.objects.filter(inmate=inmate, status=AssessmentStatus.FINAL).order_by(
        "-assessed_on", "-id"
    )


def latest_literacy(*, inmate: Inmate, script: str = Script.LATIN) -> LiteracyAssessment | None:
    """The inmate's latest final literacy assessment in `script`."""
    return _final(LiteracyAssessment, inmate).filter(script=script).select_related("level").first()


def latest_literacy_level(*, inmate: Inmate, script: str = Script.LATIN) -> LiteracyLevel | None:
    """The level of the inmate's latest final literacy assessment in `script` (Latin by
    default); an assessment in another script never counts."""
    literacy = latest_literacy(inmate=inmate, script=script)
    return literacy.level if literacy else None


def _latest_per_script(records) -> dict[str, LiteracyAssessment]:
    """The first final record of each script in `records` (newest first), in Script order."""
    latest = {}
    for record in records:
        if record.is_final:
            latest.setdefault(record.script, record)
    return {script: latest[script] for script in Script.values if script in latest}


def latest_literacy_levels(*, inmates, script: str = Script.LATIN) -> dict[int, LiteracyLevel]:
    """`latest_literacy_level` of each of `inmates` (a page of them) in one query: inmate id
    -> level, absent for an inmate without a final assessment in `script`."""
    levels: dict[int, LiteracyLevel] = {}
    records = (
        LiteracyAssessment.objects.filter(
            inmate__in=list(inmates), status=AssessmentStatus.FINAL, script=script
        )
        .select_related("level")
        .order_by("inmate_id", "-assessed_on", "-id")
    )
    for record in records:
        levels.setdefault(record.inmate_id, record.level)
    return levels


def interest_areas_of(*, inmates) -> dict[int, list[str]]:
    """`interest_areas` of each of `inmates` (a page of them) in one query: inmate id ->
    ranked areas of the latest final interest assessment, absent without one."""
    areas: dict[int, list[str]] = {}
    records = (
        InterestAssessment.objects.filter(inmate__in=list(inmates), status=AssessmentStatus.FINAL)
        .order_by("inmate_id", "-assessed_on", "-id")
        .values_list("inmate_id", "areas")
    )
    for inmate_id, ranked in records:
        areas.setdefault(inmate_id, list(ranked or []))
    return areas


def interest_areas(*, inmate: Inmate) -> list[str]:
    """Ranked ProgrammeArea codes of the inmate's latest final interest assessment."""
    areas = _final(InterestAssessment, inmate).values_list("areas", flat=True).first()
    return list(areas or [])


def inmate_history(*, user, inmate: Inmate) -> dict:
    """Every assessment of one inmate the user may see, per kind, newest first."""
    return {
        kind: list(
            _visible(model, user)
            .filter(inmate=inmate)
            .select_related(assessor_field(kind), *_RELATED.get(kind, ()))
            .order_by(f"-{date_field(kind)}", "-id")
        )
        for kind, model in KIND_MODELS.items()
    }


@dataclass
class TimelineEntry:
    on: datetime.date
    kind: str
    kind_label: str
    title: str
    detail: str
    status: str
    record: object


def inmate_timeline(*, history: dict) -> list[TimelineEntry]:
    """One combined, newest-first list of an inmate's assessments (no confidential text)."""
    entries = []
    for kind, records in history.items():
        label = str(AssessmentKind(kind).label)
        for r in records:
            entries.append(_timeline_entry(kind, label, r))
    return sorted(entries, key=lambda e: (e.on, e.record.pk), reverse=True)


def _timeline_entry(kind, label, r) -> TimelineEntry:
    if kind == AssessmentKind.KONSELING:
        return TimelineEntry(r.held_on, kind, label, r.topic, "", "", r)
    status = r.get_status_display()
    if kind == AssessmentKind.LITERASI:
        detail = f"{r.level.display_label} ({r.get_script_display()})"
    elif kind == AssessmentKind.MINAT:
        detail = ", ".join(r.area_labels())
    elif kind == AssessmentKind.SPPN:
        detail = _("%(m)s, rata-rata %(a)s") % {
            "m": date_format(r.month, "YEAR_MONTH_FORMAT"),
            "a": fmt_score(r.average),
        }
        return TimelineEntry(r.month, kind, label, label, detail, status, r)
    else:
        detail = r.instrument
    return TimelineEntry(r.assessed_on, kind, label, r.instrument or label, detail, status, r)


def inmate_assessment_summary(*, user, inmate: Inmate) -> dict:
    """What the inmate detail page shows about assessments: counts per kind, the latest
    literacy per script, interests and SPPN, and the psychological assessments (existence
    only; their findings appear on the assessment page for those allowed)."""
    if not user_can(user, Perm.ASSESSMENT_VIEW, inmate.facility):
        return {"visible": False}
    history = inmate_history(user=user, inmate=inmate)
    literacy = _latest_per_script(history[AssessmentKind.LITERASI])
    interest = next((a for a in history[AssessmentKind.MINAT] if a.is_final), None)
    sppn = history[AssessmentKind.SPPN][:1]
    return {
        "visible": True,
        "inmate": inmate,
        "counts": [
            (kind, AssessmentKind(kind).label, len(records)) for kind, records in history.items()
        ],
        "literacy": [(label, literacy.get(script)) for script, label in Script.choices],
        "interest": interest,
        "sppn": sppn[0] if sppn else None,
        "psychological": history[AssessmentKind.PSIKOLOGIS][:5],
        "can_read_confidential": holds_confidential_role(user, inmate.facility),
    }


# Recommendations ---------------------------------------------------------------------------


@dataclass
class Suggestion:
    rank: int
    area: str
    pillar: str
    reason: str
    programmes: list = field(default_factory=list)

    @property
    def area_label(self) -> str:
        return str(ProgrammeArea(self.area).label) if self.area else str(Pillar(self.pillar).label)


def programme_model():
    """The programmes app's Programme model, or None while that app has no model yet."""
    try:
        return apps.get_model("programmes", "Programme")
    except LookupError:
        return None


def enrolment_service():
    """`programmes.services.enrolment_create`, or None when it is not there yet."""
    try:
        from programmes.services import enrolment_create
    except ImportError:
        return None
    return enrolment_create


def recommendations(*, inmate: Inmate, on: datetime.date | None = None) -> list[Suggestion]:
    """Ranked programme suggestions with their reason, from the inmate's final assessments,
    case and eligibility: the latest literacy level of each script → the class its track
    recommends (Latin → literacy / kesetaraan, Al-Qur'an → Qur'an reading, as set on the
    LiteracyLevel), NAPZA case → rehabilitation, interests in their rank → skills programmes,
    eligible for asimilasi → assimilation. Each carries the open programmes of the inmate's
    facility in that area that are open to the inmate's sex and whose minimum literacy (in
    its own script) the inmate meets."""
    on = on or inmate.facility.today()
    raw: list[tuple[str, str, str]] = []
    literacy = _latest_per_script(_final(LiteracyAssessment, inmate).select_related("level"))
    for record in literacy.values():
        level = record.level
        if level.recommended_area and level.recommended_area not in {a for a, _p, _r in raw}:
            raw.append(
                (
                    level.recommended_area,
                    AREA_PILLAR.get(level.recommended_area, Pillar.KEPRIBADIAN),
                    _("literasi %(script)s: %(level)s (asesmen %(date)s) → %(programme)s")
                    % {
                        "script": record.get_script_display(),
                        "level": level.display_label,
                        "date": record.assessed_on.strftime("%d-%m-%Y"),
                        "programme": level.display_recommendation
                        or ProgrammeArea(level.recommended_area).label,
                    },
                )
            )
    if inmate.case_category == CaseCategory.NARKOTIKA:
        raw.append(
            (ProgrammeArea.NAPZA, Pillar.REHABILITASI, _("kasus narkotika → Rehabilitasi NAPZA"))
        )
    for position, area in enumerate(interest_areas(inmate=inmate), start=1):
        if area in ProgrammeArea.values and area not in {a for a, _p, _r in raw}:
            label = ProgrammeArea(area).label
            raw.append(
                (
                    area,
                    AREA_PILLAR.get(area, Pillar.KEMANDIRIAN),
                    _("minat: %(area)s (pilihan %(n)s) → Pelatihan %(area_title)s")
                    % {"area": str(label).lower(), "n": position, "area_title": label},
                )
            )
    if inmate.status == InmateStatus.ACTIVE and inmate.legal_status == LegalStatus.NARAPIDANA:
        result = eligibility.evaluate(inmate=inmate, kind=EligibilityKind.ASIMILASI, on=on)
        if result.eligible:
            raw.append(
                (
                    "",
                    Pillar.ASIMILASI,
                    _("memenuhi syarat asimilasi (masa pidana, SPPN, tanpa register F)"),
                )
            )
    suggestions = [
        Suggestion(rank=n, area=area, pillar=pillar, reason=reason)
        for n, (area, pillar, reason) in enumerate(raw, start=1)
    ]
    levels = {script: record.level for script, record in literacy.items()}
    _attach_programmes(inmate, suggestions, levels)
    return suggestions


def _meets_literacy(programme, levels: dict[str, LiteracyLevel]) -> bool:
    minimum = programme.min_literacy_level
    if minimum is None:
        return True
    level = levels.get(minimum.script)
    return level is not None and level.rank >= minimum.rank


def _attach_programmes(
    inmate: Inmate, suggestions: list[Suggestion], levels: dict[str, LiteracyLevel]
) -> None:
    Programme = programme_model()
    if Programme is None or not suggestions:
        return
    areas = [s.area for s in suggestions if s.area]
    wants_assimilation = any(s.pillar == Pillar.ASIMILASI and not s.area for s in suggestions)
    match = Q(area__in=areas)
    if wants_assimilation:
        match |= Q(pillar=Pillar.ASIMILASI)
    qs = Programme.objects.filter(
        match, facility=inmate.facility, status__in=["planned", "running"]
    ).select_related("min_literacy_level")
    taken = _taken_programme_ids(inmate)
    programmes = [
        p
        for p in qs.order_by("status", "title", "id")
        if p.pk not in taken and p.eligible_sex in ("", inmate.sex) and _meets_literacy(p, levels)
    ]
    for s in suggestions:
        s.programmes = [
            p for p in programmes if (p.area == s.area if s.area else p.pillar == Pillar.ASIMILASI)
        ]


def _taken_programme_ids(inmate: Inmate) -> set[int]:
    try:
        Enrolment = apps.get_model("programmes", "Enrolment")
    except LookupError:
        return set()
    return set(
        Enrolment.objects.filter(inmate=inmate, status__in=["waitlisted", "active"]).values_list(
            "programme_id", flat=True
        )
    )


# Eligibility worklist and surveys ------------------------------------------------------------


def rights_population(qs):
    """The inmates of `qs` whose rights are judged: active and sentenced, with a term (the
    worklist and the stored standings, `assessments.standings`, read the same ones)."""
    return qs.filter(
        status=InmateStatus.ACTIVE,
        legal_status=LegalStatus.NARAPIDANA,
        sentence_start__isnull=False,
        expected_release_date__isnull=False,
    )


def eligibility_worklist(
    *,
    user,
    kind: str,
    facility=None,
    on: datetime.date | None = None,
    within_days: int = 60,
    only_eligible: bool = False,
) -> list:
    """Sentenced, active inmates the user may see who meet the time rule of `kind` today or
    within `within_days`, with every rule judged (see `eligibility.worklist`).

    Without `on`, today is each inmate's facility's date (WIB, WITA, WIT), so the dashboard
    of a facility and this list agree at any hour.
    """
    qs = rights_population(Inmate.objects.for_user(user, Perm.ASSESSMENT_VIEW))
    if facility is not None:
        qs = qs.filter(facility=facility)
    inmates = list(qs.select_related("facility", "block"))
    if on is not None or facility is not None:
        groups = {on or facility.today(): inmates}
    else:
        groups = {}
        for inmate in inmates:
            groups.setdefault(inmate.facility.today(), []).append(inmate)
    results = []
    for day, group in groups.items():
        results += eligibility.worklist(inmates=group, kind=kind, on=day, within_days=within_days)
    if only_eligible:
        results = [r for r in results if r.eligible]
    return sorted(results, key=lambda r: (r.time_date, r.inmate.name, r.inmate.pk))


def sppn_due(
    *,
    user,
    facility: Facility,
    month: datetime.date,
    perm: Perm = Perm.ASSESSMENT_VIEW,
    shown: Iterable[int] = (),
):
    """Inmates still waiting for their SPPN score of `month` at `facility`: sentenced and
    active there now, admitted by the end of that month, and with no score for it.

    `shown`: ids a page listed as due; they stay listed once scored by someone else, so that
    a save over that score is refused rather than dropped without a word."""
    month = month.replace(day=1)
    month_end = month + relativedelta(months=1, days=-1)
    scored = BehaviourScore.objects.filter(inmate=OuterRef("pk"), month=month)
    return (
        Inmate.objects.for_user(user, perm)
        .filter(
            facility=facility,
            status=InmateStatus.ACTIVE,
            legal_status=LegalStatus.NARAPIDANA,
            admission_date__lte=month_end,
        )
        .filter(~Exists(scored) | Q(pk__in=list(shown)))
        .select_related("facility", "block")
        .order_by("block__name", "name", "id")
    )


def survey_list(*, user, filters: dict | None = None) -> QuerySet:
    """Facility surveys the user may see. Filters: facility, kind, status."""
    filters = filters or {}
    qs = FacilitySurvey.objects.for_user(user, Perm.FACILITY_VIEW).select_related(
        "facility", "lead"
    )
    for key in ("facility", "kind", "status"):
        if value := filters.get(key):
            qs = qs.filter(**{key: value})
    return qs.order_by("-surveyed_on", "-id")


def survey_get(*, user, pk) -> FacilitySurvey:
    return get_scoped_or_404(
        FacilitySurvey.objects.select_related("facility", "lead"),
        user,
        Perm.FACILITY_VIEW,
        pk=pk,
    )
