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

from .middleware import current_request_context
from .models import (
    JOB_KIND_LABELS,
    REDACTION_MARK,
    AuditAction,
    AuditEntry,
    JobRun,
    LiteracyLevel,
)
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


def _subject_inmate_id(instance: models.Model) -> int | None:
    """The inmate an entry is about: the instance itself, its `inmate`, or one step further
    (an attendance's enrolment, a review's log)."""
    if instance._meta.label_lower == "inmates.inmate":
        return instance.pk
    if getattr(instance, "inmate_id", None) is not None:
        return instance.inmate_id
    for field in instance._meta.concrete_fields:
        if not field.many_to_one or getattr(instance, field.attname, None) is None:
            continue
        related = field.related_model
        if not any(f.name == "inmate" for f in related._meta.concrete_fields):
            continue
        if field.is_cached(instance):
            return getattr(field.get_cached_value(instance), "inmate_id", None)
        return (
            related._default_manager.filter(pk=getattr(instance, field.attname))
            .values_list("inmate_id", flat=True)
            .first()
        )
    return None


def audit_record(
    *,
    actor,
    action: AuditAction | str,
    instance: models.Model | type[models.Model],
    before: dict | None = None,
    after: dict | None = None,
    facility_id: int | None = None,
    via: str = "",
    inmate_id: int | None = None,
) -> AuditEntry:
    """Write one audit entry. Only the fields that changed are kept for an update.

    `instance` may be a model class for a read of many rows (an export): no object id then.
    The actor's name and username are copied into the row; the client's address, the
    request id and the path come from the request being served (AuditContextMiddleware).
    `inmate_id` (the inmate the entry is about) is found from `instance` unless given.
    """
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    many = isinstance(instance, type)
    if facility_id is None and not many:
        # A facility's own entries belong to it, so its head finds them in the log.
        is_facility = instance._meta.label_lower == "facilities.facility"
        facility_id = instance.pk if is_facility else getattr(instance, "facility_id", None)
    if inmate_id is None and not many:
        inmate_id = _subject_inmate_id(instance)
    actor = actor if getattr(actor, "is_authenticated", False) else None
    context = current_request_context()
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=str(actor)[:200] if actor else "",
        actor_username=actor.get_username()[:150] if actor else "",
        action=action,
        object_type=instance._meta.label_lower,
        object_id="" if many else str(instance.pk),
        object_repr=str(instance._meta.verbose_name_plural if many else instance)[:200],
        facility_id=facility_id,
        inmate_id=inmate_id,
        before=before,
        after=after,
        via=via,
        address=context.address if context else None,
        request_id=context.request_id if context else "",
        path=context.path if context else "",
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
        # PostgreSQL's jsonb takes no NUL character; a query string may carry one.
        values = [
            str(_plain(v)).replace("\x00", "")[:FILTER_VALUE_MAX]
            for v in values
            if v not in ("", None)
        ]
        if name in LIST_NOISE or not values:
            continue
        kept[str(name).replace("\x00", "")[:FILTER_VALUE_MAX]] = (
            values[0] if len(values) == 1 else values
        )
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
    actor = actor if getattr(actor, "is_authenticated", False) else None
    context = current_request_context()
    known_inmate = object_type == "inmates.inmate" and facility_id is not None
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=str(actor)[:200] if actor else "",
        actor_username=actor.get_username()[:150] if actor else "",
        action=AuditAction.DENIED,
        object_type=str(object_type)[:100],
        object_id=str(object_id or "")[:64],
        object_repr="",
        facility_id=facility_id,
        # An attempt on an inmate who exists is found under that inmate as well.
        inmate_id=int(object_id) if known_inmate and str(object_id).isdigit() else None,
        after={
            "path": path[:FILTER_VALUE_MAX],
            "method": method[:10],
            "status": status,
            "address": address[:64],
        },
        via=via[:20],
        address=(context.address if context else None) or address or None,
        request_id=context.request_id if context else "",
        path=path[:FILTER_VALUE_MAX],
    )


def audit_log_read(
    *, by, entry: AuditEntry | None = None, after: dict | None = None, facility_id=None
) -> AuditEntry:
    """Log that `by` read the audit log: one entry (it carries the entry's inmate and
    facility, so who looked at an inmate's trail is found by that inmate), or a page of
    the list (`after`: its filters and the ids shown)."""
    return audit_record(
        actor=by,
        action=AuditAction.READ,
        instance=entry if entry is not None else AuditEntry,
        after=after,
        facility_id=facility_id,
        via="web",
    )


def _redacted(value, keys: frozenset[str], terms: list[str]):
    """`value` with every personal part replaced by REDACTION_MARK: values under `keys`,
    and any text that contains one of `terms` (a name, a number), at any depth."""
    if isinstance(value, dict):
        return {
            k: REDACTION_MARK
            if k in keys and v not in (None, "", REDACTION_MARK)
            else _redacted(v, keys, terms)
            for k, v in value.items()
        }
    if isinstance(value, list):
        # The trigger lets a list change only as a whole, to the mark.
        redacted = [_redacted(v, keys, terms) for v in value]
        return REDACTION_MARK if redacted != value else value
    if isinstance(value, str) and any(t in value.casefold() for t in terms):
        return REDACTION_MARK
    return value


def audit_redact(
    *, inmate_id: int, keys: Iterable[str], terms: Iterable[str] = (), object_types=()
) -> int:
    """Redact the audit entries about one inmate; return how many rows changed.

    The entries with that `inmate_id` (and those of `object_types` whose object id is the
    inmate's, written before entries named their inmate) lose their object text and, in
    before/after, the values under `keys` and every text containing one of `terms`
    (case-insensitive). This is the one change the audit table's trigger allows: values
    become REDACTION_MARK and `redacted_at` is set, once. Rows already redacted are left.
    """
    keys = frozenset(keys)
    terms = [t.casefold() for t in terms if t and len(t) >= 3]
    about = models.Q(inmate_id=inmate_id)
    if object_types:
        about |= models.Q(object_type__in=list(object_types), object_id=str(inmate_id))
    now = timezone.now()
    changed = []
    for entry in AuditEntry.objects.filter(about, redacted_at__isnull=True).iterator(
        chunk_size=500
    ):
        entry.object_repr = REDACTION_MARK if entry.object_repr else ""
        entry.before = _redacted(entry.before, keys, terms)
        entry.after = _redacted(entry.after, keys, terms)
        entry.redacted_at = now
        changed.append(entry)
    AuditEntry.objects.bulk_update(
        changed, ["object_repr", "before", "after", "redacted_at"], batch_size=500
    )
    return len(changed)


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
