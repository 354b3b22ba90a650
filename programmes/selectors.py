"""Reads of the programmes app, always through the user's scope."""

import datetime
from dataclasses import dataclass

import django_filters
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from rutan.core.choices import Pillar, ProgrammeArea
from rutan.core.filters import apply, id_filter
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for, get_scoped_or_404
from rutan.facilities.selectors import on_local_now, on_local_today
from rutan.inmates.models import Inmate, stage_on_q
from rutan.inmates.selectors import inmate_list

from .choices import (
    AttendanceStatus,
    EnrolmentStatus,
    PlacementStatus,
    ProgrammeStatus,
    SessionStatus,
)
from .models import (
    AssimilationPlacement,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentEvent,
    Product,
    Programme,
    Session,
)
from .services import session_roster


def _rate(present: int, recorded: int) -> float | None:
    return round(100 * present / recorded, 1) if recorded else None


def _search_programme(queryset, name, value):
    value = value.strip()
    return queryset.filter(
        Q(title__icontains=value) | Q(facilitator__icontains=value) | Q(instructor__icontains=value)
    )


class ProgrammeFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method=_search_programme, max_length=100, help_text="Title, facilitator or instructor"
    )
    q = django_filters.CharFilter(
        method=_search_programme, max_length=100, help_text="Same as search"
    )
    facility = id_filter()
    pillar = django_filters.ChoiceFilter(choices=Pillar.choices)
    area = django_filters.ChoiceFilter(choices=ProgrammeArea.choices)
    status = django_filters.ChoiceFilter(choices=ProgrammeStatus.choices)

    class Meta:
        model = Programme
        fields = []


def programme_list(
    *, user, filters: dict | None = None, perm: Perm = Perm.PROGRAMME_VIEW
) -> QuerySet:
    """Programmes the user may see, with active and waiting counts.

    Filters (`ProgrammeFilter`): search or q (title, facilitator, instructor), facility,
    pillar, area, status.
    """
    qs = (
        Programme.objects.for_user(user, perm)
        .select_related("facility", "min_literacy_level")
        .annotate(
            active_count=Count("enrolments", filter=Q(enrolments__status="active"), distinct=True),
            waitlist_count=Count(
                "enrolments", filter=Q(enrolments__status="waitlisted"), distinct=True
            ),
        )
    )
    return apply(ProgrammeFilter, filters, qs).order_by("facility__name", "title", "id")


def programme_get(*, user, pk, perm: Perm = Perm.PROGRAMME_VIEW) -> Programme:
    return get_scoped_or_404(
        Programme.objects.select_related("facility", "agreement__partner", "min_literacy_level"),
        user,
        perm,
        pk=pk,
    )


def programme_roster(*, programme: Programme) -> QuerySet:
    """Enrolments that are not waitlisted, with their attendance counts (one query)."""
    return (
        programme.enrolments.exclude(status=EnrolmentStatus.WAITLISTED)
        .select_related("inmate", "inmate__block", "certificate")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status="present")),
            recorded=Count("attendance"),
        )
        .order_by("status", "inmate__name", "id")
    )


def attendance_list(*, programme: Programme, session: Session | None = None) -> QuerySet:
    """Recorded attendance of a programme (or of one of its sessions), by session date."""
    qs = Attendance.objects.filter(session__programme=programme)
    if session is not None:
        qs = qs.filter(session=session)
    return qs.select_related("session", "enrolment__inmate__block", "recorded_by").order_by(
        "session__date", "session__start_time", "enrolment__inmate__name", "id"
    )


def programme_waitlist(*, programme: Programme) -> QuerySet:
    return (
        programme.enrolments.filter(status=EnrolmentStatus.WAITLISTED)
        .select_related("inmate")
        .order_by("waitlist_position", "id")
    )


def attendance_rate(*, enrolment: Enrolment) -> float | None:
    """Share of recorded sessions the inmate attended, in percent (None before any record)."""
    counts = enrolment.attendance.aggregate(
        present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)), recorded=Count("id")
    )
    return _rate(counts["present"], counts["recorded"])


def programme_attendance_rate(*, programme: Programme) -> float | None:
    counts = Attendance.objects.filter(session__programme=programme).aggregate(
        present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)), recorded=Count("id")
    )
    return _rate(counts["present"], counts["recorded"])


