"""Which facilities' data changed, so that cached figures are recomputed exactly when needed.

Every write to a table of the domain (a form, a service, an import, a bulk update, the admin,
raw SQL) is seen by a PostgreSQL statement trigger that appends, per facility the rows belong
to, one `FacilityChange` row; rows whose facility is unknown or national (a national rule,
a region) append a row without a facility, which concerns every facility. A facility's
*version* is the sum of the weights of its rows and of the facility-less ones visible to the
reading transaction: every committed write raises it, nothing lowers it (the nightly
`freshness_compact` folds rows into one per facility with the same sum).

`cached()` keys a computation by the versions of the facilities it reads, read *before* the
computation: a write committed meanwhile only makes the stored value newer than its key, and
the next reader sees a higher version and recomputes. No lock is taken (the change rows are
only appended), so a long import does not hold up another user's save.

On a database without the triggers (the embedded SQLite demo) nothing is cached.
"""

import functools
import hashlib
import io
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import ForeignKey, Q, Sum
from django.utils import translation
from django.utils.functional import Promise

T = TypeVar("T")

PROJECT_APPS = {
    "accounts",
    "assessments",
    "core",
    "facilities",
    "imports",
    "inmates",
    "interns",
    "partners",
    "programmes",
    "reports",
}
# Bookkeeping that no figure counts (and that reads write: the audit log of every read).
NOT_WATCHED = {
    "core.auditentry",
    "core.jobrun",
    "core.facilitychange",
    "accounts.user",
    "accounts.membership",
    "inmates.custodyalertdigest",
}
# Tables without a `scope_path` whose rows still belong to a facility.
FACILITY_PATHS = {
    "reports.reportrun": "facility",
    "imports.dataimport": "facility",
    "imports.importmapping": "facility",
    "programmes.certificatecounter": "facility",
    "partners.agreementalert": "agreement__facility",
    "interns.logreview": "log__intern__batch__facility",
}
CACHE_SECONDS = 24 * 60 * 60
# Where the project's code and templates are (for `release`).
APP_FOLDERS = ("rutan", "programmes", "assessments", "partners", "interns", "templates")
TRIGGER = "rutan_changed"


def watched_models():
    """(model, path to its facility or None for "every facility") of each watched table."""
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.label_lower in NOT_WATCHED:
            continue
        if (
            not meta.managed
            or meta.proxy
            or meta.label_lower.split(".")[1].startswith("historical")
        ):
            continue
        yield model, FACILITY_PATHS.get(meta.label_lower, getattr(model, "scope_path", None))


def _facility_sql(model, path: str | None) -> tuple[str, str]:
    """The facility id expression and the joins leading to it from transition table `r`."""
    Facility = apps.get_model("facilities", "Facility")
    if path is None:
        return "NULL::bigint", ""
    if path == "pk" and model is Facility:
        return "r.id", ""
    joins, alias, current = [], "r", model
    parts = path.split("__")
    for index, name in enumerate(parts):
        field = current._meta.get_field(name)
        if not isinstance(field, ForeignKey):
            return "NULL::bigint", ""  # a reverse relation (a region): every facility
        if index == len(parts) - 1:
            if field.related_model is not Facility:
                return "NULL::bigint", ""
            return f"{alias}.{field.column}", " ".join(joins)
        target = field.related_model
        next_alias = f"t{index}"
        joins.append(
            f'LEFT JOIN "{target._meta.db_table}" {next_alias} '
            f'ON {next_alias}."{target._meta.pk.column}" = {alias}."{field.column}"'
        )
        alias, current = next_alias, target
    return "NULL::bigint", ""


