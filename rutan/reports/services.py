"""Writes of the reports app: ask for a run, claim it, build it, retry it, schedule the batch."""

import contextlib
import datetime
import hashlib
import json
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from rutan.core.models import AuditAction
from rutan.core.services import audit_record, model_snapshot
from rutan.facilities.models import Facility, RegionalOffice

from .models import (
    JobType,
    ReportKind,
    ReportLanguage,
    ReportRun,
    ReportScope,
    ReportStatus,
    report_upload_to,
)
from .periods import data_until, today_of, validate_reportable
from .prometheus import BUILD_SECONDS

logger = logging.getLogger(__name__)

BATCH_TASK = "reports.monthly_batch"
SNAPSHOT_FIELDS = [
    "scope",
    "facility_id",
    "regional_office_id",
    "kind",
    "period",
    "version",
    "language",
    "status",
]
# What building a run reads of it: the facility with its region (cover, roll-up), or the region.
RUN_RELATED = ("facility__regional_office", "regional_office")


def _stale_after() -> datetime.timedelta:
    """A running claim whose heartbeat is older than this belongs to a worker that died."""
    return datetime.timedelta(seconds=settings.REPORT_CLAIM_STALE_SECONDS)


def _stuck(now) -> Q:
    """Runs that may be sent again: running with a stale heartbeat (its worker died), or
    queued too long (its message was lost)."""
    stale = now - _stale_after()
    return (
        Q(status=ReportStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=ReportStatus.RUNNING, heartbeat_at__isnull=True, started_at__lt=stale)
        | Q(
            status=ReportStatus.QUEUED,
            queued_at__lt=now - datetime.timedelta(seconds=settings.REPORT_QUEUED_STALE_SECONDS),
        )
    )


def _target_fields(target) -> dict:
    if isinstance(target, Facility):
        return {"scope": ReportScope.FACILITY, "facility": target, "regional_office": None}
    if isinstance(target, RegionalOffice):
        return {"scope": ReportScope.REGIONAL, "facility": None, "regional_office": target}
    raise ValidationError(_("Laporan hanya untuk UPT atau Kanwil."))


def _send_build(run_id: int, rollup: bool = False) -> None:
    """The one place that sends a build: through the transactional outbox, so a broker that
    cannot take it now loses nothing (core.outbox_drain sends it later; the sweep re-sends a
    run whose message the broker lost)."""
    from rutan.core.outbox import enqueue

    from .tasks import build_report_run

    enqueue(build_report_run, run_id, rollup=rollup)


def _enqueue(run: ReportRun, *, rollup: bool = False) -> None:
    _send_build(run.pk, rollup)


def report_run_request(
    *,
    target: Facility | RegionalOffice,
    period: str,
    by=None,
    language: str = ReportLanguage.INDONESIAN,
    kind: str = ReportKind.MONTHLY,
    new_version: bool = False,
    enqueue: bool = True,
    rollup: bool = False,
) -> ReportRun:
    """Ask for the report of `target` for `period` and queue it for a worker.

    Idempotent: the latest version is returned as it is when it is queued, running or done
    (a done report is never rebuilt); a failed one is queued again. `new_version` always
    makes version n+1, e.g. to rebuild after late corrections or in another language.
    """
    fields = _target_fields(target)
    period = (period or "").strip()
    validate_reportable(period, today_of(target))
    if language not in ReportLanguage.values:
        raise ValidationError({"language": _("Bahasa laporan tidak dikenal.")})
    if kind not in ReportKind.values:
        raise ValidationError({"kind": _("Jenis laporan tidak dikenal.")})
    lookup = {**fields, "kind": kind, "period": period}
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = ReportRun.objects.filter(**lookup).order_by("-version").first()
                if latest is not None and not new_version:
                    if latest.status == ReportStatus.FAILED or latest.is_stuck:
                        return report_run_retry(run=latest, by=by, rollup=rollup, enqueue=enqueue)
                    if not _superseded(latest, target):
                        return latest
                version = (latest.version + 1) if latest else 1
                run = ReportRun(
                    **lookup,
                    version=version,
                    language=language,
                    requested_by=by if getattr(by, "is_authenticated", False) else None,
                    created_by=by if getattr(by, "is_authenticated", False) else None,
                    queued_at=timezone.now(),
                )
                run.full_clean(validate_constraints=False)
                run.save()
                audit_record(
                    actor=by,
                    action=AuditAction.CREATE,
                    instance=run,
                    after=model_snapshot(run, SNAPSHOT_FIELDS),
                    via="reports",
                )
                if enqueue:
                    _enqueue(run, rollup=rollup)
                return run
        except IntegrityError:
            # Another request made the same version first; read it on the next attempt.
            continue
    raise ValidationError(_("Laporan sedang diminta oleh proses lain; coba lagi."))


