"""What the inmate register import holds: one inmate per row with the first warrant and, when
known, the verdict. Rows are written by the register's own services (`inmate_create`,
`verdict_record`, `inmate_update`), so an imported inmate is audited like a typed one."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rutan.core.roles import Perm
from rutan.facilities.models import Sex
from rutan.imports.engine import Column, ImportKind, RowError, kind_register, norm

from . import services
from .choices import (
    CaseCategory,
    DetentionAuthority,
    DetentionKind,
    DetentionOrder,
    EducationLevel,
    Religion,
    RemisiKind,
    SentenceKind,
    VerdictCourt,
)
from .models import Inmate, RemisiGrant

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
    Column("block", gettext_lazy("Blok")),
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
    Column("fine", gettext_lazy("Denda (Rp)"), "money"),
    Column("substitute_months", gettext_lazy("Kurungan pengganti (bulan)"), "int"),
    Column("substitute_days", gettext_lazy("Kurungan pengganti (hari)"), "int"),
    Column("fine_paid", gettext_lazy("Denda dibayar"), "bool"),
]
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


@kind_register
class RegisterImport(ImportKind):
    name = "register"
    label = gettext_lazy("Register WBP")
    description = gettext_lazy(
        "Satu WBP per baris, dengan surat penahanan pertamanya dan, bila ada, putusannya. "
        "Nomor registrasi yang sudah ada memperbarui identitasnya."
    )
    perm = Perm.INMATE_MANAGE
    columns = COLUMNS
    key = ("registration_number",)
    summary = ("registration_number", "name")
    error_keys = {**DETENTION_KEYS, **VERDICT_KEYS}
    list_url_name = "inmates:list"

    def batch(self):
        return services.rules_cached()

    def prepare(self, facility, by) -> dict:
        return {
            "facility": facility,
            "by": by,
            "blocks": {norm(b.name): b for b in facility.blocks.all()},
            "existing": dict(
                Inmate.objects.filter(facility=facility).values_list("registration_number", "pk")
            ),
        }

    def write_row(self, state: dict, values: dict) -> dict:
        if "block" in values:
            block = state["blocks"].get(norm(values["block"]))
            if block is None:
                raise RowError(
                    {
                        "block": _("Blok “%(value)s” tidak ada di UPT ini.")
                        % {"value": values["block"]}
                    }
                )
            values = {**values, "block": block}
        if values["registration_number"] in state["existing"]:
            return self._update(state, values)
        return self._create(state, values)

    def _update(self, state: dict, values: dict) -> dict:
        inmate = Inmate.objects.select_related("facility", "block").get(
            pk=state["existing"][values["registration_number"]]
        )
        changes = {
            name: values.get(name)
            for name in IDENTITY
            if name in values
            and values[name] != (getattr(inmate, name) if getattr(inmate, name) is not None else "")
        }
        if not changes:
            return {"action": "unchanged"}
        services.inmate_update(inmate=inmate, by=state["by"], **changes)
        return {"action": "update", "changes": list(changes)}

    def _create(self, state: dict, values: dict) -> dict:
        detention = {key: values.get(name) for key, name in DETENTION_KEYS.items()}
        identity = {name: values[name] for name in IDENTITY if name in values}
        inmate = services.inmate_create(
            facility=state["facility"], by=state["by"], detention=detention, **identity
        )
        if values.get("verdict_number"):
            verdict = {key: values.get(name) for key, name in VERDICT_KEYS.items()}
            services.verdict_record(inmate=inmate, by=state["by"], **verdict)
        return {"action": "create"}


REMISI_COLUMNS = [
    Column("registration_number", gettext_lazy("Nomor registrasi"), required=True),
    Column("kind", gettext_lazy("Jenis remisi"), "choice", True, RemisiKind),
    Column("decree_number", gettext_lazy("Nomor keputusan"), required=True),
    Column("decree_date", gettext_lazy("Tanggal keputusan"), "date", True),
    Column("months", gettext_lazy("Bulan"), "int"),
    Column("days", gettext_lazy("Hari"), "int"),
    Column("note", gettext_lazy("Keterangan")),
]


@kind_register
class RemisiImport(ImportKind):
    """The remisi ledger: one decree per row. A grant is corrected by removing it (with a
    reason) on the inmate's page, so a decree already recorded with other figures is refused
    rather than overwritten."""

    name = "remisi"
    label = gettext_lazy("Remisi")
    description = gettext_lazy(
        "Satu keputusan remisi per baris untuk narapidana UPT ini; tanggal bebas dan semua "
        "tanggal tahap dihitung ulang."
    )
    perm = Perm.INMATE_MANAGE
    columns = REMISI_COLUMNS
    key = ("registration_number", "decree_number", "kind")
    summary = ("registration_number", "kind", "decree_number")
    list_url_name = "inmates:list"

    def batch(self):
        return services.rules_cached()

    def prepare(self, facility, by) -> dict:
        inmates = dict(
            Inmate.objects.filter(facility=facility).values_list("registration_number", "pk")
        )
        grants = {
            (number, decree, kind): (months, days)
            for number, decree, kind, months, days in RemisiGrant.objects.filter(
                inmate__facility=facility
            ).values_list("inmate__registration_number", "decree_number", "kind", "months", "days")
        }
        return {"by": by, "inmates": inmates, "grants": grants}

    def write_row(self, state: dict, values: dict) -> dict:
        number = values["registration_number"]
        if number not in state["inmates"]:
            raise RowError(
                {
                    "registration_number": _("Tidak ada WBP bernomor “%(value)s” di UPT ini.")
                    % {"value": number}
                }
            )
        figures = (values.get("months", 0), values.get("days", 0))
        stored = state["grants"].get((number, values["decree_number"].strip(), values["kind"]))
        if stored == figures:
            return {"action": "unchanged"}
        if stored is not None:
            raise RowError(
                {
                    "months": _(
                        "Keputusan ini sudah tercatat dengan %(months)s bulan %(days)s hari; "
                        "hapus remisi itu di halaman WBP bila angkanya salah."
                    )
                    % {"months": stored[0], "days": stored[1]}
                }
            )
        services.remisi_grant_create(
            inmate=Inmate.objects.get(pk=state["inmates"][number]),
            by=state["by"],
            kind=values["kind"],
            decree_number=values["decree_number"],
            decree_date=values["decree_date"],
            months=figures[0],
            days=figures[1],
            note=values.get("note", ""),
        )
        return {"action": "create"}
