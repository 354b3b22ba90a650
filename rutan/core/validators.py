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