@dataclass
class SessionRate:
    session: Session
    present: int
    recorded: int

    @property
    def rate(self) -> float | None:
        return _rate(self.present, self.recorded)


def programme_attendance_series(*, programme: Programme, limit: int = 20) -> list[SessionRate]:
    """Attendance of the last `limit` recorded sessions, oldest first (for the chart)."""
    sessions = (
        programme.sessions.filter(attendance_taken_at__isnull=False)
        .annotate(
            present=Count("attendance", filter=Q(attendance__status="present")),
            recorded=Count("attendance"),
        )
        .order_by("-date", "-start_time")[:limit]
    )
    return [SessionRate(s, s.present, s.recorded) for s in reversed(sessions)]


class SessionFilter(django_filters.FilterSet):
    programme = id_filter()
    facility = id_filter(field_name="programme__facility")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    status = django_filters.ChoiceFilter(choices=SessionStatus.choices)

    class Meta:
        model = Session
        fields = []


def session_list(*, user, filters: dict | None = None, perm: Perm = Perm.PROGRAMME_VIEW):
    """Sessions the user may see. Filters (`SessionFilter`): programme, facility, date_from,
    date_to, status."""
    qs = (
        Session.objects.for_user(user, perm)
        .select_related("programme", "programme__facility")
        .annotate(absent=Count("attendance", filter=Q(attendance__status="absent")))
    )
    return apply(SessionFilter, filters, qs).order_by(
        "date", "start_time", "programme__title", "id"
    )


def sessions_today(
    *, user, on: datetime.date | None = None, facility=None, unrecorded: bool = False
) -> QuerySet:
    """Today's sessions (scheduled and cancelled) of the programmes the user may record.

    Today is `on`, or else the date where each programme's facility is. `unrecorded` keeps
    the sessions still waiting for their attendance: started by the facility's clock, not
    cancelled, register not taken (a session later today is not yet owed).
    """
    filters = {"facility": facility} if facility else {}
    if on is not None:
        filters.update(date_from=on, date_to=on)
    qs = session_list(user=user, filters=filters, perm=Perm.ATTENDANCE_RECORD).filter(
        programme__status__in=[ProgrammeStatus.PLANNED, ProgrammeStatus.RUNNING]
    )
    if on is None:
        qs = qs.filter(on_local_today("programme__facility", lambda today: Q(date=today)))
    if unrecorded:
        qs = (
            qs.exclude(status=SessionStatus.CANCELLED)
            .filter(attendance_taken_at__isnull=True)
            .filter(
                on_local_now(
                    "programme__facility",
                    lambda local: (
                        Q(date__lt=local.date())
                        | Q(date=local.date(), start_time__lte=local.time())
                    ),
                )
            )
        )
    return qs


def session_get(*, user, pk, perm: Perm = Perm.PROGRAMME_VIEW) -> Session:
    return get_scoped_or_404(
        Session.objects.select_related("programme", "programme__facility", "cancelled_by"),
        user,
        perm,
        pk=pk,
    )


@dataclass
class RegisterRow:
    enrolment: Enrolment
    attendance: Attendance | None

    @property
    def absent(self) -> bool:
        return self.attendance is not None and self.attendance.status == AttendanceStatus.ABSENT


def session_register(*, session: Session) -> list[RegisterRow]:
    """The roster of a session with what was recorded for each (two queries)."""
    recorded = {
        a.enrolment_id: a for a in session.attendance.select_related("recorded_by").order_by("id")
    }
    return [RegisterRow(e, recorded.get(e.pk)) for e in session_roster(session)]


