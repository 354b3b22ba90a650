"""Bulk import from CSV or XLSX: read, judge each row with the owning app's services, preview
with everything rolled back, then write the good rows in one transaction.

An app declares what can be imported into it as an `ImportKind` (its columns, the natural key
that makes a re-import change nothing, and `write_row`, which calls the app's services) in its
own `imports` module and registers it with `@kind_register`. This module knows no domain.

Rows are read one at a time; a run keeps only the counts, the first `MAX_ERRORS` errors and
the first `PREVIEW_ROWS` results, so memory stays flat however long the file is.
"""

import codecs
import csv
import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.services import audit_record
from rutan.facilities.models import Facility

from .models import DataImport, ImportMapping, ImportStatus

PREVIEW_ROWS = 100
MAX_ERRORS = 1000
CHUNK_ROWS = 250
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Day first (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy) as Indonesia writes dates, or ISO yyyy-mm-dd.
DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "lunas", "sudah", "hadir"}
FALSE_WORDS = {"tidak", "t", "no", "false", "0", "belum", ""}


@dataclass(frozen=True)
class Column:
    """A template column: the field it fills, how its value is read, whether it must exist.

    kind: text, date, time, int, money (whole rupiah, "." between thousands), decimal, bool
    or choice (with `choices`, a TextChoices). A cell is never evaluated: "=cmd|…" is text.
    """

    name: str
    label: Any
    kind: str = "text"
    required: bool = False
    choices: type | None = None
    help: Any = ""


class ImportKind:
    """What one kind of file holds and how its rows are written. Subclass and register."""

    name: str = ""
    label: Any = ""
    description: Any = ""
    perm: Perm = Perm.INMATE_MANAGE
    columns: list[Column] = []
    # The columns that name a row's record: a second row with the same key is an error, and
    # the key finds the stored record so that importing the same file again changes nothing.
    key: tuple[str, ...] = ()
    # The columns shown for each row of the preview.
    summary: tuple[str, ...] = ()
    # Service error keys that are not column names: {service field: column}.
    error_keys: dict[str, str] = {}
    list_url_name: str = ""

    def batch(self) -> AbstractContextManager:
        """A context the whole run executes in (e.g. reading the app's rules only once)."""
        return nullcontext()

    def prepare(self, facility: Facility, by) -> dict:
        """Look-ups a run needs, loaded once (the facility's blocks, its register, …)."""
        return {}

    def write_row(self, state: dict, values: dict) -> dict:
        """Write one parsed row through the services: return {"action": "create" | "update" |
        "unchanged", "changes": [column names]}; raise ValidationError to refuse it."""
        raise NotImplementedError

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


KINDS: dict[str, ImportKind] = {}

# Every kind accepts the facility's code, so that a file exported for several facilities (the
# Kanwil's) cannot put one facility's rows into another: a row of another code is refused.
FACILITY_COLUMN = Column(
    "facility_code",
    gettext_lazy("Kode UPT"),
    help=gettext_lazy("Boleh kosong; bila diisi harus kode UPT tujuan impor."),
)


def kind_register(cls: type[ImportKind]) -> type[ImportKind]:
    if FACILITY_COLUMN not in cls.columns:
        cls.columns = [*cls.columns, FACILITY_COLUMN]
    KINDS[cls.name] = cls()
    return cls


def kind_get(name: str) -> ImportKind:
    return KINDS[name]


def kinds_for(user, facility: Facility) -> list[ImportKind]:
    from rutan.core.scoping import user_can

    return [k for k in KINDS.values() if user_can(user, k.perm, facility)]


class FileError(Exception):
    """The file as a whole cannot be read (not a row's fault)."""


class RowError(Exception):
    """A row refused outside a service (a look-up failed): {column: message}."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def norm(header) -> str:
    return " ".join(str(header or "").replace("\ufeff", "").split()).casefold()


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_encoding(handle) -> str:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        for chunk in iter(lambda: handle.read(64 * 1024), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        handle.seek(0)
    return "utf-8-sig"


def _csv_rows(handle) -> Iterator[list]:
    text = io.TextIOWrapper(handle, encoding=_csv_encoding(handle), newline="")
    first = text.readline()
    # Spreadsheets set to an Indonesian locale export with ";" between cells.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    yield from csv.reader(itertools.chain([first], text), delimiter=delimiter)


def _xlsx_rows(handle) -> Iterator[list]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Formulas come back as their text (data_only=False): nothing is ever evaluated.
        workbook = load_workbook(handle, read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileError(_("Berkas XLSX tidak dapat dibaca.")) from exc
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def file_rows(data_import: DataImport) -> Iterator[list]:
    """Yield the file's rows (the header first) as lists of raw cell values."""
    # Each read opens its own handle: the row count and the row pass run side by side.
    with data_import.file.storage.open(data_import.file.name, "rb") as handle:
        if data_import.file.name.endswith(".xlsx"):
            yield from _xlsx_rows(handle)
        else:
            yield from _csv_rows(handle)


