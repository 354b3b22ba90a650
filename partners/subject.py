"""What partners hold about one inmate, for the subject-access export (rutan.core.subject).

A guarantor's NIK is a third person's personal data: the export shows its last four digits."""

from django.utils.translation import gettext_lazy as _

from rutan.core.subject import section

from .models import Guarantee
from .validators import mask_nik


def collect(inmate, by):
    return [
        section(
            "guarantees",
            _("Penjaminan"),
            Guarantee.objects.filter(inmate=inmate).select_related("partner"),
            model=Guarantee,
            exclude=["nik"],
            extra=lambda g: {"nik": mask_nik(g.nik)},
            extra_labels={"nik": Guarantee._meta.get_field("nik").verbose_name},
        ),
    ]
