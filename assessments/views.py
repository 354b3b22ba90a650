import datetime
import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rutan.core import exports
from rutan.core.concurrency import STALE_MESSAGE, row_version
from rutan.core.forms import add_service_errors
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, get_scoped_or_404, user_can
from rutan.core.views import audit_detail, audit_page, save_unless_stale
from rutan.facilities.models import Facility
from rutan.facilities.selectors import block_list, facility_list
from rutan.inmates import selectors as inmate_selectors
from rutan.inmates import services as inmate_services
from rutan.inmates.models import Inmate

from . import access, eligibility, selectors, services
from .access import can_read_confidential
from .choices import AssessmentKind, AssessmentStatus, EligibilityKind
from .forms import (
    ENTRY_FORMS,
    WORKLIST_DAYS,
    AssessmentFilterForm,
    FindingForm,
    RightStepForm,
    SppnSelectForm,
    SurveyForm,
    WorklistFilterForm,
    format_scores,
)
from .models import BehaviourScore

PAGE_SIZE = 25
SPPN_ASPECTS = BehaviourScore.ASPECTS

# Which permission creates each kind; psychological drafts are open to interns too.
CREATE_PERM = {
    AssessmentKind.PSIKOLOGIS: Perm.PSYCH_DRAFT,
    AssessmentKind.LITERASI: Perm.ASSESSMENT_MANAGE,
    AssessmentKind.MINAT: Perm.ASSESSMENT_MANAGE,
    AssessmentKind.KONSELING: Perm.PSYCH_MANAGE,
}
UPDATE_SERVICES = {
    AssessmentKind.PSIKOLOGIS: services.psych_update,
    AssessmentKind.LITERASI: services.literacy_update,
    AssessmentKind.MINAT: services.interest_update,
}
FINALISE_PERM = {
    AssessmentKind.PSIKOLOGIS: Perm.PSYCH_MANAGE,
    AssessmentKind.LITERASI: Perm.ASSESSMENT_MANAGE,
    AssessmentKind.MINAT: Perm.ASSESSMENT_MANAGE,
}


def _kind(kind: str) -> str:
    if kind not in AssessmentKind.values:
        raise Http404
    return kind


def _query(request) -> str:
    return exports.page_query(request)


def _result(kind: str, record) -> str:
    """The "Hasil" column as the list page shows it; confidential findings never appear."""
    if kind == AssessmentKind.LITERASI:
        return f"{record.level.display_label} ({record.get_script_display()})"
    if kind == AssessmentKind.MINAT:
        return ", ".join(record.area_labels)
    if kind == AssessmentKind.SPPN:
        return f"{record.average:.1f}"  # as the exports write it: a dot, read by any spreadsheet
    if kind == AssessmentKind.KONSELING:
        return record.topic
    return record.instrument


def _assessment_columns(kind: str) -> list[exports.Column]:
    day = selectors.date_field(kind)
    assessor = selectors.assessor_field(kind)
    columns = [
        exports.Column(gettext_lazy("Bulan"), lambda r: r.month.strftime("%m-%Y"))
        if kind == AssessmentKind.SPPN
        else exports.Column(gettext_lazy("Tanggal"), lambda r: getattr(r, day)),
        exports.Column(gettext_lazy("WBP"), lambda r: r.inmate.name),
        exports.Column(gettext_lazy("No. registrasi"), lambda r: r.inmate.registration_number),
        exports.Column(
            gettext_lazy("Blok"), lambda r: r.inmate.block.name if r.inmate.block else ""
        ),
        exports.Column(gettext_lazy("UPT"), lambda r: r.inmate.facility.name),
        exports.Column(
            gettext_lazy("Rata-rata") if kind == AssessmentKind.SPPN else gettext_lazy("Hasil"),
            lambda r: _result(kind, r),
        ),
    ]
    if kind == AssessmentKind.SPPN:
        columns += [
            exports.Column(BehaviourScore._meta.get_field(a).verbose_name, _aspect(a))
            for a in BehaviourScore.ASPECTS
        ]
    columns.append(exports.Column(gettext_lazy("Asesor"), lambda r: getattr(r, assessor)))
    if kind != AssessmentKind.KONSELING:
        columns.append(exports.Column(gettext_lazy("Status"), lambda r: r.get_status_display()))
    return columns