def saved_mapping(facility: Facility, kind: ImportKind) -> dict[str, str]:
    mapping = ImportMapping.objects.filter(facility=facility, kind=kind.name).first()
    return mapping.columns if mapping else {}


def resolve_columns(
    kind: ImportKind, headers: list, facility: Facility
) -> tuple[dict[int, str], list, list]:
    """Map each file column to a field: the template name or label, else the facility's saved
    mapping. Return ({index: field}, ignored headers, missing required fields)."""
    saved = saved_mapping(facility, kind)
    known = {}
    for column in kind.columns:
        known[norm(column.name)] = column.name
        with translation.override("id"):
            known[norm(column.label)] = column.name
        with translation.override("en"):
            known.setdefault(norm(column.label), column.name)
    names = set(kind.column_names)
    by_index: dict[int, str] = {}
    ignored = []
    for index, header in enumerate(headers):
        name = known.get(norm(header)) or saved.get(norm(header))
        if name in names and name not in by_index.values():
            by_index[index] = name
        elif norm(header):
            ignored.append(str(header).strip())
    missing = [c.name for c in kind.columns if c.required and c.name not in by_index.values()]
    return by_index, ignored, missing


def choice_lookup(kind: ImportKind) -> dict[str, dict[str, str]]:
    """Each choice column's accepted spellings: the stored value or its label (id or en)."""
    lookup = {}
    for column in kind.columns:
        if column.choices is None:
            continue
        values = {}
        for value, label in column.choices.choices:
            values[norm(value)] = value
            for language in ("en", "id"):
                with translation.override(language):
                    values[norm(label)] = value
        lookup[column.name] = values
    return lookup


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = str(value).strip()
    if text.isdigit() and len(text) <= 5:
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    if match := DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    elif match := ISO_DATE.fullmatch(text.split(" ")[0].split("T")[0]):
        year, month, day = match.groups()
    else:
        raise ValueError(text)
    return datetime.date(int(year), int(month), int(day))


def parse_time(value) -> datetime.time:
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, float) and 0 <= value < 1:
        # An Excel time is the fraction of a day.
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60, minutes % 60)
    text = str(value).strip()
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError(text)


def _reason(column: Column, text: str) -> str:
    if column.kind == "date":
        return _("Tanggal “%(value)s” tidak dikenal; tulis dd/mm/yyyy atau yyyy-mm-dd.") % {
            "value": text
        }
    if column.kind == "time":
        return _("Jam “%(value)s” tidak dikenal; tulis hh:mm, misalnya 08:30.") % {"value": text}
    if column.kind == "choice":
        return _("“%(value)s” bukan pilihan yang dikenal (%(choices)s).") % {
            "value": text,
            "choices": ", ".join(str(v) for v in column.choices.values),
        }
    if column.kind == "bool":
        return _("“%(value)s” harus ya atau tidak.") % {"value": text}
    return _("“%(value)s” bukan angka yang sah.") % {"value": text}


