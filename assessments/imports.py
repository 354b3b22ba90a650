"""What can be imported into assessments: monthly SPPN scores, one inmate and one month per
row. Rows are written by the service of the SPPN page (`behaviour_scores_save`), so the rules,
the assessor and the audit are those of scores typed in by hand."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rutan.core.roles import Perm
from rutan.imports.engine import (
    Column,
    FileError,
    ImportKind,
    RowError,
    kind_register,
    norm,
    parse_date,
)
from rutan.inmates.models import Inmate

from . import services
from .models import BehaviourScore

ASPECTS = list(BehaviourScore.ASPECTS)
MONTH_FORMATS = ["%Y-%m", "%m/%Y", "%m-%Y", "%Y/%m"]


def parse_month(text: str) -> datetime.date:
    """The first day of the month a cell names: 2026-05, 05/2026 or any date in it (also
    an Excel date, which arrives as its serial number or as "2026-05-17 00:00:00")."""
    for fmt in MONTH_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return parse_date(text).replace(day=1)
    except ValueError:
        return datetime.datetime.fromisoformat(text).date().replace(day=1)


@kind_register
class SppnImport(ImportKind):
    name = "sppn"
    label = gettext_lazy("Nilai SPPN")
    description = gettext_lazy(
        "Satu WBP dan satu bulan per baris, dengan keempat nilai SPPN (0–100). Nilai bulan "
        "yang sudah ada diganti dengan nilai berkas."
    )
    perm = Perm.ASSESSMENT_MANAGE
    columns = [
        Column("registration_number", gettext_lazy("Nomor registrasi"), required=True),
        Column(
            "month",
            gettext_lazy("Bulan"),
            required=True,
            help=gettext_lazy("yyyy-mm, mm/yyyy atau tanggal mana pun dalam bulan itu."),
        ),
        *[
            Column(a, BehaviourScore._meta.get_field(a).verbose_name, "int", True, help="0–100")
            for a in ASPECTS
        ],
        Column("note", gettext_lazy("Catatan")),
    ]
    key = ("registration_number", "month")
    summary = ("registration_number", "month", *ASPECTS)
    list_url_name = "assessments:sppn"

    def prepare(self, facility, by) -> dict:
        if by is None:
            # Every SPPN score names its assessor: a file cannot be scored by nobody.
            raise FileError(_("Nilai SPPN perlu penilai: impor atas nama seorang petugas."))
        return {
            "facility": facility,
            "by": by,
            "inmates": {
                norm(number): pk
                for number, pk in Inmate.objects.filter(facility=facility).values_list(
                    "registration_number", "pk"
                )
            },
            # The same inmate and month spelled another way (05/2026 and 2026-05).
            "seen": set(),
        }

    def _scores(self, values: dict) -> dict:
        scores, errors = {}, {}
        for aspect in ASPECTS:
            try:
                BehaviourScore._meta.get_field(aspect).run_validators(values[aspect])
            except ValidationError as exc:
                errors[aspect] = exc.messages
            scores[aspect] = values[aspect]
        if errors:
            raise ValidationError(errors)
        return scores

    def write_row(self, state: dict, values: dict) -> dict:
        number = values["registration_number"]
        pk = state["inmates"].get(norm(number))
        if pk is None:
            raise RowError(
                {
                    "registration_number": _(
                        "Nomor registrasi “%(value)s” tidak ada di %(facility)s."
                    )
                    % {"value": number, "facility": state["facility"]}
                }
            )
        try:
            month = parse_month(values["month"])
        except ValueError:
            raise RowError(
                {
                    "month": _(
                        "Bulan “%(value)s” tidak dikenal; tulis yyyy-mm, mm/yyyy atau tanggal."
                    )
                    % {"value": values["month"]}
                }
            ) from None
        scores = self._scores(values)
        if (pk, month) in state["seen"]:
            raise RowError({"month": _("Baris ini sama dengan baris lain berkas ini.")})
        state["seen"].add((pk, month))
        inmate = Inmate.objects.select_related("facility").get(pk=pk)
        row = {"inmate": inmate, **scores}
        if "note" in values:
            row["note"] = values["note"]
        stored = BehaviourScore.objects.filter(inmate=inmate, month=month).first()
        try:
            created, changed = services.behaviour_scores_save(
                facility=state["facility"], month=month, rows=[row], by=state["by"]
            )
        except ValidationError as exc:
            # The service names a refused row by the inmate's id: that is this row's inmate.
            if hasattr(exc, "error_dict") and str(pk) in exc.error_dict:
                raise ValidationError({"registration_number": exc.error_dict[str(pk)]}) from exc
            raise
        if created:
            return {"action": "create"}
        if not changed:
            return {"action": "unchanged"}
        names = [*ASPECTS, "note"]
        return {
            "action": "update",
            "changes": [n for n in names if n in row and getattr(stored, n) != row[n]],
        }