def attendance_history(*, session: Session) -> list:
    """Every recorded version of a session's attendance, newest first (who changed what)."""
    return list(
        Attendance.history.filter(session_id=session.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


class EnrolmentFilter(django_filters.FilterSet):
    programme = id_filter()
    inmate = id_filter()
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices)
    facility = id_filter(field_name="programme__facility")

    class Meta:
        model = Enrolment
        fields = []


def enrolment_list(*, user, filters: dict | None = None, perm: Perm = Perm.PROGRAMME_VIEW):
    """Enrolments the user may see. Filters (`EnrolmentFilter`): programme, inmate, status,
    facility."""
    qs = Enrolment.objects.for_user(user, perm).select_related(
        "programme", "programme__facility", "inmate"
    )
    return apply(EnrolmentFilter, filters, qs).order_by(
        "programme__title", "status", "waitlist_position", "inmate__name", "id"
    )


def enrolment_get(*, user, pk, perm: Perm = Perm.PROGRAMME_VIEW) -> Enrolment:
    return get_scoped_or_404(
        Enrolment.objects.select_related(
            "programme", "programme__facility", "inmate", "inmate__facility"
        ).prefetch_related(
            Prefetch("events", queryset=EnrolmentEvent.objects.select_related("by")),
            "evaluations",
        ),
        user,
        perm,
        pk=pk,
    )


def enrolment_attendance(*, enrolment: Enrolment) -> QuerySet:
    return enrolment.attendance.select_related("session").order_by("-session__date")


def eligible_inmates(*, user, programme: Programme, filters: dict | None = None) -> QuerySet:
    """Active inmates of the programme's facility not already enrolled (for bulk enrolment),
    those whose coaching stage today is one the programme takes first, then by name.

    Filters: q, block, stage, sex. Every eligibility rule is checked by the service on
    enrolment (and shown per row by `programmes.eligibility.programme_eligibility_of`).
    """
    filters = dict(filters or {})
    filters["facility"] = programme.facility
    if programme.eligible_sex and not filters.get("sex"):
        filters["sex"] = programme.eligible_sex
    qs = (
        inmate_list(user=user, filters=filters)
        .exclude(
            enrolments__programme=programme,
            enrolments__status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITLISTED],
        )
        .select_related("block", "facility")
    )
    if programme.eligible_stages:
        today = programme.facility.today()
        fits = Q(pk__in=[])
        for stage in programme.eligible_stages:
            fits |= stage_on_q(stage, today)
        qs = qs.annotate(
            stage_fits=Case(
                When(fits, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        ).order_by("stage_fits", "name", "id")
    return qs


class AttendanceFilter(django_filters.FilterSet):
    session = id_filter()
    enrolment = id_filter()

    class Meta:
        model = Attendance
        fields = []


def session_attendance_list(*, user, filters: dict | None = None) -> QuerySet:
    """Attendance rows of the sessions the user may see. Filters (`AttendanceFilter`):
    session, enrolment."""
    qs = Attendance.objects.for_user(user, Perm.PROGRAMME_VIEW).select_related("enrolment__inmate")
    return apply(AttendanceFilter, filters, qs).order_by("session", "enrolment__inmate__name", "id")


class CertificateFilter(django_filters.FilterSet):
    programme = id_filter(field_name="enrolment__programme")

    class Meta:
        model = Certificate
        fields = []


def certificate_list(*, user, filters: dict | None = None, perm: Perm = Perm.PROGRAMME_VIEW):
    """Certificates the user may see. Filters (`CertificateFilter`): programme."""
    qs = Certificate.objects.for_user(user, perm).select_related(
        "facility", "enrolment__programme", "enrolment__inmate"
    )
    return apply(CertificateFilter, filters, qs)


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with a public verification code (no scope: the page is public)."""
    return (
        Certificate.objects.select_related("enrolment__programme", "enrolment__inmate", "facility")
        .filter(code=code)
        .first()
    )


class ProductFilter(django_filters.FilterSet):
    programme = id_filter()

    class Meta:
        model = Product
        fields = []


def product_list(*, user, filters: dict | None = None, perm: Perm = Perm.PROGRAMME_VIEW):
    """Products the user may see. Filters (`ProductFilter`): programme."""
    qs = Product.objects.for_user(user, perm).select_related("programme", "programme__facility")
    return apply(ProductFilter, filters, qs)


class AssimilationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PlacementStatus.choices)
    facility = id_filter()
    inmate = id_filter()

    class Meta:
        model = AssimilationPlacement
        fields = []


def assimilation_list(*, user, filters: dict | None = None, perm: Perm = Perm.PROGRAMME_VIEW):
    """Assimilation placements the user may see. Filters (`AssimilationFilter`): status,
    facility, inmate."""
    qs = AssimilationPlacement.objects.for_user(user, perm).select_related(
        "facility", "inmate", "programme"
    )
    return apply(AssimilationFilter, filters, qs).order_by("status", "-start_date", "id")


def assimilation_get(*, user, pk, perm: Perm = Perm.PROGRAMME_VIEW) -> AssimilationPlacement:
    return get_scoped_or_404(
        AssimilationPlacement.objects.select_related("facility", "inmate", "programme"),
        user,
        perm,
        pk=pk,
    )


def assimilation_candidates(*, user, facility=None) -> QuerySet:
    """Active sentenced inmates the user may place (eligibility is checked on creation)."""
    ids = facility_ids_for(user, Perm.ASSIMILATION_MANAGE)
    qs = Inmate.objects.filter(status="active", asimilasi_from__isnull=False)
    if ids is not None:
        qs = qs.filter(facility__in=ids)
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs.select_related("facility").order_by("name", "id")


@dataclass
class TimelineEvent:
    on: datetime.date
    kind: str
    title: str
    detail: str
    url_name: str = ""
    url_pk: int | None = None


def inmate_programme_events(*, inmate: Inmate) -> list[TimelineEvent]:
    """Programme events of an inmate for their timeline, newest first (three queries):
    every enrolment status change, certificates and assimilation placements."""
    events = [
        TimelineEvent(
            on=e.on,
            kind="enrolment",
            title=e.enrolment.programme.title,
            detail=f"{e.get_to_status_display()}" + (f" — {e.reason}" if e.reason else ""),
            url_name="programmes:enrolment_detail",
            url_pk=e.enrolment_id,
        )
        for e in EnrolmentEvent.objects.filter(enrolment__inmate=inmate).select_related(
            "enrolment__programme"
        )
    ]
    events += [
        TimelineEvent(
            on=c.issued_on,
            kind="certificate",
            title=c.enrolment.programme.title,
            detail=_("Sertifikat %(number)s") % {"number": c.number}
            + ("" if c.is_valid else " " + _("(dicabut)")),
            url_name="programmes:enrolment_detail",
            url_pk=c.enrolment_id,
        )
        for c in Certificate.objects.filter(enrolment__inmate=inmate).select_related(
            "enrolment__programme"
        )
    ]
    for p in AssimilationPlacement.objects.filter(inmate=inmate):
        events.append(
            TimelineEvent(
                on=p.start_date,
                kind="assimilation",
                title=p.workplace,
                detail=_("Asimilasi mulai · SK %(ref)s") % {"ref": p.decree_reference},
                url_name="programmes:assimilation_detail",
                url_pk=p.pk,
            )
        )
        if p.end_date and p.status == PlacementStatus.ENDED:
            events.append(
                TimelineEvent(
                    on=p.end_date,
                    kind="assimilation",
                    title=p.workplace,
                    detail=_("Asimilasi selesai — %(reason)s") % {"reason": p.end_reason},
                    url_name="programmes:assimilation_detail",
                    url_pk=p.pk,
                )
            )
    return sorted(events, key=lambda e: e.on, reverse=True)


def inmate_enrolments(*, inmate: Inmate) -> QuerySet:
    """An inmate's programmes (for the inmate detail page)."""
    return (
        Enrolment.objects.filter(inmate=inmate)
        .select_related("programme")
        .annotate(
            present=Count("attendance", filter=Q(attendance__status="present")),
            recorded=Count("attendance"),
        )
        .order_by("-requested_on", "-id")
    )


def sessions_upcoming(*, programme: Programme, on: datetime.date, limit: int = 10):
    return programme.sessions.filter(date__gte=on).order_by("date", "start_time")[:limit]


def sessions_recent(*, programme: Programme, on: datetime.date, limit: int = 10):
    return (
        programme.sessions.filter(date__lt=on)
        .annotate(absent=Count("attendance", filter=Q(attendance__status="absent")))
        .order_by("-date", "-start_time")[:limit]
    )


def next_session(*, user, facility, after: datetime.date):
    """The first session after `after` (not cancelled) of the programmes at `facility` the user
    may record, or None: what the dashboard names when today has none."""
    return (
        Session.objects.filter(
            programme__in=Programme.objects.for_user(user, Perm.ATTENDANCE_RECORD)
            .filter(facility=facility)
            .values("pk"),
            date__gt=after,
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("programme")
        .order_by("date", "start_time", "id")
        .first()
    )
