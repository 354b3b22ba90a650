"""CSV / XLSX import and export of agreements (django-import-export).

Rows are written through the services, in one transaction: one bad row leaves the database
exactly as it was, and every problem is reported with its line in the file (the header is
line 1), in Indonesian — django-import-export ships no Indonesian translation, so the texts
the user reads come from here and from `admin/partners/agreement/import.html`.
"""

import csv
import datetime
import io
from dataclasses import dataclass

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for
from rutan.facilities.models import Facility

from . import services
from .models import Agreement, AgreementKind, Partner


class ImportFileError(ValueError):
    """The file cannot be read as a table; the message is for the user."""


def _blank(values) -> bool:
    return all(v is None or not str(v).strip() for v in values)


def _numbered_dataset(headers, numbered_rows) -> tablib.Dataset:
    """A dataset whose `line_numbers[i]` is the file line of data row i (blank rows dropped)."""
    headers = [str(h).strip() if h is not None else "" for h in headers or []]
    if not any(headers):
        raise ImportFileError(_("Baris 1 berkas harus berisi judul kolom."))
    dataset = tablib.Dataset(headers=headers)
    dataset.line_numbers = []
    for line, values in numbered_rows:
        values = list(values)
        if _blank(values):
            continue
        if len(values) > len(headers):
            if not _blank(values[len(headers) :]):
                raise ImportFileError(
                    _("Baris %(line)d berisi lebih banyak kolom daripada judul di baris 1.")
                    % {"line": line}
                )
            values = values[: len(headers)]
        values += [""] * (len(headers) - len(values))
        dataset.append(values)
        dataset.line_numbers.append(line)
    if not dataset.line_numbers:
        raise ImportFileError(_("Berkas tidak berisi data di bawah baris judul."))
    return dataset


class NumberedCSV(base_formats.CSV):
    """CSV that remembers each row's line and accepts `;` (Excel with Indonesian settings)."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode(self.encoding or "utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    _("Berkas CSV harus disimpan sebagai UTF-8 (CSV UTF-8 di Excel).")
                ) from exc
        in_stream = in_stream.removeprefix("\ufeff")
        first = in_stream.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(in_stream), delimiter=delimiter)
        try:
            headers = next(reader, None)
            rows = []
            start = reader.line_num + 1
            for values in reader:
                rows.append((start, values))
                start = reader.line_num + 1
        except csv.Error as exc:
            raise ImportFileError(
                _("Berkas CSV rusak di baris %(line)d: %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from exc
        return _numbered_dataset(headers, rows)


class NumberedXLSX(base_formats.XLSX):
    """XLSX (first sheet) that remembers each row's number in the sheet."""

    def create_dataset(self, in_stream):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
            raise ImportFileError(_("Berkas ini bukan XLSX yang dapat dibaca.")) from exc
        rows = enumerate(book.active.iter_rows(min_row=1, values_only=True), start=1)
        headers = next(rows, (1, None))[1]
        return _numbered_dataset(headers, rows)


IMPORT_FORMATS = [NumberedCSV, NumberedXLSX]


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import, as shown to the user."""

    line: int | None  # line in the file; None for a problem with the whole file
    column: str
    message: str


class FacilityCodeWidget(widgets.ForeignKeyWidget):
    """A facility by its code, among those where the importing user manages partners."""

    user = None

    def __init__(self):
        super().__init__(Facility, field="code")

    def get_queryset(self, value, row, *args, **kwargs):
        ids = facility_ids_for(self.user, Perm.PARTNER_MANAGE)
        return Facility.objects.all() if ids is None else Facility.objects.filter(pk__in=ids)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except Facility.DoesNotExist as exc:
            raise ValueError(
                _("UPT dengan kode “%(code)s” tidak ditemukan.") % {"code": value}
            ) from exc


class PartnerNameWidget(widgets.ForeignKeyWidget):
    """A partner is found by its name within the row's facility."""

    def __init__(self):
        super().__init__(Partner, field="name")

    def get_queryset(self, value, row, *args, **kwargs):
        return Partner.objects.filter(facility__code=(row or {}).get(AgreementResource.FACILITY))

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except Partner.DoesNotExist as exc:
            raise ValueError(
                _("Mitra “%(name)s” tidak terdaftar di UPT tersebut.") % {"name": value}
            ) from exc


