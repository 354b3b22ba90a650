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
