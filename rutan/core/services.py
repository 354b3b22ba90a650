import datetime
import decimal
import logging
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import Error, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import JOB_KIND_LABELS, AuditAction, AuditEntry, JobRun, LiteracyLevel
from .scoping import is_national

logger = logging.getLogger(__name__)


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def model_snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """Return the concrete field values of `instance` as JSON-safe data (FKs as ids)."""
    names = fields or [
        f.attname
        for f in instance._meta.concrete_fields
        if f.name not in {"created_at", "updated_at"}
    ]
    return {name: _plain(getattr(instance, name)) for name in names}


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    instance: models.Model | type[models.Model],
    before: dict | None = None,
    after: dict | None = None,
    facility_id: int | None = None,
    via: str = "",
) -> AuditEntry:
    """Write one audit entry. Only the fields that changed are kept for an update.

    `instance` may be a model class for a read of many rows (an export): no object id then.
    """
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    many = isinstance(instance, type)
    if facility_id is None and not many:
        facility_id = getattr(instance, "facility_id", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id="" if many else str(instance.pk),
        object_repr=str(instance._meta.verbose_name_plural if many else instance)[:200],
        facility_id=facility_id,
        before=before,
        after=after,
        via=via,
    )


# Query parameters that only say how a list is shown, not which records: left out of the
# audit of a list read (the page number is kept on its own).
LIST_NOISE = frozenset({"page", "page_size", "format", "csrfmiddlewaretoken", "_"})
FILTER_VALUE_MAX = 200


def audit_filters(params) -> dict:
    """The filters of a list request as its audit entry keeps them: every non-empty query
    parameter except LIST_NOISE (repeated ones as a list), each value cut at 200 characters,
    and `page` (a number, 1 when absent or not a number)."""
    getlist = getattr(params, "getlist", None)
    kept: dict = {}
    for name in params:
        values = getlist(name) if getlist else [params[name]]
        values = [str(_plain(v))[:FILTER_VALUE_MAX] for v in values if v not in ("", None)]
        if name in LIST_NOISE or not values:
            continue
        kept[str(name)[:FILTER_VALUE_MAX]] = values[0] if len(values) == 1 else values
    page = params.get("page") if hasattr(params, "get") else None
    kept["page"] = int(page) if str(page or "").isdigit() and int(page) > 0 else 1
    return kept


def audit_list_read(
    *,
    actor,
    model: type[models.Model],
    filters: dict,
    ids: list,
    facility_id: int | None = None,
    via: str = "",
) -> AuditEntry:
    """Audit one page of a list of personal data: one READ entry without object id whose
    `after` holds the filters asked for (`audit_filters`: query parameters, the page number
    as `page`) and the ids of the rows shown on that page, in order.

    `filters` may be a request's QueryDict (it goes through `audit_filters`) or a dict of
    already cleaned filters (model instances become ids). The caller passes the ids it
    already holds, so this adds one INSERT and no read.
    """
    kept = audit_filters(filters)
    page = kept.pop("page")
    return audit_record(
        actor=actor,
        action=AuditAction.READ,
        instance=model,
        after={"filters": kept, "page": page, "ids": [_plain(pk) for pk in ids]},
        facility_id=facility_id,
        via=via,
    )


def audit_download(
    *,
    actor,
    instance: models.Model,
    file: str = "",
    facility_id: int | None = None,
    via: str = "",
) -> AuditEntry:
    """Audit the download of a file about `instance` (a certificate, an agreement, a letter, a
    logbook, a report): one READ entry whose `after` names the file."""
    return audit_record(
        actor=actor,
        action=AuditAction.READ,
        instance=instance,
        after={"download": file[:FILTER_VALUE_MAX]},
        facility_id=facility_id,
        via=via,
    )


def audit_denied(
    *,
    actor,
    object_type: str,
    object_id="",
    path: str,
    via: str,
    facility_id: int | None = None,
    status: int = 404,
    method: str = "GET",
    address: str = "",
) -> AuditEntry:
    """Audit a refused attempt (a 404 outside the scope, a 401 or 403): one DENIED entry
    with what was asked for (`object_type` a model label such as "inmates.inmate", or the
    URL's name when the model is not known; `object_id` when the URL named one), the path,
    method, answer status and the caller's address in `after`. `facility_id` is the facility
    of the object when it exists (for that facility's head to find the attempt), else None.
    Anonymous callers are recorded with no actor."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=AuditAction.DENIED,
        object_type=str(object_type)[:100],
        object_id=str(object_id or "")[:64],
        object_repr="",
        facility_id=facility_id,
        after={
            "path": path[:FILTER_VALUE_MAX],
            "method": method[:10],
            "status": status,
            "address": address[:64],
        },
        via=via[:20],
    )


def job_kinds_register(choices: Iterable[tuple[str, str]]) -> None:
    """Give job kinds their labels, e.g. `job_kinds_register(MyJob.choices)` in ready()."""
    JOB_KIND_LABELS.update(choices)


def _job_finish(run: JobRun) -> None:
    run.finished_at = timezone.now()
    with transaction.atomic(durable=True):
        run.save(update_fields=["finished_at", "success", "processed", "detail", "error"])


@contextmanager
def job_run(
    kind: str,
    *,
    detail: str = "",
    facility_id: int | None = None,
    regional_office_id: int | None = None,
) -> Iterator[JobRun]:
    """Record one run of a scheduled job: a row when it starts, completed when it ends.

        with job_run("partners.expire_agreements") as run:
            run.processed = agreements_expire_due()

    The body sets `run.processed` and may set `run.detail`, or `run.success = False` for a
    job that ended without raising yet did not do its work. An exception marks the run
    failed with its message and is raised again. The row is written in transactions of its
    own, never the job's, so a rolled-back job still leaves its record; hence `job_run`
    must be entered outside any atomic block (Django raises RuntimeError otherwise).
    """
    with transaction.atomic(durable=True):
        run = JobRun.objects.create(
            kind=kind,
            started_at=timezone.now(),
            detail=detail,
            facility_id=facility_id,
            regional_office_id=regional_office_id,
        )
    try:
        yield run
    except Exception as exc:
        run.success = False
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        try:
            _job_finish(run)
        except Error:
            # The job's own error matters more; the row stays "running" and says so.
            logger.exception("Could not record the end of job run %s (%s)", run.pk, kind)
        raise
    if run.success is None:
        run.success = True
    _job_finish(run)


LITERACY_LEVEL_FIELDS = [
    "script",
    "code",
    "label",
    "rank",
    "description",
    "basis",
    "recommended_area",
    "recommendation",
]


@transaction.atomic
def literacy_level_save(*, by, level: LiteracyLevel | None = None, **data) -> LiteracyLevel:
    """Add a literacy level (`level=None`) or change one; only national administrators may.

    An existing level keeps its script and code: assessments and programme minimums point at
    it and the API and reports name it by code. Ranks stay unique within a script.
    """
    if not is_national(by):
        raise ValidationError(_("Hanya admin Ditjenpas yang dapat mengubah tingkat literasi."))
    before = None
    if level is None:
        level = LiteracyLevel()
    else:
        level = LiteracyLevel.objects.select_for_update().get(pk=level.pk)
        before = model_snapshot(level)
    for name in LITERACY_LEVEL_FIELDS:
        if name in data and (before is None or name not in ("script", "code")):
            setattr(level, name, data[name])
    level.full_clean()
    level.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        instance=level,
        before=before,
        after=model_snapshot(level),
    )
    return level