class ChoiceWidget(widgets.Widget):
    """Accept a choice by its code; export its code too, so files round-trip."""

    def __init__(self, choices):
        self.choices = choices
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip().lower()
        if value not in self.choices.values:
            raise ValueError(
                _("Nilai “%(value)s” tidak dikenal; pilih salah satu: %(choices)s.")
                % {"value": value, "choices": ", ".join(self.choices.values)}
            )
        return value


class TextWidget(widgets.CharWidget):
    """Text, trimmed; an empty cell (None in XLSX) becomes "" so the model rules apply."""

    def clean(self, value, row=None, **kwargs):
        return str(super().clean(value, row, **kwargs) or "").strip()


class IsoDateWidget(widgets.DateWidget):
    """A date written YYYY-MM-DD, or DD/MM/YYYY or DD-MM-YYYY as Indonesians write it (never
    the American month-first order), or a real date cell in XLSX; the error is Indonesian."""

    def __init__(self):
        super().__init__(format=None)
        self.formats = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as exc:
            raise ValueError(
                _(
                    "Tanggal “%(value)s” tidak dikenali; tulis sebagai TTTT-BB-HH "
                    "(mis. 2025-11-05) atau HH/BB/TTTT (mis. 05/11/2025)."
                )
                % {"value": value}
            ) from exc


