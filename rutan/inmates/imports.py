"""Bulk import of the inmate register (first warrant, optional verdict) from CSV or XLSX.

Every row is judged by the register's own services (`inmate_create`, `verdict_record`,
`inmate_update`): the preview runs them in transactions that are rolled back, the import
runs them again in one transaction, so both judge alike. Rows are read one at a time; only
the counts, the errors and the first `PREVIEW_ROWS` results are kept.
"""

import codecs
import csv
import datetime
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rutan.core.models import AuditAction
from rutan.core.roles import Perm
from rutan.core.scoping import require
from rutan.core.services import audit_record
from rutan.facilities.models import Facility, Sex

from . import services
from .choices import (
    CaseCategory,
    DetentionAuthority,
    DetentionKind,
    DetentionOrder,
    EducationLevel,
    Religion,
    SentenceKind,
    VerdictCourt,
)
from .models import ImportStatus, Inmate, RegisterImport, RegisterImportMapping

PREVIEW_ROWS = 100
CHUNK_ROWS = 250
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "lunas", "sudah"}
FALSE_WORDS = {"tidak", "t", "no", "false", "0", "belum", ""}


@dataclass(frozen=True)
class Column:
    """A template column: the field it fills, how its value is read, whether it must exist."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    choices: type | None = None


COLUMNS = [
    Column("registration_number", gettext_lazy("Nomor registrasi"), required=True),
    Column("name", gettext_lazy("Nama"), required=True),
    Column("sex", gettext_lazy("Jenis kelamin"), "choice", True, Sex),
    Column("birth_date", gettext_lazy("Tanggal lahir"), "date", True),
    Column("religion", gettext_lazy("Agama"), "choice", True, Religion),
    Column("education_level", gettext_lazy("Pendidikan"), "choice", True, EducationLevel),
    Column("case_category", gettext_lazy("Kategori perkara"), "choice", True, CaseCategory),
    Column("case_article", gettext_lazy("Pasal")),
    Column("admission_date", gettext_lazy("Tanggal masuk"), "date", True),
    Column("block", gettext_lazy("Blok"), "block"),
    Column(
        "warrant_authority", gettext_lazy("Instansi penahan"), "choice", True, DetentionAuthority
    ),
    Column("warrant_order", gettext_lazy("Jenis surat"), "choice", False, DetentionOrder),
    Column("warrant_kind", gettext_lazy("Jenis penahanan"), "choice", False, DetentionKind),
    Column("warrant_number", gettext_lazy("Nomor surat penahanan"), required=True),
    Column("warrant_date", gettext_lazy("Tanggal surat penahanan"), "date"),
    Column("warrant_start", gettext_lazy("Penahanan mulai"), "date", True),
    Column("warrant_end", gettext_lazy("Penahanan sampai"), "date", True),
    Column("verdict_court", gettext_lazy("Tingkat pengadilan"), "choice", False, VerdictCourt),
    Column("verdict_court_name", gettext_lazy("Nama pengadilan")),
    Column("verdict_number", gettext_lazy("Nomor putusan")),
    Column("verdict_decided_on", gettext_lazy("Tanggal putusan"), "date"),
    Column("verdict_final_on", gettext_lazy("Tanggal berkekuatan hukum tetap"), "date"),
    Column("sentence_kind", gettext_lazy("Jenis pidana"), "choice", False, SentenceKind),
    Column("sentence_years", gettext_lazy("Pidana (tahun)"), "int"),
    Column("sentence_months", gettext_lazy("Pidana (bulan)"), "int"),
    Column("sentence_days", gettext_lazy("Pidana (hari)"), "int"),
    Column("fine", gettext_lazy("Denda (Rp)"), "int"),
    Column("substitute_months", gettext_lazy("Kurungan pengganti (bulan)"), "int"),
    Column("substitute_days", gettext_lazy("Kurungan pengganti (hari)"), "int"),
    Column("fine_paid", gettext_lazy("Denda dibayar"), "bool"),
]
COLUMN_BY_NAME = {c.name: c for c in COLUMNS}
IDENTITY = services.INMATE_FIELDS
DETENTION_KEYS = {
    "authority": "warrant_authority",
    "order": "warrant_order",
    "kind": "warrant_kind",
    "warrant_number": "warrant_number",
    "warrant_date": "warrant_date",
    "start": "warrant_start",
    "end": "warrant_end",
}
VERDICT_KEYS = {
    "court": "verdict_court",
    "court_name": "verdict_court_name",
    "number": "verdict_number",
    "decided_on": "verdict_decided_on",
    "final_on": "verdict_final_on",
    "sentence_kind": "sentence_kind",
    "years": "sentence_years",
    "months": "sentence_months",
    "days": "sentence_days",
    "fine": "fine",
    "substitute_months": "substitute_months",
    "substitute_days": "substitute_days",
    "fine_paid": "fine_paid",
}


def template_header() -> list[str]:
    return [c.name for c in COLUMNS]


def _norm(header) -> str:
    return " ".join(str(header or "").replace("\ufeff", "").split()).casefold()


class FileError(Exception):
    """The file as a whole cannot be read (not a row's fault)."""


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


def file_rows(register_import: RegisterImport) -> Iterator[list]:
    """Yield the file's rows (the header first) as lists of raw cell values."""
    # Each read opens its own handle: the row count and the row pass run side by side.
    with register_import.file.storage.open(register_import.file.name, "rb") as handle:
        if register_import.file.name.endswith(".xlsx"):
            yield from _xlsx_rows(handle)
        else:
            yield from _csv_rows(handle)


def _saved_mapping(facility: Facility) -> dict[str, str]:
    mapping = RegisterImportMapping.objects.filter(facility=facility).first()
    return mapping.columns if mapping else {}


def resolve_columns(headers: list, facility: Facility) -> tuple[dict[int, str], list, list]:
    """Map each file column to a field: the template name or label, else the facility's saved
    mapping. Return ({index: field}, ignored headers, missing required fields)."""
    saved = _saved_mapping(facility)
    known = {}
    for column in COLUMNS:
        known[_norm(column.name)] = column.name
        with translation.override("id"):
            known[_norm(column.label)] = column.name
    by_index: dict[int, str] = {}
    ignored = []
    for index, header in enumerate(headers):
        name = known.get(_norm(header)) or saved.get(_norm(header))
        if name in COLUMN_BY_NAME and name not in by_index.values():
            by_index[index] = name
        elif _norm(header):
            ignored.append(str(header).strip())
    missing = [c.name for c in COLUMNS if c.required and c.name not in by_index.values()]
    return by_index, ignored, missing


def _choice_lookup() -> dict[str, dict[str, str]]:
    lookup = {}
    for column in COLUMNS:
        if column.choices is None:
            continue
        values = {}
        for value, label in column.choices.choices:
            values[_norm(value)] = value
            with translation.override("id"):
                values[_norm(label)] = value
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
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class _Judge:
    """What a run knows while it reads rows: the facility's blocks, its register and the file."""

    facility: Facility
    by: object
    columns: dict[int, str]
    blocks: dict[str, object] = field(default_factory=dict)
    existing: dict[str, int] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    choices: dict = field(default_factory=_choice_lookup)
    headers: dict[str, str] = field(default_factory=dict)

    def parse(self, line: int, cells: list) -> tuple[dict, list]:
        values, errors = {}, []
        for index, name in self.columns.items():
            raw = cells[index] if index < len(cells) else None
            column = COLUMN_BY_NAME[name]
            text = _text(raw)
            if text == "":
                if column.required:
                    errors.append(self.error(line, name, _("Wajib diisi.")))
                continue
            try:
                values[name] = self._value(column, raw, text)
            except (ValueError, KeyError):
                errors.append(self.error(line, name, self._reason(column, text)))
        return values, errors

    def _value(self, column: Column, raw, text: str):
        if column.kind == "date":
            return parse_date(raw)
        if column.kind == "int":
            number = float(text.replace(".", "") if column.name == "fine" else text)
            if not number.is_integer() or number < 0:
                raise ValueError(text)
            return int(number)
        if column.kind == "bool":
            if _norm(text) in TRUE_WORDS:
                return True
            if _norm(text) in FALSE_WORDS:
                return False
            raise ValueError(text)
        if column.kind == "choice":
            return self.choices[column.name][_norm(text)]
        if column.kind == "block":
            return self.blocks[_norm(text)]
        return text

    def _reason(self, column: Column, text: str) -> str:
        if column.kind == "date":
            return _("Tanggal “%(value)s” tidak dikenal; tulis dd/mm/yyyy atau yyyy-mm-dd.") % {
                "value": text
            }
        if column.kind == "block":
            return _("Blok “%(value)s” tidak ada di UPT ini.") % {"value": text}
        if column.kind == "choice":
            return _("“%(value)s” bukan pilihan yang dikenal (%(choices)s).") % {
                "value": text,
                "choices": ", ".join(str(v) for v in column.choices.values),
            }
        return _("“%(value)s” bukan angka yang sah.") % {"value": text}

    def error(self, line: int, name: str, message: str) -> dict:
        return {
            "line": line,
            "column": self.headers.get(name, name),
            "field": name,
            "message": str(message),
        }

    def service_errors(self, line: int, exc: ValidationError, keys: dict) -> list[dict]:
        if not hasattr(exc, "error_dict"):
            return [self.error(line, "", m) for m in exc.messages]
        found = []
        for key, errors in exc.error_dict.items():
            name = keys.get(key, key if key in COLUMN_BY_NAME else "")
            if key == NON_FIELD_ERRORS:
                name = ""
            for error in errors:
                found.extend(self.error(line, name, m) for m in error.messages)
        return found

    def row(self, line: int, cells: list) -> dict:
        """Judge and run one row inside a savepoint; return what happened to it."""
        values, errors = self.parse(line, cells)
        number = values.get("registration_number", "")
        result = {"line": line, "registration_number": number, "name": values.get("name", "")}
        if number and number in self.seen:
            errors.append(
                self.error(
                    line,
                    "registration_number",
                    _("Nomor registrasi ini sudah ada di baris %(line)s berkas ini.")
                    % {"line": self.seen[number]},
                )
            )
        elif number:
            self.seen[number] = line
        if errors:
            return {**result, "action": "error", "errors": errors}
        try:
            with transaction.atomic():
                if number in self.existing:
                    return {**result, **self._update(values)}
                return {**result, **self._create(line, values)}
        except _RowError as exc:
            return {**result, "action": "error", "errors": exc.errors}

    def _update(self, values: dict) -> dict:
        inmate = Inmate.objects.select_related("facility", "block").get(
            pk=self.existing[values["registration_number"]]
        )
        changes = {
            name: values.get(name)
            for name in IDENTITY
            if name in self.columns.values()
            and values.get(name, "")
            != (getattr(inmate, name) if getattr(inmate, name) is not None else "")
        }
        if not changes:
            return {"action": "unchanged"}
        try:
            services.inmate_update(inmate=inmate, by=self.by, **changes)
        except ValidationError as exc:
            raise _RowError(self.service_errors(0, exc, {})) from exc
        return {"action": "update", "changes": [self.headers.get(n, n) for n in changes]}

    def _create(self, line: int, values: dict) -> dict:
        detention = {key: values.get(name) for key, name in DETENTION_KEYS.items()}
        identity = {name: values[name] for name in IDENTITY if name in values}
        try:
            inmate = services.inmate_create(
                facility=self.facility, by=self.by, detention=detention, **identity
            )
        except ValidationError as exc:
            raise _RowError(self.service_errors(line, exc, DETENTION_KEYS)) from exc
        if values.get("verdict_number"):
            verdict = {key: values.get(name) for key, name in VERDICT_KEYS.items()}
            try:
                services.verdict_record(inmate=inmate, by=self.by, **verdict)
            except ValidationError as exc:
                raise _RowError(self.service_errors(line, exc, VERDICT_KEYS)) from exc
        return {"action": "create"}


class _RowError(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__()
        self.errors = errors


def _fix_lines(result: dict) -> dict:
    for error in result.get("errors", []):
        error["line"] = result["line"]
    return result


def _run(register_import: RegisterImport, *, write: bool) -> None:
    """Read every row and judge it; when `write`, keep the good rows (one transaction)."""
    facility = register_import.facility
    rows = file_rows(register_import)
    headers = next(rows, None) or []
    if not any(_text(h) for h in headers):
        raise FileError(_("Berkas kosong: baris pertama harus berisi nama kolom."))
    columns, ignored, missing = resolve_columns(headers, facility)
    register_import.headers = [_text(h) for h in headers]
    register_import.ignored_columns = ignored
    register_import.missing_columns = missing
    if missing:
        register_import.status = ImportStatus.NEEDS_MAPPING
        register_import.save()
        return
    total = sum(1 for _ in file_rows(register_import)) - 1
    register_import.total_rows = max(total, 0)
    judge = _Judge(
        facility=facility,
        by=register_import.created_by,
        columns=columns,
        blocks={_norm(b.name): b for b in facility.blocks.all()},
        existing=dict(
            Inmate.objects.filter(facility=facility).values_list("registration_number", "pk")
        ),
        headers={name: _text(headers[i]) for i, name in columns.items()},
    )
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    errors, first = [], []

    def keep(result: dict) -> None:
        counts[result["action"]] += 1
        errors.extend(result.get("errors", []))
        if len(first) < PREVIEW_ROWS:
            first.append(result)

    def rows_of(chunk_size: int) -> Iterator[list[tuple[int, list]]]:
        chunk = []
        for line, cells in enumerate(rows, start=2):
            if not any(_text(c) for c in cells):
                continue
            chunk.append((line, cells))
            if len(chunk) == chunk_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    done = 0
    if write:
        with transaction.atomic():
            for chunk in rows_of(CHUNK_ROWS):
                for line, cells in chunk:
                    keep(_fix_lines(judge.row(line, cells)))
                done += len(chunk)
            register_import.status = ImportStatus.DONE
            register_import.written_at = timezone.now()
            _finish(register_import, counts, errors, first, total)
            audit_record(
                actor=register_import.created_by,
                action=AuditAction.CREATE,
                instance=register_import,
                after={"file": register_import.file.name, "counts": counts},
            )
        return
    for chunk in rows_of(CHUNK_ROWS):
        with transaction.atomic():
            for line, cells in chunk:
                keep(_fix_lines(judge.row(line, cells)))
            transaction.set_rollback(True)
        done += len(chunk)
        register_import.progress = min(99, 100 * done // max(total, 1))
        register_import.save(update_fields=["progress", "updated_at"])
    register_import.status = ImportStatus.PREVIEWED
    _finish(register_import, counts, errors, first, total)


def _finish(register_import, counts, errors, first, total) -> None:
    register_import.counts = counts
    register_import.errors = errors
    register_import.rows = first
    register_import.progress = 100
    register_import.save()


def _execute(register_import: RegisterImport, *, write: bool) -> RegisterImport:
    with translation.override(register_import.language or None):
        try:
            _run(register_import, write=write)
        except (FileError, csv.Error, UnicodeDecodeError) as exc:
            _fail(register_import, str(exc) or _("Berkas tidak dapat dibaca."))
        except Exception:
            # Whatever went wrong, the page must stop waiting; the worker logs the cause.
            _fail(
                register_import, _("Impor gagal karena kesalahan sistem; tidak ada yang disimpan.")
            )
            raise
    return register_import


def _fail(register_import: RegisterImport, reason: str) -> None:
    register_import.status = ImportStatus.FAILED
    register_import.failure = reason
    register_import.save(update_fields=["status", "failure", "updated_at"])


def register_import_create(
    *, facility: Facility, by, file, name: str = "", enqueue: bool = True
) -> RegisterImport:
    """Store an uploaded register file privately and start its preview (nothing is written
    to the register until `register_import_confirm`). CSV or XLSX, at most 20 MB."""
    require(by, Perm.INMATE_MANAGE, facility)
    name = name or getattr(file, "name", "") or ""
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ValidationError({"file": _("Unggah berkas CSV atau XLSX.")})
    if getattr(file, "size", 0) > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("Berkas paling besar 20 MB.")})
    register_import = RegisterImport(
        facility=facility,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        original_name=name.rsplit("/", 1)[-1][:255],
        language=translation.get_language() or "",
    )
    register_import.file.save(name, file, save=False)
    register_import.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        instance=register_import,
        after={"file": register_import.file.name, "original_name": register_import.original_name},
    )
    if enqueue:
        _enqueue(register_import, write=False)
    return register_import


