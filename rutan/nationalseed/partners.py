"""Partners of each facility with contacts, their MoU / PKS (in force, ending soon, expired,
renewed, draft, terminated) with scope, signatories and contributions; and the guarantors
(family, another person, a partner) of inmates nearing integration."""

import datetime
from dataclasses import dataclass

from partners.models import (
    Agreement,
    AgreementStatus,
    Contribution,
    Guarantee,
    GuarantorKind,
    Partner,
    PartnerContact,
    ScopeItem,
    Signatory,
)
from rutan.core.choices import ProgrammeArea

from .context import FacilityPlan, Seed
from .people import nik, phone, region_person

D = datetime.timedelta
AREA_LABELS = dict(ProgrammeArea.choices)

# (partner type, name, programme areas it supports); {town} is the facility's town.
TEMPLATES = [
    ("yayasan", "Yayasan Rumah Pemulihan {town}", ["napza"]),
    ("pemerintah", "BNN {town}", ["napza"]),
    ("pendidikan", "UPTD SKB {town}", ["literasi", "barbershop", "tata_rias", "yoga"]),
    ("keagamaan", "Majelis Taklim Nurul Iman {town}", ["keagamaan"]),
    ("pemerintah", "Kantor Kementerian Agama {town}", ["keagamaan", "kebangsaan"]),
    ("pemerintah", "Balai Latihan Kerja {town}", ["meubel", "lainnya"]),
    ("usaha", "CV Karya Jati {town}", ["meubel"]),
    ("usaha", "Kafe Kopi Nusantara {town}", ["kafe"]),
    ("pendidikan", "PKBM Cahaya Ilmu {town}", ["literasi"]),
    ("yayasan", "Lembaga Bantuan Hukum {town}", ["kesadaran_hukum"]),
    ("pemerintah", "Dinas Pertanian {town}", ["pertanian"]),
    ("keagamaan", "Gereja Jemaat Imanuel {town}", ["keagamaan"]),
    ("usaha", "Barbershop Gentleman {town}", ["barbershop"]),
    ("perguruan_tinggi", "{university}", ["literasi", "kesadaran_hukum"]),
]
CONTACT_ROLES = ["Ketua", "Koordinator Program", "Kepala", "Sekretaris", "Pemilik"]
# Share of agreements in each state; "ending" is in force and ends within 60 days.
STATES = {"active": 66, "ending": 10, "expired": 10, "renewed": 6, "draft": 5, "terminated": 3}
CONTRIBUTIONS = [
    ("trainer", "Instruktur / narasumber", "pertemuan", 150_000),
    ("material", "Bahan dan peralatan pelatihan", "paket", 750_000),
    ("hours", "Pendampingan peserta", "jam", 100_000),
]
RELATIONSHIPS = ["istri", "suami", "ayah", "ibu", "kakak kandung", "adik kandung", "anak"]


@dataclass
class AgreementRef:
    """An agreement as programmes and guarantees need it."""

    pk: int
    partner_pk: int
    partner_name: str
    partner_type: str
    areas: list[str]
    status: str
    valid_from: datetime.date
    valid_to: datetime.date

    def in_force(self, day: datetime.date) -> bool:
        return self.status == AgreementStatus.ACTIVE and self.valid_from <= day <= self.valid_to