def _aspect(name: str):
    return lambda record: getattr(record, name)


@login_required
def assessment_list(request):
    user = request.user
    visible_kinds = [
        k
        for k in AssessmentKind.values
        if user_can(user, Perm.ASSESSMENT_VIEW)
        or (k == AssessmentKind.PSIKOLOGIS and user_can(user, Perm.PSYCH_DRAFT))
    ]
    if not visible_kinds:
        raise Http404
    facilities = facility_list(user=user, perm=Perm.ASSESSMENT_VIEW)
    ids = facility_ids_for(user, Perm.ASSESSMENT_VIEW)
    assessors = get_user_model().objects.filter(memberships__facility__isnull=False)
    if ids is not None:
        assessors = assessors.filter(memberships__facility__in=ids or [-1])
    kind = request.GET.get("kind") or visible_kinds[0]
    if kind not in visible_kinds:
        kind = visible_kinds[0]
    form = AssessmentFilterForm(
        request.GET or None, facilities=facilities, assessors=assessors.distinct(), kind=kind
    )
    filters = form.cleaned_data if form.is_valid() else {}
    records = selectors.assessment_list(user=user, kind=kind, filters=filters)
    if fmt := exports.requested_format(request):
        if form.errors:
            return exports.invalid_filters_response(request, form)
        return exports.export_response(
            request=request,
            fmt=fmt,
            queryset=records,
            columns=_assessment_columns(kind),
            name=f"asesmen-{kind}",
            title=str(AssessmentKind(kind).label),
            filters={**filters, "kind": kind},
            facility_id=exports.audit_facility_id(filters, facilities),
        )
    page_obj = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_page(request, model=records.model, rows=page_obj)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": AssessmentKind(kind).label,
            "kinds": [(k, AssessmentKind(k).label) for k in visible_kinds],
            "page_obj": page_obj,
            "query": _query(request),
            "show_facility": len(facilities) > 1,
            "can_create": kind in CREATE_PERM and user_can(user, CREATE_PERM[kind]),
            "can_sppn": user_can(user, Perm.ASSESSMENT_MANAGE),
            "sppn_imports": facility_list(user=user, perm=Perm.ASSESSMENT_MANAGE)
            if kind == AssessmentKind.SPPN
            else [],
        },
    )


@login_required
def inmate_assessments(request, pk):
    """Everything assessed about one inmate: history per kind, timeline, recommendations and
    eligibility for each right."""
    user = request.user
    inmate = inmate_selectors.inmate_get(user=user, pk=pk, perm=Perm.ASSESSMENT_VIEW)
    inmate_services.inmate_record_read(inmate=inmate, by=user, via="web")
    history = selectors.inmate_history(user=user, inmate=inmate)
    suggestions = selectors.recommendations(inmate=inmate)
    results = (
        eligibility.evaluate_all(inmate=inmate, on=inmate.facility.today())
        if inmate.has_sentence
        else []
    )
    can_propose = user_can(user, Perm.ASSESSMENT_MANAGE, inmate.facility)
    rights = [
        (
            r,
            RightStepForm(
                steps=r.open_steps,
                initial={"done_on": inmate.facility.today()},
                auto_id=f"id_{r.kind}_%s",
            )
            if can_propose and r.open_steps and inmate.status == "active"
            else None,
        )
        for r in results
    ]
    return render(
        request,
        "assessments/inmate_assessments.html",
        {
            "inmate": inmate,
            "history": [(k, AssessmentKind(k).label, records) for k, records in history.items()],
            "timeline": selectors.inmate_timeline(history=history),
            "suggestions": suggestions,
            "can_enrol": selectors.enrolment_service() is not None
            and user_can(user, Perm.PROGRAMME_MANAGE, inmate.facility),
            "rights": rights,
            "create_kinds": [
                (k, AssessmentKind(k).label)
                for k, perm in CREATE_PERM.items()
                if user_can(user, perm, inmate.facility)
            ],
        },
    )