def _superseded(run: ReportRun, target) -> bool:
    """A done provisional report whose month has since ended gives way to a final one."""
    return (
        run.status == ReportStatus.DONE
        and run.provisional
        and not data_until(run.period, target)[1]
    )


def report_run_retry(
    *, run: ReportRun, by=None, rollup: bool = False, enqueue: bool = True
) -> ReportRun:
    """Queue a failed run, or a stuck one (its worker died or its message was lost), again;
    a done run, or one building or waiting normally, is never sent twice."""
    now = timezone.now()
    retryable = Q(status=ReportStatus.FAILED) | _stuck(now)
    before = run.status
    with transaction.atomic():
        updated = (
            ReportRun.objects.filter(pk=run.pk)
            .filter(retryable)
            .update(
                status=ReportStatus.QUEUED,
                progress=0,
                claim_token="",
                heartbeat_at=None,
                queued_at=now,
                updated_at=now,
            )
        )
        if not updated:
            raise ValidationError(
                _("Hanya laporan yang gagal atau terhenti yang dapat diulang."), code="not_failed"
            )
        run.refresh_from_db()
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            instance=run,
            before={"status": before},
            after={"status": run.status},
            via="reports",
        )
        if enqueue:
            _enqueue(run, rollup=rollup)
    return run