class PartnerWriter:
    def __init__(self, seed: Seed):
        self.seed = seed
        self.partners = seed.table(
            Partner,
            "facility_id name partner_type address city phone email notes is_active",
            ids=True,
        )
        self.contacts = seed.table(PartnerContact, "partner_id name role phone email")
        self.agreements = seed.table(
            Agreement,
            "facility_id partner_id kind number partner_number title purpose signed_on "
            "signed_at_place valid_from valid_to document status activated_on ended_on "
            "termination_reason renewed_from_id",
            ids=True,
        )
        self.scope = seed.table(ScopeItem, "agreement_id position description owner due_on done_on")
        self.signatories = seed.table(Signatory, "agreement_id side role name title position")
        self.contributions = seed.table(
            Contribution,
            "agreement_id given_on kind description quantity unit hours value_idr state_budget_idr",
        )

    def facility(self, plan: FacilityPlan) -> None:
        rng = self.seed.rng("partners", plan.code)
        count = max(2, min(8, 2 + plan.capacity // 200))
        templates = TEMPLATES[:3] + rng.sample(TEMPLATES[3:], len(TEMPLATES) - 3)
        for number, (partner_type, name, areas) in enumerate(templates[:count], start=1):
            university = rng.choice(plan.region.universities or ["Universitas Terbuka"])
            name = name.format(town=plan.city, university=university)
            pk = self.partners.next_id()
            contact = region_person(rng, plan.region, rng.choice("LP"))[2]
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:20]
            self.partners.add(
                pk,
                plan.pk,
                name,
                partner_type,
                f"Jl. Pahlawan No. {rng.randint(1, 200)}, {plan.city}",
                plan.city,
                phone(rng),
                f"info@{slug}.invalid",
                "",
                True,
            )
            for position in range(rng.randint(1, 2)):
                person = contact if position == 0 else region_person(rng, plan.region, "P")[2]
                self.contacts.add(pk, person, rng.choice(CONTACT_ROLES), phone(rng), "")
            state = rng.choices(list(STATES), weights=list(STATES.values()))[0]
            ref = self.agreement(rng, plan, pk, name, partner_type, areas, state, number, contact)
            plan.agreements.append(ref)

    def agreement(self, rng, plan, partner_pk, name, partner_type, areas, state, number, contact):
        """Write one agreement (and, for a renewed one, the expired one it renews)."""
        today = self.seed.today
        years = rng.choice([1, 2, 2, 3])
        if state == "ending":
            valid_to = today + D(days=rng.randint(0, 60))
        elif state in ("active", "renewed", "draft", "terminated"):
            valid_to = today + D(days=rng.randint(61, 365 * years))
        else:
            valid_to = today - D(days=rng.randint(1, 300))
        valid_from = valid_to - D(days=365 * years - 1)
        base = f"W{plan.region.bps}.PAS.PAS.{rng.randint(1, 9)}-HM.05.02-{number:03d}"
        renewed_from = None
        if state == "renewed":
            old_to = valid_from - D(days=1)
            renewed_from = self._write(
                rng,
                plan,
                partner_pk,
                name,
                areas,
                base,
                AgreementStatus.EXPIRED,
                old_to - D(days=365 * years - 1),
                old_to,
                contact,
                None,
            )
            base = f"{base}/P2"
        status = {
            "active": AgreementStatus.ACTIVE,
            "ending": AgreementStatus.ACTIVE,
            "renewed": AgreementStatus.ACTIVE,
            "expired": AgreementStatus.EXPIRED,
            "draft": AgreementStatus.DRAFT,
            "terminated": AgreementStatus.TERMINATED,
        }[state]
        pk = self._write(
            rng,
            plan,
            partner_pk,
            name,
            areas,
            base,
            status,
            valid_from,
            valid_to,
            contact,
            renewed_from,
        )
        return AgreementRef(pk, partner_pk, name, partner_type, areas, status, valid_from, valid_to)

    def _write(
        self,
        rng,
        plan,
        partner_pk,
        name,
        areas,
        number,
        status,
        valid_from,
        valid_to,
        contact,
        renewed_from,
    ) -> int:
        today = self.seed.today
        pk = self.agreements.next_id()
        kind = "pks" if rng.random() < 0.75 else "mou"
        signed = status != AgreementStatus.DRAFT
        ended_on = None
        reason = ""
        if status == AgreementStatus.EXPIRED:
            ended_on = valid_to + D(days=1)
        elif status == AgreementStatus.TERMINATED:
            ended_on = max(
                valid_from, min(today - D(days=1), valid_from + D(days=rng.randint(30, 300)))
            )
            reason = "Mitra tidak lagi dapat menyediakan instruktur."
        topics = ", ".join(str(AREA_LABELS[a]).lower() for a in areas)
        self.agreements.add(
            pk,
            plan.pk,
            partner_pk,
            kind,
            number,
            f"{rng.randint(1, 300):03d}/{name.split()[0].upper()}/{valid_from.year}",
            f"Kerja Sama Pembinaan ({topics}) antara {plan.name} dan {name}",
            f"Landasan pelaksanaan pembinaan {topics} bagi warga binaan {plan.name}.",
            valid_from if signed else None,
            plan.name if signed else "",
            valid_from,
            valid_to,
            "",
            status,
            valid_from if signed else None,
            ended_on,
            reason,
            renewed_from,
        )
        items = [
            (f"Menyediakan instruktur dan materi {topics}", "partner"),
            ("Menyediakan ruang kegiatan dan mengusulkan peserta", "facility"),
            ("Evaluasi berkala atas pelaksanaan kegiatan", "both"),
        ]
        for position, (description, owner) in enumerate(items, start=1):
            self.scope.add(pk, position, description, owner, None, None)
        self.signatories.add(
            pk, "facility", "signatory", f"Kepala {plan.name}", f"Kepala {plan.name}", 1
        )
        self.signatories.add(pk, "partner", "signatory", contact, f"Pimpinan {name}", 2)
        if status in (AgreementStatus.ACTIVE, AgreementStatus.EXPIRED):
            first = max(valid_from, self.seed.window_start)
            last = min(today, valid_to)
            for _ in range(rng.randint(1, 4) if last >= first else 0):
                kind_code, description, unit, value = rng.choice(CONTRIBUTIONS)
                quantity = rng.randint(1, 12)
                self.contributions.add(
                    pk,
                    first + D(days=rng.randint(0, (last - first).days)),
                    kind_code,
                    description,
                    quantity,
                    unit,
                    quantity * 2 if kind_code != "material" else 0,
                    quantity * value,
                    0,
                )
        return pk


def seed_partners(seed: Seed) -> None:
    writer = PartnerWriter(seed)
    progress = seed.progress("partners", len(seed.facilities))
    for plan in seed.facilities:
        writer.facility(plan)
        progress.advance()


def seed_guarantees(seed: Seed) -> None:
    """About a third of the inmates in the integration stage today have a guarantor: mostly
    family (with a NIK), sometimes another person, or a partner under an agreement in force."""
    table = seed.table(
        Guarantee,
        "inmate_id guarantor_kind partner_id name relationship nik address phone agreement_id "
        "letter_number letter valid_from valid_until status revoked_reason",
    )
    today = seed.today
    for plan in seed.facilities:
        rng = seed.rng("guarantees", plan.code)
        guarantors = [
            a
            for a in plan.agreements
            if a.in_force(today) and a.partner_type in ("yayasan", "keagamaan")
        ]
        number = 0
        for held in plan.inmates:
            if not held.active or held.stage_on(today) != "integrasi" or rng.random() > 0.35:
                continue
            number += 1
            values = held.values
            valid_from = max(values["integrasi_from"] - D(days=30), held.arrived)
            letter = f"{number:03d}/SJ/{valid_from:%m}/{valid_from:%Y}"
            common = (letter, "", valid_from, values["expected_release_date"], "active", "")
            if guarantors and rng.random() < 0.2:
                ref = rng.choice(guarantors)
                table.add(
                    held.pk,
                    GuarantorKind.MITRA,
                    ref.partner_pk,
                    "",
                    "",
                    "",
                    "",
                    "",
                    ref.pk,
                    *common,
                )
                continue
            kind = GuarantorKind.KELUARGA if rng.random() < 0.93 else GuarantorKind.PERORANGAN
            sex = rng.choice("LP")
            name = region_person(rng, plan.region, sex)[2]
            birth = today - D(days=rng.randint(22 * 365, 65 * 365))
            table.add(
                held.pk,
                kind,
                None,
                name,
                rng.choice(RELATIONSHIPS) if kind == GuarantorKind.KELUARGA else "tokoh masyarakat",
                nik(rng, province=plan.region.bps, birth_date=birth, sex=sex),
                f"Jl. Merdeka No. {rng.randint(1, 200)}, {plan.city}",
                phone(rng),
                None,
                *common,
            )