def trigger_sql(model, path: str | None) -> list[str]:
    table = model._meta.db_table
    expression, joins = _facility_sql(model, path)
    function = f"{TRIGGER}_{table}"[:63]
    insert = (
        "INSERT INTO core_facilitychange (facility_id, source, weight) "
        f"SELECT DISTINCT {expression}, TG_TABLE_NAME, 1 FROM {{rows}} r {joins};"
    )
    body = (
        f"IF TG_OP <> 'DELETE' THEN {insert.format(rows='new_rows')} END IF; "
        f"IF TG_OP <> 'INSERT' THEN {insert.format(rows='old_rows')} END IF; RETURN NULL;"
    )
    statements = [
        f'CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS '
        f"$$ BEGIN {body} END $$;"
    ]
    for event, referencing in (
        ("INSERT", "NEW TABLE AS new_rows"),
        ("UPDATE", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    ):
        name = f"{TRIGGER}_{event.lower()}"
        statements += [
            f'DROP TRIGGER IF EXISTS {name} ON "{table}";',
            f'CREATE TRIGGER {name} AFTER {event} ON "{table}" REFERENCING {referencing} '
            f'FOR EACH STATEMENT EXECUTE FUNCTION "{function}"();',
        ]
    return statements


def install_triggers(using: str = "default") -> int:
    """(Re)install the change triggers on every watched table; run after every migrate."""
    conn = connections[using]
    if conn.vendor != "postgresql":
        return 0
    tables = set(conn.introspection.table_names())
    if "core_facilitychange" not in tables:
        return 0
    count = 0
    with conn.cursor() as cursor:
        for model, path in watched_models():
            if model._meta.db_table not in tables:
                continue
            for statement in trigger_sql(model, path):
                cursor.execute(statement)
            count += 1
    return count


def enabled() -> bool:
    return connection.vendor == "postgresql"


def versions(
    facility_ids: Iterable[int] | None = None, tables: Iterable[str] | None = None
) -> dict[int | None, int]:
    """Each facility's version (None: every facility's), or of the given facilities only;
    with `tables`, counting the writes to those tables only."""
    FacilityChange = apps.get_model("core", "FacilityChange")
    qs = FacilityChange.objects.all()
    if facility_ids is not None:
        ids = list(facility_ids)
        qs = qs.filter(facility_id__in=ids) | qs.filter(facility_id__isnull=True)
    if tables is not None:
        qs = qs.filter(source__in=list(tables))
    rows = qs.values("facility_id").annotate(total=Sum("weight")).order_by()
    return {row["facility_id"]: row["total"] for row in rows}


def tables_of(*models) -> list[str]:
    """The table names of models, for `cached(tables=...)`."""
    return [model._meta.db_table for model in models]


@functools.cache
def release() -> str:
    """A digest of the code and templates this process runs (their paths, sizes and times):
    a cached page or figure is not reused by another release, whose templates or rules may
    read differently."""
    root = Path(settings.BASE_DIR)
    marks = []
    for folder in sorted(APP_FOLDERS):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html") and "__pycache__" not in path.parts:
                stat = path.stat()
                marks.append((str(path.relative_to(root)), stat.st_size, stat.st_mtime_ns))
    return _digest(marks)


def _digest(value) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()


# Past this many facilities a key reads the version of the whole country: one sum over the
# change rows is cheaper than a list of hundreds of ids, and a superset only recomputes more
# often, never less.
WHOLE_COUNTRY_FROM = 50


def version_key(facility_ids: Iterable[int] | None, tables: Iterable[str] | None = None) -> str:
    """The sum of the versions of the given facilities (None: all of them) and of the
    facility-less rows: every committed write to one of them raises it (weights only add,
    compaction keeps the sums), so it changes exactly when one of their versions does."""
    FacilityChange = apps.get_model("core", "FacilityChange")
    qs = FacilityChange.objects.all()
    if facility_ids is not None:
        ids = list(facility_ids)
        if len(ids) <= WHOLE_COUNTRY_FROM:
            qs = qs.filter(Q(facility_id__in=ids) | Q(facility_id__isnull=True))
    if tables is not None:
        qs = qs.filter(source__in=list(tables))
    total = qs.aggregate(total=Sum("weight"))["total"] or 0
    return str(total)


class _Pickler(pickle.Pickler):
    """Pickles translated lazy strings as the text they read in the active language (the
    key holds the language): Django unpickles each lazy string by building a new proxy
    class, which cost a cached dashboard about a third of its time."""

    def reducer_override(self, obj):
        if isinstance(obj, Promise):
            return str, (str(obj),)
        return NotImplemented


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def cached(
    name: str,
    parts: Iterable,
    facility_ids: Iterable[int] | None,
    compute: Callable[[], T],
    tables: Iterable[str] | None = None,
) -> T:
    """`compute()`, or the value it gave for the same `parts` while none of the facilities it
    reads (None: every facility) changed; with `tables`, while none of those tables changed
    for them (a figure that reads only those)."""
    if not enabled():
        return compute()
    ids = None if facility_ids is None else sorted(set(facility_ids))
    table_list = None if tables is None else sorted(tables)
    language = translation.get_language()
    digest = _digest([list(parts), table_list, language, release()])
    key = f"rutan:{name}:{digest}:{version_key(ids, table_list)}"
    return _through(key, compute, CACHE_SECONDS)


def cached_for_scope(
    name: str, *, user, perms: Iterable, query, compute: Callable[[], T], parts: Iterable = ()
) -> T:
    """`cached()` for a page of a list: keyed by the user's scope for each of `perms` (not by
    who they are: a facility's staff share one copy), the query (a QueryDict), the facility
    dates, the timezone and `parts`; recomputed when a facility of the first perm's scope
    changes."""
    from django.utils import timezone

    from rutan.facilities.selectors import today_by_timezone

    from .scoping import facility_ids_for

    scopes = [facility_ids_for(user, perm) for perm in perms]
    key = [
        *(None if scope is None else sorted(scope) for scope in scopes),
        sorted(query.lists()),
        sorted(today_by_timezone().items()),
        timezone.get_current_timezone_name(),
        *parts,
    ]
    return cached(name, key, scopes[0], compute)


def remembered(name: str, parts: Iterable, compute: Callable[[], T], seconds: int) -> T:
    """`compute()`, or the value it gave for the same `parts`, language and release within
    the last `seconds`: for what no facility's data decides (menus built from permissions)."""
    key = f"rutan:{name}:{_digest([list(parts), translation.get_language(), release()])}"
    return _through(key, compute, seconds)


def _through(key: str, compute: Callable[[], T], seconds: int) -> T:
    """The value stored under `key`, else `compute()`'s, stored for `seconds`."""
    stored = cache.get(key)
    if stored is not None:
        return pickle.loads(stored)
    value = compute()
    cache.set(key, _dumps(value), seconds)
    return value


def cached_each(
    name: str,
    parts: Iterable,
    facility_ids: Iterable[int],
    compute: Callable[[list[int]], dict[int, T]],
) -> dict[int, T]:
    """One value per facility, each cached on its own version: only the facilities that
    changed are recomputed (`compute(ids)` answers {id: value} for the ids it is given)."""
    ids = sorted(set(facility_ids))
    if not enabled() or not ids:
        return compute(ids)
    known = versions(None if len(ids) > 50 else ids)
    common = known.get(None, 0)
    prefix = f"rutan:{name}:{_digest([list(parts), translation.get_language(), release()])}"
    keys = {pk: f"{prefix}:{pk}:{common}:{known.get(pk, 0)}" for pk in ids}
    found = cache.get_many(keys.values())
    result = {pk: pickle.loads(found[key]) for pk, key in keys.items() if key in found}
    missing = [pk for pk in ids if pk not in result]
    if missing:
        fresh = compute(missing)
        cache.set_many({keys[pk]: _dumps(fresh[pk]) for pk in missing}, CACHE_SECONDS)
        result.update(fresh)
    return result


def compact() -> int:
    """Fold the change rows into one per facility and table, keeping every version; rows
    written while this runs are left for the next time. Answers how many rows remain of
    those folded. Outside a transaction the table is then vacuumed: a whole-country key
    sums every row, and the dead rows of the fold made that sum five times slower."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH folded AS (DELETE FROM core_facilitychange "
            "WHERE id <= (SELECT max(id) FROM core_facilitychange) "
            "RETURNING facility_id, source, weight) "
            "INSERT INTO core_facilitychange (facility_id, source, weight) "
            "SELECT facility_id, source, sum(weight) FROM folded GROUP BY facility_id, source"
        )
        remaining = cursor.rowcount
        if not connection.in_atomic_block:
            cursor.execute("VACUUM (ANALYZE) core_facilitychange")
    return remaining