@dataclass
class _Judge:
    """What a run knows while it reads rows: the kind, its look-ups and the file's keys."""

    kind: ImportKind
    facility: Facility
    by: object
    columns: dict[int, str]
    headers: dict[str, str]
    state: dict = field(default_factory=dict)
    # The natural key of each row read so far, by hash: 50,000 rows cost a few megabytes.
    seen: dict[int, int] = field(default_factory=dict)
    choices: dict = field(default_factory=dict)

    def __post_init__(self):
        self.choices = choice_lookup(self.kind)
        self.by_name = {c.name: c for c in self.kind.columns}

    def error(self, line: int, name: str, message) -> dict:
        return {
            "line": line,
            "column": self.headers.get(name, name),
            "field": name,
            "message": str(message),
        }

    def parse(self, line: int, cells: list) -> tuple[dict, list]:
        values, errors = {}, []
        for index, name in self.columns.items():
            raw = cells[index] if index < len(cells) else None
            column = self.by_name[name]
            text = text_of(raw)
            if text == "":
                if column.required:
                    errors.append(self.error(line, name, _("Wajib diisi.")))
                continue
            try:
                values[name] = self._value(column, raw, text)
            except (ValueError, KeyError, ArithmeticError):
                errors.append(self.error(line, name, _reason(column, text)))
        return values, errors

    def _value(self, column: Column, raw, text: str):
        if column.kind == "date":
            return parse_date(raw)
        if column.kind == "time":
            return parse_time(raw)
        if column.kind in {"int", "money"}:
            number = float(text.replace(".", "") if column.kind == "money" else text)
            if not number.is_integer() or not 0 <= number <= 10**15:
                raise ValueError(text)
            return int(number)
        if column.kind == "decimal":
            number = Decimal(text.replace(",", "."))
            if not number.is_finite():
                raise ValueError(text)
            return number
        if column.kind == "bool":
            if norm(text) in TRUE_WORDS:
                return True
            if norm(text) in FALSE_WORDS:
                return False
            raise ValueError(text)
        if column.kind == "choice":
            return self.choices[column.name][norm(text)]
        return text

    def service_errors(self, line: int, exc: ValidationError) -> list[dict]:
        if not hasattr(exc, "error_dict"):
            return [self.error(line, "", m) for m in exc.messages]
        found = []
        for key, errors in exc.error_dict.items():
            name = self.kind.error_keys.get(key, key if key in self.by_name else "")
            if key == NON_FIELD_ERRORS:
                name = ""
            for error in errors:
                found.extend(self.error(line, name, m) for m in error.messages)
        return found

    def summary(self, values: dict, cells: list) -> list[str]:
        shown = {
            name: text_of(cells[i]) if i < len(cells) else "" for i, name in self.columns.items()
        }
        return [shown.get(name, "") for name in self.kind.summary]

    def row(self, line: int, cells: list) -> dict:
        """Judge and run one row inside a savepoint; return what happened to it."""
        values, errors = self.parse(line, cells)
        result = {"line": line, "cells": self.summary(values, cells)}
        key = tuple(values.get(name) for name in self.kind.key)
        if self.kind.key and all(v not in (None, "") for v in key):
            key = hash(key)
            if key in self.seen:
                errors.append(
                    self.error(
                        line,
                        self.kind.key[0],
                        _("Baris ini sama dengan baris %(line)s berkas ini.")
                        % {"line": self.seen[key]},
                    )
                )
            else:
                self.seen[key] = line
        code = values.pop(FACILITY_COLUMN.name, "")
        if code and norm(code) != norm(self.facility.code):
            errors.append(
                self.error(
                    line,
                    FACILITY_COLUMN.name,
                    _("Kode UPT “%(value)s” bukan UPT tujuan impor ini (%(code)s).")
                    % {"value": code, "code": self.facility.code},
                )
            )
        if errors:
            return {**result, "action": "error", "errors": errors}
        try:
            with transaction.atomic():
                outcome = self.kind.write_row(self.state, values)
        except ValidationError as exc:
            return {**result, "action": "error", "errors": self.service_errors(line, exc)}
        except RowError as exc:
            errors = [self.error(line, name, message) for name, message in exc.errors.items()]
            return {**result, "action": "error", "errors": errors}
        changes = [self.headers.get(n, n) for n in outcome.get("changes", [])]
        return {**result, "action": outcome["action"], "changes": changes}


def progress_key(data_import: DataImport) -> str:
    return f"imports:{data_import.pk}:progress"


def progress_of(data_import: DataImport) -> int:
    """How far a run is: the cache holds it while a write's transaction is still open."""
    if data_import.is_busy:
        return max(data_import.progress, cache.get(progress_key(data_import), 0))
    return data_import.progress


class _Tally:
    """Counts, the first errors and the first rows of a run (memory stays flat)."""

    def __init__(self):
        self.counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
        self.error_count = 0
        self.errors: list[dict] = []
        self.first: list[dict] = []

    def keep(self, result: dict) -> None:
        self.counts[result["action"]] += 1
        row_errors = result.get("errors", [])
        self.error_count += len(row_errors)
        self.errors.extend(row_errors[: max(0, MAX_ERRORS - len(self.errors))])
        if len(self.first) < PREVIEW_ROWS:
            self.first.append(result)


