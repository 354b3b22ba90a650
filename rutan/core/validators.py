"""Validators shared by the apps' models."""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# What a person's name never holds: markup and template characters, control characters.
# (A name that looks like a spreadsheet formula is kept as typed: every export neutralises
# it, rutan.core.exports.)
_NOT_IN_A_NAME = re.compile(r"[<>{}]|[\x00-\x1f\x7f]")


@deconstructible
class PersonNameValidator:
    """A person's name (an inmate, a user, a partner's signatory or contact, a guarantor):
    letters, spaces and the marks names have (. , ' - ( ) /), never markup, with the
    character named in the error."""

    message = _("Nama tidak boleh berisi tanda %(char)s.")
    code = "name_characters"

    def __call__(self, value):
        found = _NOT_IN_A_NAME.search(value or "")
        if found:
            char = found.group()
            shown = f"“{char}”" if char.isprintable() else _("kendali")
            raise ValidationError(self.message, code=self.code, params={"char": shown})

    def __eq__(self, other):
        return isinstance(other, PersonNameValidator)


validate_person_name = PersonNameValidator()


# A civil servant's NIP (Nomor Induk Pegawai, PP No. 11 Tahun 2017 on ASN management, BKN
# rule): 18 digits (birth date yyyymmdd, appointment yyyymm, sex 1 or 2, serial nnn),
# written as one number or in its groups ("19800101 200501 1 001").
NIP_RE = re.compile(r"^(\d{8}) ?(\d{6}) ?([12]) ?(\d{3})$")


def normalise_nip(value: str) -> str:
    """The NIP as 18 digits, or the value unchanged when it is not one (the validator says)."""
    found = NIP_RE.match((value or "").strip())
    return "".join(found.groups()) if found else (value or "").strip()


def format_nip(value: str) -> str:
    """18 digits as printed under a signature: "19800101 200501 1 001"."""
    found = NIP_RE.match(value or "")
    return " ".join(found.groups()) if found else (value or "")


def validate_nip(value: str) -> None:
    if value and not NIP_RE.match(value.strip()):
        raise ValidationError(
            _("NIP terdiri atas 18 angka, mis. 19800101 200501 1 001."), code="nip"
        )
