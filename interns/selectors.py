"""Reads of the interns app, always through the user's scope.

An intern reaches only their own profile, logs and attendance (INTERN_LOG_OWN); mentors and
facility heads reach their facility's (INTERN_VIEW / INTERN_REVIEW).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import django_filters
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from assessments import selectors as assessment_selectors
from assessments.choices import AssessmentKind
from rutan.core.filters import apply, id_filter
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, not_found, user_can
from rutan.facilities.models import FollowUpItem, FollowUpStatus

from .models import (
    AWAITING_REVIEW,
    ActivityLog,
    Batch,
    DailyAttendance,
    Intern,
    LogPhoto,
    LogReview,
    LogStatus,
    LogType,
    MonthlyEvaluation,
)

# How long before the due date the mentor is reminded of a monthly evaluation.
EVALUATION_REMINDER_DAYS = 7


def _facility_q(user, perm: Perm, path: str) -> Q:
    ids = facility_ids_for(user, perm)
    if ids is None:
        return Q()
    return Q(**{f"{path}__in": ids})


def _reach_q(user, path: str, own_path: str) -> Q:
    """Objects of the facilities where the user may view interns, plus the user's own."""
    staff = facility_ids_for(user, Perm.INTERN_VIEW)
    own = Q(**{own_path: user.pk}) & _facility_q(user, Perm.INTERN_LOG_OWN, path)
    if staff is None:
        return Q()
    return Q(**{f"{path}__in": staff}) | own


def intern_for_user(*, user) -> Intern | None:
    """The intern profile of the signed-in user, if they are an active intern."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Intern.objects.filter(user=user)
        .filter(_facility_q(user, Perm.INTERN_LOG_OWN, "batch__facility"))
        .select_related("batch__facility", "mentor", "user")
        .first()
    )


def batch_list(*, user, perm: Perm = Perm.INTERN_VIEW) -> QuerySet:
    return (
        Batch.objects.for_user(user, perm)
        .select_related("facility")
        .annotate(intern_count=Count("interns"))
    )


def mentor_candidates(*, facility) -> QuerySet:
    """Active staff of `facility` who may review intern logs there: whom an intern may have
    as mentor."""
    User = get_user_model()
    candidates = (
        User.objects.filter(is_active=True, memberships__facility=facility)
        .distinct()
        .order_by("full_name", "username")
    )
    return User.objects.filter(
        pk__in=[u.pk for u in candidates if user_can(u, Perm.INTERN_REVIEW, facility)]
    ).order_by("full_name", "username")


def intern_list(*, user, filters: dict | None = None) -> QuerySet:
    """Interns the user may see (staff of the facility), with batch, facility and mentor."""
    filters = filters or {}
    qs = Intern.objects.for_user(user, Perm.INTERN_VIEW).select_related(
        "user", "mentor", "batch__facility"
    )
    if filters.get("batch"):
        qs = qs.filter(batch=filters["batch"])
    if filters.get("mine"):
        qs = qs.filter(mentor=user)
    return qs.order_by("batch__name", "user__full_name")


def intern_get(*, user, pk, perm: Perm = Perm.INTERN_VIEW) -> Intern:
    """One intern in the user's scope; an intern may open only their own profile."""
    qs = Intern.objects.select_related("user", "mentor", "batch__facility")
    if perm == Perm.INTERN_VIEW:
        qs = qs.filter(_reach_q(user, "batch__facility", "user"))
    else:
        qs = qs.for_user(user, perm)
    try:
        return qs.get(pk=pk)
    except (Intern.DoesNotExist, ValueError, TypeError) as exc:
        raise not_found(Intern, pk) from exc


class LogFilter(django_filters.FilterSet):
    intern = id_filter()
    status = django_filters.ChoiceFilter(choices=LogStatus.choices)
    log_type = django_filters.ChoiceFilter(choices=LogType.choices)
    start = django_filters.DateFilter(field_name="on", lookup_expr="gte")
    end = django_filters.DateFilter(field_name="on", lookup_expr="lte")

    class Meta:
        model = ActivityLog
        fields = []


def log_list(*, user, filters: dict | None = None) -> QuerySet:
    """Activity logs the user may read: their own, or their facility's when they are staff.

    Drafts are the intern's own work: staff see them only once submitted. Filters
    (`LogFilter`): intern, status, log_type, start, end (dates of the activity).
    """
    own = Q(intern__user=user)
    qs = ActivityLog.objects.filter(
        _reach_q(user, "intern__batch__facility", "intern__user")
    ).filter(own | ~Q(status=LogStatus.DRAFT))
    return (
        apply(LogFilter, filters, qs)
        .select_related("intern__user", "intern__batch__facility", "block")
        .annotate(photo_count=Count("photos"))
        .order_by("-on", "-start_time", "-id")
    )