def report_run_claim(
    *, run_id: int, worker: str = "", job_run_id: int | None = None
) -> tuple[ReportRun, str] | None:
    """Claim a queued run for this worker by one conditional UPDATE; None if it is not free.

    Two workers racing for one run: exactly one UPDATE matches. A run left `running` by a
    worker that died is claimable again once its heartbeat is older than
    REPORT_CLAIM_STALE_SECONDS.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    stale = now - _stale_after()
    free = (
        Q(status=ReportStatus.QUEUED)
        | Q(status=ReportStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=ReportStatus.RUNNING, heartbeat_at__isnull=True, started_at__lt=stale)
    )
    updated = (
        ReportRun.objects.filter(pk=run_id)
        .filter(free)
        .update(
            status=ReportStatus.RUNNING,
            claim_token=token,
            worker=worker[:200],
            started_at=now,
            heartbeat_at=now,
            job_run_id=job_run_id,
            finished_at=None,
            progress=5,
            error="",
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    if not updated:
        return None
    return ReportRun.objects.select_related(*RUN_RELATED).get(pk=run_id), token


def _progress(run: ReportRun, token: str, value: int) -> None:
    now = timezone.now()
    ReportRun.objects.filter(pk=run.pk, claim_token=token, status=ReportStatus.RUNNING).update(
        progress=value, heartbeat_at=now, updated_at=now
    )


def _heartbeat(run_id: int, token: str) -> int:
    """Renew the claim's heartbeat; 0 when the claim is no longer this worker's."""
    return ReportRun.objects.filter(
        pk=run_id, claim_token=token, status=ReportStatus.RUNNING
    ).update(heartbeat_at=timezone.now())


@contextlib.contextmanager
def _heartbeat_thread(run_id: int, token: str):
    """Renew the heartbeat every REPORT_HEARTBEAT_SECONDS from a small thread while the body
    runs: WeasyPrint's write_pdf is one long call with no progress step inside. The thread
    uses its own database connection and closes it when it stops."""
    from django.db import connection

    stop = threading.Event()
    interval = max(1, settings.REPORT_HEARTBEAT_SECONDS)

    def beat():
        try:
            while not stop.wait(interval):
                try:
                    if not _heartbeat(run_id, token):
                        return
                except Exception:
                    logger.warning("Heartbeat of report run %s failed", run_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"report-heartbeat-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def report_run_build(*, run_id: int, worker: str = "", job_run_id: int | None = None) -> ReportRun:
    """Build the PDF of a run if this worker can claim it; return the run as it ends.

    The file, its SHA-256, the figures it shows and status `done` are published by one
    conditional UPDATE that also checks the claim, so a worker that lost its claim publishes
    nothing. A database error puts the run back in the queue and is raised for the task to
    retry; any other error marks the run failed with the message, ready to be retried.
    """
    from .pdf import render_report_pdf

    claimed = report_run_claim(run_id=run_id, worker=worker, job_run_id=job_run_id)
    if claimed is None:
        return ReportRun.objects.get(pk=run_id)
    run, token = claimed
    saved_name = ""
    started = time.monotonic()
    try:
        # A month not over yet is counted up to today there and marked provisional.
        run.data_until, run.provisional = data_until(run.period, run.target)
        ReportRun.objects.filter(pk=run.pk, claim_token=token).update(
            data_until=run.data_until, provisional=run.provisional
        )
        _test_pause()
        with override(run.language), _heartbeat_thread(run.pk, token):
            pdf = render_report_pdf(run, progress=lambda value: _progress(run, token, value))
        digest = hashlib.sha256(pdf).hexdigest()
        saved_name = default_storage.save(
            report_upload_to(run, run.download_name), ContentFile(pdf)
        )
        now = timezone.now()
        with transaction.atomic():
            published = ReportRun.objects.filter(
                pk=run.pk, claim_token=token, status=ReportStatus.RUNNING
            ).update(
                status=ReportStatus.DONE,
                file=saved_name,
                sha256=digest,
                figures=run.figures,
                progress=100,
                finished_at=now,
                updated_at=now,
            )
        if published:
            BUILD_SECONDS.labels(status=ReportStatus.DONE.value).observe(time.monotonic() - started)
        else:
            default_storage.delete(saved_name)
    except OperationalError:
        if saved_name:
            default_storage.delete(saved_name)
        ReportRun.objects.filter(pk=run.pk, claim_token=token).update(
            status=ReportStatus.QUEUED, claim_token="", progress=0
        )
        raise
    except Exception as exc:
        logger.exception("Report run %s failed", run.pk)
        if saved_name:
            default_storage.delete(saved_name)
        ReportRun.objects.filter(pk=run.pk, claim_token=token).update(
            status=ReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        BUILD_SECONDS.labels(status=ReportStatus.FAILED.value).observe(time.monotonic() - started)
    return ReportRun.objects.select_related(*RUN_RELATED).get(pk=run.pk)


def _test_pause() -> None:
    """Tests only: REPORT_TEST_BUILD_PAUSE (seconds) slows a build, so a real-process test can
    kill the worker mid-build. Unset in every real deployment."""
    import os

    pause = float(os.environ.get("REPORT_TEST_BUILD_PAUSE") or 0)
    if pause > 0:
        time.sleep(pause)


def report_run_sweep() -> dict:
    """Send stuck runs again and close the job rows of attempts whose worker was killed.

    Idempotent: each stuck run is put back in the queue by a conditional UPDATE (a second
    sweep, or a build claiming it meanwhile, finds nothing to do), then sent once on commit.
    """
    from rutan.core.models import JobRun

    now = timezone.now()
    resent = 0
    for run in ReportRun.objects.filter(_stuck(now)).only("pk", "scope", "requested_by_id"):
        with transaction.atomic():
            updated = (
                ReportRun.objects.filter(pk=run.pk)
                .filter(_stuck(now))
                .update(
                    status=ReportStatus.QUEUED,
                    progress=0,
                    claim_token="",
                    heartbeat_at=None,
                    queued_at=now,
                    updated_at=now,
                )
            )
            if updated:
                # A batch run (asked by no one) also asks for its region's roll-up when done.
                rollup = run.scope == ReportScope.FACILITY and run.requested_by_id is None
                _send_build(run.pk, rollup)
                resent += 1
    # Open report job rows older than the stale limit, except the one of each live build.
    live = ReportRun.objects.filter(
        status=ReportStatus.RUNNING,
        heartbeat_at__gte=now - _stale_after(),
        job_run_id__isnull=False,
    ).values_list("job_run_id", flat=True)
    closed = (
        JobRun.objects.filter(
            kind__in=list(JOB_FOR_SCOPE.values()),
            success__isnull=True,
            started_at__lt=now - _stale_after(),
        )
        .exclude(pk__in=list(live))
        .update(success=False, finished_at=now, error=_("Pekerja berhenti sebelum selesai"))
    )
    if resent or closed:
        logger.warning("Report sweep: %s run(s) sent again, %s job row(s) closed", resent, closed)
    return {"resent": resent, "closed": closed}


def regional_rollup_if_ready(*, region: RegionalOffice, period: str) -> ReportRun | None:
    """Request the region's report once the latest report of every facility of the region
    is done (a provisional one only while the month is still running there)."""
    facilities = list(region.facilities.all())
    if not facilities:
        return None
    latest = {
        run.facility_id: run
        for run in ReportRun.objects.filter(
            scope=ReportScope.FACILITY,
            facility__in=facilities,
            kind=ReportKind.MONTHLY,
            period=period,
        ).order_by("facility_id", "version")
    }
    for facility in facilities:
        run = latest.get(facility.pk)
        if run is None or run.status != ReportStatus.DONE or _superseded(run, facility):
            return None
    return report_run_request(target=region, period=period, by=None)


def report_schedule_sync() -> list:
    """One beat entry per distinct facility timezone: 02:00 on the 1st, local time.

    Runs after every migrate and whenever a facility is saved, so a new facility or a new
    timezone is scheduled without anyone touching the admin.
    """
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    timezones = sorted(set(Facility.objects.values_list("timezone", flat=True)))
    tasks = []
    for tz in timezones:
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour="2",
            day_of_month="1",
            month_of_year="*",
            day_of_week="*",
            timezone=tz,
        )
        task, _created = PeriodicTask.objects.update_or_create(
            name=f"Laporan bulanan UPT ({tz})",
            defaults={
                "task": BATCH_TASK,
                "crontab": crontab,
                "kwargs": json.dumps({"timezone_name": tz}),
                "enabled": True,
                "description": _("Laporan bulan lalu untuk setiap UPT berzona waktu %(tz)s.")
                % {"tz": tz},
            },
        )
        tasks.append(task)
    PeriodicTask.objects.filter(task=BATCH_TASK).exclude(pk__in=[t.pk for t in tasks]).delete()
    return tasks


def monthly_batch_runs(*, timezone_name: str | None, period: str | None = None) -> list[ReportRun]:
    """Request last month's report of every facility in `timezone_name` (all when None)."""
    from .periods import last_month

    facilities = Facility.objects.select_related("regional_office").order_by("id")
    if timezone_name:
        facilities = facilities.filter(timezone=timezone_name)
    runs = []
    for facility in facilities:
        run_period = period or last_month(facility.tzinfo)
        run = report_run_request(target=facility, period=run_period, by=None, enqueue=False)
        # A run found (not made) here would load its facility and region again, one by one.
        run.facility = facility
        runs.append(run)
    return runs


JOB_FOR_SCOPE = {
    ReportScope.FACILITY: JobType.FACILITY_REPORT,
    ReportScope.REGIONAL: JobType.REGIONAL_REPORT,
}


def report_run_record_download(*, run: ReportRun, by, via: str = "web") -> None:
    """Log who downloaded a report: it may hold personal data of inmates."""
    audit_record(
        actor=by,
        action=AuditAction.READ,
        instance=run,
        facility_id=run.facility_id,
        via=via,
    )