def _enqueue(register_import: RegisterImport, *, write: bool) -> None:
    from .tasks import register_import_run

    register_import_run.delay_on_commit(register_import.pk, write)


def register_import_preview(*, register_import: RegisterImport) -> RegisterImport:
    """Judge every row with the register's services and roll everything back."""
    if register_import.status not in {ImportStatus.QUEUED, ImportStatus.PREVIEWING}:
        return register_import
    register_import.status = ImportStatus.PREVIEWING
    register_import.progress = 0
    register_import.save(update_fields=["status", "progress", "updated_at"])
    return _execute(register_import, write=False)


def register_import_write(*, register_import: RegisterImport) -> RegisterImport:
    """Write the good rows in one transaction; rows in error are skipped and listed."""
    if register_import.status != ImportStatus.WRITING:
        return register_import
    return _execute(register_import, write=True)


@transaction.atomic
def register_import_confirm(*, register_import: RegisterImport, by, enqueue: bool = True):
    """Accept a previewed file: its good rows are written (in Celery when `enqueue`)."""
    require(by, Perm.INMATE_MANAGE, register_import.facility)
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if register_import.status != ImportStatus.PREVIEWED:
        raise ValidationError(_("Impor ini belum siap atau sudah disimpan."))
    register_import.status = ImportStatus.WRITING
    register_import.progress = 0
    register_import.save(update_fields=["status", "progress", "updated_at"])
    if enqueue:
        _enqueue(register_import, write=True)
    return register_import


