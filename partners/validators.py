from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

PDF_MAGIC = b"%PDF-"


def max_document_bytes() -> int:
    return getattr(settings, "PARTNERS_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024)


def _damaged():
    return ValidationError(
        _("PDF ini rusak atau terpotong sehingga tidak dapat dibaca; unggah ulang berkas aslinya."),
        code="pdf_damaged",
    )


def validate_pdf(file) -> None:
    """Accept only a whole, readable, unencrypted PDF within the size limit.

    The file is parsed (pypdf): its header, cross-reference table, every page and its content
    must be readable, so a renamed file, "%PDF-" followed by junk and a truncated upload are
    all refused; so is an encrypted one, which staff could not open later.
    """
    limit = max_document_bytes()
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        if file.read(len(PDF_MAGIC)) != PDF_MAGIC:
            raise ValidationError(
                _("Berkas harus berupa PDF; isi berkas ini bukan PDF."), code="not_pdf"
            )
        file.seek(0)
        reader = PdfReader(file, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _("PDF ini terkunci kata sandi (terenkripsi); unggah PDF tanpa kata sandi."),
                code="pdf_encrypted",
            )
        if not reader.pages:
            raise _damaged()
        for page in reader.pages:
            page.get_contents()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise _damaged() from exc
    finally:
        file.seek(position)


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