@login_required
@require_POST
def recommendation_enrol(request, pk):
    """One-click enrolment of an inmate in a suggested programme (programmes service)."""
    inmate = inmate_selectors.inmate_get(user=request.user, pk=pk, perm=Perm.ASSESSMENT_VIEW)
    if not user_can(request.user, Perm.PROGRAMME_MANAGE, inmate.facility_id):
        raise Http404
    enrol = selectors.enrolment_service()
    Programme = selectors.programme_model()
    if enrol is None or Programme is None:
        raise Http404
    programme = get_object_or_404(
        Programme, pk=request.POST.get("programme") or 0, facility=inmate.facility
    )
    try:
        enrol(programme=programme, inmate=inmate, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s didaftarkan ke %(programme)s.")
            % {"name": inmate.name, "programme": programme.title},
        )
    return redirect("assessments:inmate", pk=inmate.pk)


def _create_service(kind):
    return {
        AssessmentKind.PSIKOLOGIS: services.psych_create,
        AssessmentKind.LITERASI: services.literacy_create,
        AssessmentKind.MINAT: services.interest_create,
        AssessmentKind.KONSELING: services.counselling_create,
    }[kind]


def _service_data(kind, data: dict) -> dict:
    data = dict(data)
    data.pop("inmate", None)
    data.pop("registration_number", None)
    if kind == AssessmentKind.MINAT:
        data = {k: v for k, v in data.items() if not k.startswith("area_")}
    return data


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, kind):
    kind = _kind(kind)
    if kind not in ENTRY_FORMS:
        raise Http404
    user = request.user
    perm = CREATE_PERM[kind]
    if not selectors.assessment_inmates(user=user, perm=perm).exists():
        raise Http404
    # An intern is shown no register: only inmates they assessed, or one found by number.
    shown = selectors.assessment_inmates_shown(user=user, perm=perm).order_by("name", "id")
    fixed = None
    if wbp := request.GET.get("wbp"):
        fixed = get_scoped_or_404(shown, user, perm, pk=wbp)
    find_by_number = None
    if not selectors.lists_inmates(user=user, perm=perm):
        find_by_number = functools.partial(
            selectors.assessment_inmate_by_number, user=user, perm=perm
        )
    can_finalise = kind != AssessmentKind.PSIKOLOGIS or user_can(user, Perm.PSYCH_MANAGE)
    form = ENTRY_FORMS[kind](
        request.POST or None,
        inmates=shown,
        fixed_inmate=fixed,
        can_finalise=can_finalise,
        find_by_number=find_by_number,
    )
    if request.method == "POST" and form.is_valid():
        inmate = form.cleaned_data["inmate"]
        try:
            record = _create_service(kind)(
                inmate=inmate, by=user, **_service_data(kind, form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(kind)s disimpan.") % {"kind": AssessmentKind(kind).label}
            )
            return redirect("assessments:detail", kind=kind, pk=record.pk)
    return render(
        request,
        "assessments/assessment_form.html",
        {"form": form, "kind": kind, "kind_label": AssessmentKind(kind).label, "inmate": fixed},
    )


@login_required
def assessment_detail(request, kind, pk):
    kind = _kind(kind)
    user = request.user
    record = selectors.assessment_get(user=user, kind=kind, pk=pk)
    confidential = None
    if kind in (AssessmentKind.PSIKOLOGIS, AssessmentKind.KONSELING) and can_read_confidential(
        user, record
    ):
        if kind == AssessmentKind.PSIKOLOGIS:
            confidential = services.psych_confidential_read(assessment=record, by=user, via="web")
        else:
            confidential = {
                "notes": services.counselling_notes_read(session=record, by=user, via="web")
            }
    if confidential is None:  # a confidential read has audited itself
        audit_detail(request, record)
    facility = record.inmate.facility
    is_draft = getattr(record, "status", None) == AssessmentStatus.DRAFT
    can_edit = is_draft and access.can_edit(user, kind, record)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "record": record,
            "kind": kind,
            "kind_label": AssessmentKind(kind).label,
            "confidential": confidential,
            "is_confidential_kind": kind in (AssessmentKind.PSIKOLOGIS, AssessmentKind.KONSELING),
            "can_edit": can_edit,
            "can_finalise": is_draft
            and kind in FINALISE_PERM
            and user_can(user, FINALISE_PERM[kind], facility),
            "can_view_inmate": user_can(user, Perm.ASSESSMENT_VIEW, facility),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_update(request, kind, pk):
    kind = _kind(kind)
    if kind not in UPDATE_SERVICES:
        raise Http404
    user = request.user
    record = selectors.assessment_get(user=user, kind=kind, pk=pk)
    # Someone who may not edit the record learns nothing, not even that it is final.
    if not access.can_edit(user, kind, record):
        raise Http404
    if record.status != AssessmentStatus.DRAFT:
        messages.error(request, _("Asesmen yang sudah final tidak dapat diubah."))
        return redirect("assessments:detail", kind=kind, pk=pk)

    def edit_form(current, data=None):
        initial = _edit_initial(kind, current)
        if kind == AssessmentKind.PSIKOLOGIS and data is None:
            secret = services.psych_confidential_read(assessment=current, by=user, via="web")
            initial |= secret | {"scores": format_scores(secret["scores"])}
        return ENTRY_FORMS[kind](
            data,
            initial=initial,
            inmates=Inmate.objects.filter(pk=current.inmate_id),
            fixed_inmate=current.inmate,
            can_finalise=False,
            record=current,
        )

    form = edit_form(record, request.POST or None)
    if request.method == "POST" and form.is_valid():
        update = UPDATE_SERVICES[kind]
        outcome = save_unless_stale(
            request,
            form,
            record,
            save=lambda current, data: update(
                assessment=current, by=user, **_service_data(kind, data)
            ),
            fresh_form=edit_form,
        )
        if outcome.saved:
            messages.success(request, _("Perubahan disimpan."))
            return redirect("assessments:detail", kind=kind, pk=pk)
        form, record = outcome.form, outcome.record
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": AssessmentKind(kind).label,
            "inmate": record.inmate,
            "record": record,
        },
    )