def _chunks(rows: Iterator[list], size: int) -> Iterator[list[tuple[int, list]]]:
    chunk = []
    for line, cells in enumerate(rows, start=2):
        if not any(text_of(c) for c in cells):
            continue
        chunk.append((line, cells))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _run(data_import: DataImport, *, write: bool, on_progress: Callable[[int], None]) -> None:
    """Read every row and judge it; when `write`, keep the good rows (one transaction)."""
    kind = data_import.import_kind
    facility = data_import.facility
    rows = file_rows(data_import)
    headers = next(rows, None) or []
    if not any(text_of(h) for h in headers):
        raise FileError(_("Berkas kosong: baris pertama harus berisi nama kolom."))
    columns, ignored, missing = resolve_columns(kind, headers, facility)
    data_import.headers = [text_of(h) for h in headers]
    data_import.ignored_columns = ignored
    data_import.missing_columns = missing
    if missing:
        data_import.status = ImportStatus.NEEDS_MAPPING
        data_import.save()
        return
    total = max(sum(1 for _ in file_rows(data_import)) - 1, 0)
    data_import.total_rows = total
    judge = _Judge(
        kind=kind,
        facility=facility,
        by=data_import.created_by,
        columns=columns,
        headers={name: text_of(headers[i]) for i, name in columns.items()},
        state=kind.prepare(facility, data_import.created_by),
    )
    tally = _Tally()
    done = 0
    if write:
        with transaction.atomic():
            # A second delivery of the same task waits here for the first to commit, then
            # finds the import done and writes nothing (the rows are written once).
            if not (
                type(data_import)
                .objects.select_for_update()
                .filter(pk=data_import.pk, status=ImportStatus.WRITING)
                .exists()
            ):
                data_import.refresh_from_db()
                return
            for chunk in _chunks(rows, CHUNK_ROWS):
                for line, cells in chunk:
                    tally.keep(judge.row(line, cells))
                done += len(chunk)
                on_progress(min(99, 100 * done // max(total, 1)))
            data_import.status = ImportStatus.DONE
            data_import.written_at = timezone.now()
            _finish(data_import, tally)
            audit_record(
                actor=data_import.created_by,
                action=AuditAction.CREATE,
                instance=data_import,
                after={"kind": kind.name, "file": data_import.file.name, "counts": tally.counts},
            )
        return
    for chunk in _chunks(rows, CHUNK_ROWS):
        with transaction.atomic():
            for line, cells in chunk:
                tally.keep(judge.row(line, cells))
            transaction.set_rollback(True)
        done += len(chunk)
        data_import.progress = min(99, 100 * done // max(total, 1))
        data_import.save(update_fields=["progress", "updated_at"])
        on_progress(data_import.progress)
    data_import.status = ImportStatus.PREVIEWED
    _finish(data_import, tally)


def _finish(data_import: DataImport, tally: _Tally) -> None:
    data_import.counts = tally.counts
    data_import.errors = tally.errors
    data_import.error_count = tally.error_count
    data_import.rows = tally.first
    data_import.progress = 100
    data_import.save()


def execute(data_import: DataImport, *, write: bool) -> DataImport:
    """Run a preview or a write in the uploader's language; a failure is stored, not lost."""
    key = progress_key(data_import)

    def on_progress(percent: int) -> None:
        cache.set(key, percent, timeout=6 * 3600)

    with translation.override(data_import.language or None):
        try:
            with data_import.import_kind.batch():
                _run(data_import, write=write, on_progress=on_progress)
        except (FileError, csv.Error, UnicodeDecodeError, InvalidOperation) as exc:
            fail(data_import, str(exc) or _("Berkas tidak dapat dibaca."))
        except Exception:
            # Whatever went wrong, the page must stop waiting; the worker logs the cause.
            fail(data_import, _("Impor gagal karena kesalahan sistem; tidak ada yang disimpan."))
            raise
        finally:
            cache.delete(key)
    return data_import


def fail(data_import: DataImport, reason: str) -> None:
    data_import.status = ImportStatus.FAILED
    data_import.failure = reason
    data_import.save(update_fields=["status", "failure", "updated_at"])


def template_csv(kind: ImportKind) -> bytes:
    """The template's header row as CSV (with a BOM, so spreadsheets read it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out).writerow(kind.column_names)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx(kind: ImportKind) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = kind.name
    workbook.active.append(kind.column_names)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