@transaction.atomic
def register_import_map(
    *, register_import: RegisterImport, by, columns: dict[str, str], enqueue: bool = True
) -> RegisterImport:
    """Save how this facility's headers map to the template (reused by its next imports;
    a header set to "" forgets its mapping) and preview the file again."""
    require(by, Perm.INMATE_MANAGE, register_import.facility)
    register_import = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
    if register_import.status not in {ImportStatus.NEEDS_MAPPING, ImportStatus.PREVIEWED}:
        raise ValidationError(_("Impor ini belum siap atau sudah disimpan."))
    unknown = sorted(set(columns.values()) - set(COLUMN_BY_NAME) - {""})
    if unknown:
        raise ValidationError(_("Kolom tujuan tidak dikenal: %(names)s.") % {"names": unknown})
    chosen = [f for f in columns.values() if f]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("Satu kolom tujuan hanya boleh dipilih sekali."))
    mapping, _created = RegisterImportMapping.objects.get_or_create(
        facility=register_import.facility, defaults={"created_by": by}
    )
    before = dict(mapping.columns)
    saved = {k: v for k, v in mapping.columns.items() if k not in {_norm(h) for h in columns}}
    mapping.columns = {**saved, **{_norm(h): f for h, f in columns.items() if f}}
    mapping.save()
    audit_record(
        actor=by, action=AuditAction.UPDATE, instance=mapping, before=before, after=mapping.columns
    )
    register_import.status = ImportStatus.QUEUED
    register_import.save(update_fields=["status", "updated_at"])
    if enqueue:
        _enqueue(register_import, write=False)
    return register_import


def template_csv() -> bytes:
    """The template's header row as CSV (with a BOM, so spreadsheets read it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out).writerow(template_header())
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "register"
    workbook.active.append(template_header())
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
