from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def max_document_bytes() -> int:
    return getattr(settings, "PARTNERS_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)


def validate_pdf(file) -> None:
    """Accept only a real PDF (checked by its first bytes, not its name) within the size limit."""
    limit = max_document_bytes()
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(len(PDF_MAGIC))
    file.seek(position)
    if head != PDF_MAGIC:
        raise ValidationError(
            _("Berkas harus berupa PDF; isi berkas ini bukan PDF."), code="not_pdf"
        )


def normalise_nik(value: str) -> str:
    """The NIK as typed on a KTP, without the spaces, dots or dashes people add."""
    return "".join(ch for ch in (value or "") if ch not in " .-")


def validate_nik(value: str) -> None:
    """A NIK (Nomor Induk Kependudukan) has 16 digits: region (6), birth date DDMMYY with 40
    added to the day for women (6), serial (4)."""
    nik = normalise_nik(value)
    if len(nik) != 16 or not nik.isdigit():
        raise ValidationError(
            _("NIK terdiri atas 16 angka (tertera pada KTP/KK)."), code="nik_length"
        )
    day, month = int(nik[6:8]), int(nik[8:10])
    if nik[0] == "0" or not (1 <= day <= 31 or 41 <= day <= 71) or not 1 <= month <= 12:
        raise ValidationError(
            _("NIK tidak sah: kode wilayah atau tanggal lahir di dalamnya tidak mungkin."),
            code="nik_invalid",
        )
    if nik[12:] == "0000":
        raise ValidationError(_("NIK tidak sah: nomor urut tidak boleh 0000."), code="nik_invalid")


def mask_nik(value: str) -> str:
    """Show only the last four digits (UU PDP: the NIK is personal data)."""
    nik = normalise_nik(value)
    if not nik:
        return ""
    return "•" * max(len(nik) - 4, 0) + nik[-4:]