def log_get(*, user, pk) -> ActivityLog:
    """One log the user may read, with photos and review history; otherwise 404."""
    qs = log_list(user=user).prefetch_related(
        "photos", Prefetch("reviews", queryset=LogReview.objects.select_related("by"))
    )
    qs = qs.select_related(
        "reviewed_by",
        "follow_up",
        "intern__mentor",
        "session__programme",
        "psych_assessment__inmate",
        "literacy_assessment__inmate",
    )
    try:
        return qs.get(pk=pk)
    except (ActivityLog.DoesNotExist, ValueError, TypeError) as exc:
        raise not_found(ActivityLog, pk) from exc


def log_reviewable(*, user, log: ActivityLog) -> ActivityLog:
    """`log` if `user` may review it (INTERN_REVIEW at its facility); otherwise not found, as
    for a stranger: someone who may read a log but not review it learns nothing more."""
    if not user_can(user, Perm.INTERN_REVIEW, log.intern.batch.facility_id):
        raise not_found(ActivityLog, log.pk)
    return log


# The assessments app's kind of each assessment a log may link to (see ASSESSMENT_LINKS).
ASSESSMENT_LINK_KINDS = {
    "psych_assessment": AssessmentKind.PSIKOLOGIS,
    "literacy_assessment": AssessmentKind.LITERASI,
}


def linkable_assessments(*, intern: Intern, field: str) -> QuerySet:
    """Assessments an intern's log may link to in `field`, newest first.

    Only those made at the intern's facility during the batch that the intern may see under
    the assessments app's own rules; psychological ones only the intern's own (their drafts,
    also once signed off), so nobody else's confidential work is ever offered.
    """
    kind = ASSESSMENT_LINK_KINDS[field]
    batch = intern.batch
    qs = assessment_selectors.assessment_list(user=intern.user, kind=kind).filter(
        facility=batch.facility_id, assessed_on__range=(batch.start_on, batch.end_on)
    )
    if kind == AssessmentKind.PSIKOLOGIS:
        qs = qs.filter(assessor=intern.user)
    return qs


@dataclass
class LinkedAssessment:
    kind: str
    label: str
    record: object
    can_open: bool


def log_linked_assessments(*, log: ActivityLog, user) -> list[LinkedAssessment]:
    """The assessments a log links to, each with whether `user` may open its page."""
    links = []
    for field, kind in ASSESSMENT_LINK_KINDS.items():
        record = getattr(log, field) if getattr(log, f"{field}_id") else None
        if record is None:
            continue
        can_open = (
            assessment_selectors.assessment_list(user=user, kind=kind).filter(pk=record.pk).exists()
        )
        links.append(LinkedAssessment(kind, str(AssessmentKind(kind).label), record, can_open))
    return links


def own_log_get(*, user, pk) -> ActivityLog:
    """One of the user's own logs (for editing); anyone else's answers 404."""
    try:
        return (
            ActivityLog.objects.filter(intern__user=user)
            .filter(_facility_q(user, Perm.INTERN_LOG_OWN, "intern__batch__facility"))
            .select_related("intern__batch__facility")
            .prefetch_related("photos")
            .get(pk=pk)
        )
    except (ActivityLog.DoesNotExist, ValueError, TypeError) as exc:
        raise not_found(ActivityLog, pk) from exc


def photo_get(*, user, pk) -> LogPhoto:
    logs = log_list(user=user).values("pk")
    try:
        return LogPhoto.objects.select_related("log").get(pk=pk, log__in=logs)
    except (LogPhoto.DoesNotExist, ValueError, TypeError) as exc:
        raise not_found(LogPhoto, pk) from exc


def logs_awaiting_review(*, user, facility=None) -> QuerySet:
    """Submitted and resubmitted logs the user may review, oldest first (the mentor's queue),
    of one facility when `facility` is given.

    A mentor sees the logs of their own mentees and of interns without a mentor; a facility
    head (INTERN_MANAGE) sees every log of the facility.
    """
    managed = facility_ids_for(user, Perm.INTERN_MANAGE)
    qs = ActivityLog.objects.filter(status__in=AWAITING_REVIEW).filter(
        _facility_q(user, Perm.INTERN_REVIEW, "intern__batch__facility")
    )
    if facility:
        qs = qs.filter(intern__batch__facility=facility)
    if managed is not None:
        qs = qs.filter(
            Q(intern__mentor=user)
            | Q(intern__mentor__isnull=True)
            | Q(intern__batch__facility__in=managed)
        )
    return (
        qs.select_related("intern__user", "intern__batch__facility", "block")
        .annotate(photo_count=Count("photos"))
        .order_by("submitted_at", "id")
    )


def attendance_list(*, user, intern: Intern | None = None) -> QuerySet:
    qs = DailyAttendance.objects.filter(_reach_q(user, "intern__batch__facility", "intern__user"))
    if intern is not None:
        qs = qs.filter(intern=intern)
    return qs.select_related("intern__user", "intern__batch__facility")