def _edit_initial(kind: str, record) -> dict:
    """The entry form's values for a draft, but the confidential ones (read and audited apart)."""
    initial = {"inmate": record.inmate_id}
    if kind == AssessmentKind.PSIKOLOGIS:
        return initial | {
            "assessed_on": record.assessed_on,
            "instrument": record.instrument,
            "recommendation": record.recommendation,
        }
    if kind == AssessmentKind.LITERASI:
        return initial | {f: getattr(record, f) for f in services.LITERACY_FIELDS}
    initial |= {f: getattr(record, f) for f in services.INTEREST_FIELDS if f != "areas"}
    return initial | {f"area_{n}": a for n, a in enumerate(record.areas, start=1)}


@login_required
@require_POST
def assessment_finalise(request, kind, pk):
    kind = _kind(kind)
    if kind not in FINALISE_PERM:
        raise Http404
    record = selectors.assessment_get(user=request.user, kind=kind, pk=pk)
    if not user_can(request.user, FINALISE_PERM[kind], record.inmate.facility_id):
        raise Http404
    try:
        if kind == AssessmentKind.PSIKOLOGIS:
            services.psych_finalise(assessment=record, by=request.user)
        else:
            services.assessment_finalise(assessment=record, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Asesmen difinalkan."))
    return redirect("assessments:detail", kind=kind, pk=pk)


def _sppn_query(block, facility, month, due) -> str:
    query = {"month": month.strftime("%Y-%m")}
    query.update({"block": block.pk} if block else {"facility": facility.pk})
    if due:
        query["due"] = "on"
    return urlencode(query)


@login_required
@require_http_methods(["GET", "POST"])
def sppn_entry(request):
    """SPPN scores of one month on one page: a whole block, or every sentenced inmate of a
    facility who has no score for the month yet (the dashboard's "SPPN due" list)."""
    user = request.user
    blocks = block_list(user=user, perm=Perm.ASSESSMENT_MANAGE)
    if not blocks:
        raise Http404
    facilities = facility_list(user=user, perm=Perm.ASSESSMENT_MANAGE)
    source = request.POST if request.method == "POST" else request.GET
    if "block" not in source and "facility" not in source:
        # The month due: last month, complete (the dashboard's "SPPN due" counts it too).
        first = blocks.first()
        due_month = first.facility.today().replace(day=1) - datetime.timedelta(days=1)
        source = {"block": first.pk, "month": due_month.strftime("%Y-%m")}
    select = SppnSelectForm(source, blocks=blocks, facilities=facilities)
    rows, errors, month, block, facility, due = [], {}, None, None, None, False
    posted = request.method == "POST"
    # The version of each row's score as the page showed it ("" for none): a POST carries it.
    shown = {
        int(key[2:]): value
        for key, value in (request.POST.items() if posted else ())
        if key.startswith("v-") and key[2:].isdigit()
    }
    if select.is_valid():
        block, month = select.cleaned_data["block"], select.cleaned_data["month"]
        facility = select.cleaned_data["facility"]
        due = block is None or select.cleaned_data["due"]
        if due:
            inmates = selectors.sppn_due(
                user=user, facility=facility, month=month, perm=Perm.ASSESSMENT_MANAGE, shown=shown
            )
            if block is not None:
                inmates = inmates.filter(block=block)
        else:
            inmates = Inmate.objects.filter(block=block, status="active").order_by("name", "id")
        inmates = list(inmates)
        existing = {
            s.inmate_id: s for s in BehaviourScore.objects.filter(inmate__in=inmates, month=month)
        }
        for inmate in inmates:
            score = existing.get(inmate.pk)
            values = {
                a: (
                    request.POST.get(f"s-{inmate.pk}-{a}", "").strip()
                    if posted
                    else (getattr(score, a) if score else "")
                )
                for a in SPPN_ASPECTS
            }
            version = shown.get(inmate.pk) if posted else row_version(score)
            rows.append({"inmate": inmate, "values": values, "score": score, "version": version})
        if not posted:
            audit_page(request, model=Inmate, rows=inmates)
        if posted:
            parsed, bad = [], {}
            for row in rows:
                entry = {"inmate": row["inmate"]}
                if row["version"] is not None:
                    entry["version"] = row["version"]
                for aspect, value in row["values"].items():
                    if value in ("", None):
                        entry[aspect] = None
                        continue
                    try:
                        entry[aspect] = int(value)
                    except ValueError:
                        bad[str(row["inmate"].pk)] = [_("Nilai harus berupa angka 0–100.")]
                parsed.append(entry)
            try:
                if bad:
                    raise ValidationError(bad)
                created, changed = services.behaviour_scores_save(
                    facility=facility, month=month, rows=parsed, by=user
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    exc = ValidationError({"": exc.error_list})
                errors = exc.message_dict
                stale = {
                    int(key)
                    for key, problems in exc.error_dict.items()
                    if key.isdigit() and any(p.code == "stale" for p in problems)
                }
                if stale:
                    messages.error(request, STALE_MESSAGE)
                    _show_current_scores(rows, stale, month)
                messages.error(request, _("Belum disimpan: periksa baris yang ditandai."))
            else:
                messages.success(
                    request,
                    _("Nilai SPPN %(month)s disimpan: %(c)s baru, %(u)s diubah.")
                    % {"month": month.strftime("%m/%Y"), "c": created, "u": changed},
                )
                return redirect(f"{request.path}?{_sppn_query(block, facility, month, due)}")
        for row in rows:
            row["errors"] = errors.get(str(row["inmate"].pk), [])
    return render(
        request,
        "assessments/sppn_entry.html",
        {
            "select": select,
            "rows": rows,
            "sppn_block": block,
            "sppn_facility": facility,
            "due": due,
            "month": month,
            "aspects": [(a, BehaviourScore._meta.get_field(a).verbose_name) for a in SPPN_ASPECTS],
            "general_errors": errors.get("", []) if isinstance(errors, dict) else [],
        },
    )


def _show_current_scores(rows, inmate_ids, month) -> None:
    """Rows refused as stale show the score stored now, and carry its version."""
    current = {
        s.inmate_id: s for s in BehaviourScore.objects.filter(inmate_id__in=inmate_ids, month=month)
    }
    for row in rows:
        if row["inmate"].pk in inmate_ids:
            score = row["score"] = current.get(row["inmate"].pk)
            row["values"] = {a: getattr(score, a) if score else "" for a in SPPN_ASPECTS}
            row["version"] = row_version(score)


@login_required
@require_POST
def right_step_done(request, pk, kind):
    """Mark one step of a right's proposal done, from the inmate's eligibility panel."""
    inmate = inmate_selectors.inmate_get(user=request.user, pk=pk, perm=Perm.ASSESSMENT_MANAGE)
    if kind not in EligibilityKind.values:
        raise Http404
    result = eligibility.evaluate(inmate=inmate, kind=kind)
    form = RightStepForm(request.POST, steps=result.steps)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{reverse('assessments:inmate', args=[inmate.pk])}#hak-{kind}")
    try:
        record = services.right_step_done(
            inmate=inmate, kind=kind, by=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(step)s dicatat selesai pada %(date)s.")
            % {"step": record.label, "date": record.done_on.strftime("%d-%m-%Y")},
        )
    return redirect(f"{reverse('assessments:inmate', args=[inmate.pk])}#hak-{kind}")


@login_required
def eligibility_worklist(request):
    user = request.user
    facilities = facility_list(user=user, perm=Perm.ASSESSMENT_VIEW)
    if not facilities:
        raise Http404
    form = WorklistFilterForm(request.GET or None, facilities=facilities)
    filters = form.cleaned_data if form.is_valid() else {}
    kind = filters.get("kind") or EligibilityKind.ASIMILASI
    within = filters.get("within", WORKLIST_DAYS)
    try:
        results = selectors.eligibility_worklist(
            user=user,
            kind=kind,
            facility=filters.get("facility"),
            within_days=within,
            only_eligible=bool(filters.get("only_eligible")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        results = []
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_page(request, model=Inmate, rows=[result.inmate for result in page_obj])
    return render(
        request,
        "assessments/worklist.html",
        {
            "form": form,
            "kind_label": EligibilityKind(kind).label,
            "page_obj": page_obj,
            "query": _query(request),
            "show_facility": len(facilities) > 1,
            "within": within,
        },
    )


@login_required
def survey_list(request):
    user = request.user
    surveys = selectors.survey_list(user=user, filters={"kind": request.GET.get("kind", "")})
    page = Paginator(surveys.prefetch_related("findings"), PAGE_SIZE)
    return render(
        request,
        "assessments/survey_list.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "query": _query(request),
            "create_in": list(facility_list(user=user, perm=Perm.SURVEY_MANAGE)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, facility_pk):
    user = request.user
    facility = get_scoped_or_404(Facility.objects.all(), user, Perm.SURVEY_MANAGE, pk=facility_pk)
    leads = get_user_model().objects.filter(memberships__facility=facility).distinct()
    form = SurveyForm(request.POST or None, leads=leads, initial={"lead": user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(facility=facility, by=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Survei disimpan. Tambahkan temuannya."))
            return redirect("assessments:survey_detail", pk=survey.pk)
    return render(request, "assessments/survey_form.html", {"form": form, "facility": facility})


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(request, pk):
    user = request.user
    survey = selectors.survey_get(user=user, pk=pk)
    can_manage = user_can(user, Perm.SURVEY_MANAGE, survey.facility)
    form = FindingForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if request.POST.get("action") == "finalise":
            try:
                services.survey_finalise(survey=survey, by=user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("assessments:survey_detail", pk=pk)
        if form.is_valid():
            try:
                services.survey_finding_add(survey=survey, by=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Temuan dicatat dan tindak lanjut dibuka."))
                return redirect("assessments:survey_detail", pk=pk)
    return render(
        request,
        "assessments/survey_detail.html",
        {
            "survey": survey,
            "findings": survey.findings.select_related("follow_up", "follow_up__owner"),
            "form": form,
            "can_manage": can_manage,
        },
    )