class AgreementResource(resources.ModelResource):
    FACILITY = "kode_upt"

    facility = fields.Field(attribute="facility", column_name=FACILITY, widget=FacilityCodeWidget())
    number = fields.Field(attribute="number", column_name="nomor", widget=TextWidget())
    kind = fields.Field(attribute="kind", column_name="jenis", widget=ChoiceWidget(AgreementKind))
    title = fields.Field(attribute="title", column_name="judul", widget=TextWidget())
    partner = fields.Field(attribute="partner", column_name="mitra", widget=PartnerNameWidget())
    partner_number = fields.Field(
        attribute="partner_number", column_name="nomor_pihak_mitra", widget=TextWidget()
    )
    signed_on = fields.Field(
        attribute="signed_on", column_name="tanggal_tanda_tangan", widget=IsoDateWidget()
    )
    valid_from = fields.Field(
        attribute="valid_from", column_name="berlaku_mulai", widget=IsoDateWidget()
    )
    valid_to = fields.Field(
        attribute="valid_to", column_name="berlaku_sampai", widget=IsoDateWidget()
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    partner_type = fields.Field(
        attribute="partner__partner_type", column_name="jenis_mitra", readonly=True
    )
    renewed_from = fields.Field(
        attribute="renewed_from__number", column_name="perpanjangan_dari", readonly=True
    )

    class Meta:
        model = Agreement
        import_id_fields = ("facility", "number")
        fields = (
            "facility",
            "number",
            "kind",
            "title",
            "partner",
            "partner_number",
            "signed_on",
            "valid_from",
            "valid_to",
            "status",
            "partner_type",
            "renewed_from",
        )
        export_order = fields
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fields["facility"].widget.user = user
        self._lines: list[int] | None = None
        self._seen: dict[tuple, int] = {}

    def get_export_queryset(self, *args, **kwargs):
        return (
            super()
            .get_export_queryset(*args, **kwargs)
            .select_related("facility", "partner", "renewed_from")
        )

    # Import: all or nothing, every problem with its line.

    def import_data(self, dataset, *args, **kwargs):
        # A row refused by validation must also undo the rows before it (the library's
        # default keeps them), also on the admin's confirm step and in scripts.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, *args, **kwargs)

    @classmethod
    def import_columns(cls) -> list[str]:
        """The columns an import file may have (the export-only ones left out)."""
        return [f.column_name for f in cls().get_import_fields() if not f.readonly]

    def line_of(self, row_number: int) -> int:
        """The file line of data row `row_number` (1-based); the header is line 1."""
        if self._lines is not None and 0 < row_number <= len(self._lines):
            return self._lines[row_number - 1]
        return row_number + 1

    def column_of(self, key: str) -> str:
        for field in self.get_import_fields():
            if key in (field.attribute, field.column_name):
                return field.column_name
        if key == NON_FIELD_ERRORS:
            return ""
        try:
            return str(Agreement._meta.get_field(key).verbose_name)
        except Exception:
            return key

    def before_import(self, dataset, **kwargs):
        self._lines = getattr(dataset, "line_numbers", None)
        self._seen = {}
        headers = {str(h).strip() for h in dataset.headers or []}
        missing = [f.column_name for f in self.get_import_fields() if f.column_name not in headers]
        required = {self.fields[name].column_name for name in self._meta.import_id_fields}
        required |= {"jenis", "judul", "mitra", "berlaku_mulai", "berlaku_sampai"}
        if missing_required := [c for c in missing if c in required]:
            raise ImportFileError(
                _("Kolom berikut tidak ada di baris judul (baris 1): %(columns)s.")
                % {"columns": ", ".join(missing_required)}
            )

    def before_import_row(self, row, **kwargs):
        key = (
            str(row.get(self.FACILITY) or "").strip(),
            str(row.get(self.fields["number"].column_name) or "").strip(),
        )
        line = self.line_of(kwargs.get("row_number", 0))
        if all(key) and (first := self._seen.get(key)):
            raise ValidationError(
                {
                    "number": _("Nomor “%(number)s” sudah ada di baris %(line)d berkas ini.")
                    % {"number": key[1], "line": first}
                }
            )
        self._seen[key] = line

    def get_or_init_instance(self, instance_loader, row):
        try:
            return super().get_or_init_instance(instance_loader, row)
        except ValueError:
            # An unknown facility code (or similar) while looking the agreement up:
            # report it against its own column, like the other column errors.
            errors = {}
            for name in self._meta.import_id_fields:
                try:
                    self.fields[name].clean(row)
                except ValueError as exc:
                    errors[name] = ValidationError(str(exc), code="invalid")
            if not errors:
                raise
            raise ValidationError(errors) from None

    def save_instance(self, instance, is_create, row, **kwargs):
        user = kwargs.get("user") or self.user
        data = {f: getattr(instance, f) for f in services.AGREEMENT_FIELDS}
        if is_create:
            saved = services.agreement_create(
                facility=instance.facility, partner=instance.partner, by=user, **data
            )
        else:
            saved = services.agreement_update(
                agreement=instance, by=user, partner=instance.partner, **data
            )
        instance.pk = saved.pk

    def after_import(self, dataset, result, **kwargs):
        result.problems = self.problems(result)

    def problems(self, result) -> list[ImportProblem]:
        """Everything wrong with the import, in Indonesian, in file order."""
        found = []
        for error in result.base_errors:
            found.append(ImportProblem(None, "", _message(error.error)))
        if found:
            return found  # the file itself is wrong; its rows say nothing more
        for number, errors in result.row_errors():
            for error in errors:
                found.append(ImportProblem(self.line_of(number), "", _message(error.error)))
        for row in result.invalid_rows:
            for key, messages in row.error_dict.items():
                for message in messages:
                    found.append(
                        ImportProblem(self.line_of(row.number), self.column_of(key), message)
                    )
        return sorted(found, key=lambda p: p.line or 0)


def _message(exc) -> str:
    """A user-facing message for an exception raised while importing."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, ValueError):  # our widgets and ImportFileError speak Indonesian
        return str(exc)
    return _("Data ini tidak dapat disimpan (%(error)s).") % {"error": type(exc).__name__}