def attendance_missing_days(
    *, intern: Intern, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """Working days (Monday–Friday) of the batch between `start` and `end` without check-in."""
    start = max(start, intern.batch.start_on)
    end = min(end, intern.batch.end_on)
    present = set(intern.attendance.filter(on__range=(start, end)).values_list("on", flat=True))
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and day not in present:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


@dataclass(frozen=True)
class EvaluationDue:
    intern: Intern
    month: datetime.date
    due_on: datetime.date
    overdue: bool


def evaluations_due(*, user, on: datetime.date | None = None) -> list[EvaluationDue]:
    """Monthly evaluations the user (as mentor) still owes, for the dashboard reminder.

    A month is due by the 1st of the next month; it is listed from a week before that date
    until the evaluation is written. Months outside the intern's batch are not owed. Without
    `on`, today is the date where each intern's facility is.
    """
    interns = (
        Intern.objects.filter(mentor=user)
        .filter(_facility_q(user, Perm.INTERN_REVIEW, "batch__facility"))
        .select_related("user", "batch__facility")
        .prefetch_related(
            Prefetch("evaluations", queryset=MonthlyEvaluation.objects.only("intern", "month"))
        )
    )
    result = []
    for intern in interns:
        today = on or intern.batch.facility.today()
        done = {e.month for e in intern.evaluations.all()}
        month = intern.batch.start_on.replace(day=1)
        last = min(intern.batch.end_on, today).replace(day=1)
        while month <= last:
            due_on = month + relativedelta(months=1)
            if month not in done and today >= due_on - datetime.timedelta(
                days=EVALUATION_REMINDER_DAYS
            ):
                result.append(
                    EvaluationDue(
                        intern=intern, month=month, due_on=due_on, overdue=today >= due_on
                    )
                )
            month = due_on
    return sorted(result, key=lambda d: (d.due_on, str(d.intern)))


def evaluation_list(*, intern: Intern) -> QuerySet:
    """Evaluations of an intern the caller already reached through `intern_get`."""
    return MonthlyEvaluation.objects.filter(intern=intern).select_related("mentor")


def logbook(*, intern: Intern, start: datetime.date, end: datetime.date) -> QuerySet:
    """The intern's submitted logs in a period, oldest first, for the logbook export."""
    return (
        intern.logs.exclude(status=LogStatus.DRAFT)
        .filter(on__range=(start, end))
        .select_related("block", "reviewed_by")
        .prefetch_related(
            "photos", Prefetch("reviews", queryset=LogReview.objects.select_related("by"))
        )
        .order_by("on", "start_time", "id")
    )


@dataclass
class SummaryRow:
    intern: Intern
    hours: dict
    total: Decimal
    logs: int


def batch_summary(*, batch: Batch, start: datetime.date, end: datetime.date) -> dict:
    """Approved hours per activity type and per intern of a batch in a period (one query)."""
    rows = (
        ActivityLog.objects.filter(
            intern__batch=batch, status=LogStatus.APPROVED, on__range=(start, end)
        )
        .values("intern", "log_type")
        .annotate(hours=Sum("hours"), logs=Count("id"))
    )
    interns = {i.pk: i for i in batch.interns.select_related("user").order_by("user__full_name")}
    table = {
        pk: SummaryRow(
            intern=i, hours={t: Decimal(0) for t in LogType.values}, total=Decimal(0), logs=0
        )
        for pk, i in interns.items()
    }
    totals = {t: Decimal(0) for t in LogType.values}
    for row in rows:
        entry = table[row["intern"]]
        hours = row["hours"] or Decimal(0)
        entry.hours[row["log_type"]] += hours
        entry.total += hours
        entry.logs += row["logs"]
        totals[row["log_type"]] += hours
    return {
        "types": LogType.choices,
        "rows": list(table.values()),
        "totals": totals,
        "grand_total": sum(totals.values(), Decimal(0)),
    }


def followup_list(
    *, user, filters: dict | None = None, perm: Perm = Perm.FOLLOWUP_MANAGE
) -> QuerySet:
    """Follow-up items of the facilities where the user manages follow-ups (or has `perm`).

    Filters: status ("active": not done yet), owner, source, facility.
    """
    filters = filters or {}
    qs = FollowUpItem.objects.for_user(user, perm).select_related("facility", "owner")
    if filters.get("status") == "active":
        qs = qs.exclude(status=FollowUpStatus.DONE)
    elif filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("owner"):
        qs = qs.filter(owner=filters["owner"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("facility"):
        qs = qs.filter(facility=filters["facility"])
    return qs


def followups_open(*, user) -> QuerySet:
    """Open and in-progress follow-up items for the dashboard, soonest due first."""
    return followup_list(user=user, filters={"status": "active"}).order_by("due_on", "created_at")


def own_log_counts(*, intern: Intern) -> dict[str, int]:
    """How many of the intern's own logs wait on them (drafts, returned) or on the mentor."""
    counts = dict(
        ActivityLog.objects.filter(intern=intern)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    waiting = counts.get(LogStatus.SUBMITTED, 0) + counts.get(LogStatus.RESUBMITTED, 0)
    return {
        "draft": counts.get(LogStatus.DRAFT, 0),
        "returned": counts.get(LogStatus.RETURNED, 0),
        "waiting": waiting,
    }
