"""Partners from the news (../shared/seeds/003, 004): institutions are real, every person
named here is invented (with the real titles). Agreement numbers are invented too."""

import datetime
import zlib

from django.core.files.base import ContentFile

from rutan.core.demo import DemoContext, seeder
from rutan.inmates.models import Inmate

from . import services
from .models import Agreement, Contribution, Guarantee, Partner, ScopeItem, Signatory

PARTNERS = [
    {
        "facility": "rutan-balikpapan",
        "name": "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan",
        "partner_type": "yayasan",
        "city": "Balikpapan",
        "address": "Balikpapan, Kalimantan Timur",
        "notes": "Mitra rehabilitasi NAPZA dan penjamin Program Integrasi.",
        "contacts": [
            ("Hendrik Sinaga", "Ketua Yayasan"),
            ("Rina Kartikasari", "Koordinator Program"),
        ],
    },
    {
        "facility": "rutan-ruteng",
        "name": "UPTD SKB Randong",
        "partner_type": "pendidikan",
        "city": "Ruteng, Manggarai",
        "address": "Randong, Ruteng, Kabupaten Manggarai, NTT",
        "notes": "Sanggar Kegiatan Belajar: instruktur barbershop, tata rias dan yoga.",
        "contacts": [("Yohanes Ndamung", "Kepala UPTD")],
    },
    {
        "facility": "rutan-ruteng",
        "name": "Elite Jaya Meubel",
        "partner_type": "usaha",
        "city": "Ruteng, Manggarai",
        "address": "Ruteng, Kabupaten Manggarai, NTT",
        "notes": "Usaha meubel lokal: instruktur pertukangan dan pendampingan teknis.",
        "contacts": [("Fransiskus Jemarut", "Pemilik")],
    },
]

AGREEMENTS = [
    {
        "facility": "rutan-balikpapan",
        "partner": "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan",
        "kind": "pks",
        "number": "W18.PAS.PAS.2-HM.05.02-117",
        "partner_number": "021/YS-SEKATA/XI/2025",
        "title": "Program Rehabilitasi Pemasyarakatan bagi Warga Binaan Rutan Kelas IIA Balikpapan",
        "purpose": "Maksud: landasan pelaksanaan Program Rehabilitasi Pemasyarakatan bagi warga "
        "binaan Rutan Kelas IIA Balikpapan. Tujuan: agar program berjalan efektif dan "
        "berkesinambungan, selaras dengan UU Nomor 22 Tahun 2022 tentang Pemasyarakatan.",
        "signed_on": datetime.date(2025, 11, 5),
        "signed_at_place": "Rutan Kelas IIA Balikpapan",
        "valid_from": datetime.date(2025, 11, 5),
        "valid_to": datetime.date(2026, 12, 31),
        "scope": [
            ("Pemberian bimbingan teknis dan materi tentang NAPZA", "partner"),
            ("Pendampingan terhadap warga binaan peserta program rehabilitasi", "partner"),
            ("Evaluasi berkala atas keberhasilan dan kesinambungan kegiatan", "both"),
            ("Penjamin pelaksanaan Program Integrasi warga binaan yang diusulkan Rutan", "partner"),
            ("Menyediakan ruang kegiatan dan mengusulkan peserta rehabilitasi", "facility"),
        ],
        "signatories": [
            ("facility", "signatory", "Bambang Sutrisno", "Kepala Rutan Kelas IIA Balikpapan"),
            ("partner", "signatory", "Hendrik Sinaga", "Ketua Yayasan SEKATA Balikpapan"),
            ("facility", "witness", "Wahyuni Lestari", "Kepala Subseksi Pelayanan Tahanan"),
            ("partner", "witness", "Rina Kartikasari", "Koordinator Program Yayasan SEKATA"),
        ],
        "contributions": [
            ("trainer", "Sesi bimbingan teknis NAPZA oleh konselor adiksi", 1, "sesi", 4, 1200000),
            ("hours", "Pendampingan peserta rehabilitasi (kelompok)", 8, "pertemuan", 16, 2400000),
            ("material", "Modul dan lembar kerja pemulihan", 40, "eksemplar", 0, 600000),
        ],
        "document": False,
    },
    {
        "facility": "rutan-ruteng",
        "partner": "UPTD SKB Randong",
        "kind": "pks",
        "number": "W21.PAS.PAS.9-HM.05.02-041",
        "partner_number": "SKB.RDG/045/VIII/2025",
        "title": "Pelatihan Keterampilan Barbershop, Tata Rias dan Yoga bagi WBP Rutan Ruteng",
        "purpose": "Penguatan jejaring kerja dalam pembinaan kemandirian produktif tanpa "
        "anggaran negara: instruktur dari SKB Randong, petugas Rutan sebagai fasilitator.",
        "signed_on": datetime.date(2025, 8, 4),
        "signed_at_place": "Rutan Kelas IIB Ruteng",
        "valid_from": datetime.date(2025, 8, 4),
        "valid_to": datetime.date(2027, 8, 3),
        "scope": [
            ("Menyediakan instruktur pelatihan barbershop", "partner"),
            ("Menyediakan instruktur pelatihan tata rias", "partner"),
            ("Menyediakan instruktur yoga", "partner"),
            ("Menyediakan fasilitator, ruang dan peserta hasil asesmen minat", "facility"),
            ("Evaluasi dampak dan sertifikat kompetensi bagi peserta", "both"),
        ],
        "signatories": [
            ("facility", "signatory", "Fransiskus Jehadun", "Kepala Rutan Kelas IIB Ruteng"),
            ("partner", "signatory", "Yohanes Ndamung", "Kepala UPTD SKB Randong"),
        ],
        "contributions": [
            ("trainer", "Instruktur barbershop (12 pertemuan)", 12, "pertemuan", 24, 3600000),
            ("trainer", "Instruktur tata rias (10 pertemuan)", 10, "pertemuan", 20, 3000000),
            ("trainer", "Instruktur yoga (8 pertemuan)", 8, "pertemuan", 8, 1200000),
            ("material", "Peralatan cukur dan rias pinjaman SKB", 1, "paket", 0, 2500000),
        ],
        "document": True,
    },
    {
        "facility": "rutan-ruteng",
        "partner": "Elite Jaya Meubel",
        "kind": "pks",
        "number": "W21.PAS.PAS.9-HM.05.02-042",
        "partner_number": "EJM/07/VIII/2025",
        "title": "Pelatihan Pertukangan dan Produksi Meubel bagi WBP Rutan Ruteng",
        "purpose": "Pendampingan teknis pertukangan kayu hingga WBP menghasilkan karya meubel "
        "bernilai ekonomi, tanpa membebani anggaran negara.",
        "signed_on": datetime.date(2025, 8, 4),
        "signed_at_place": "Rutan Kelas IIB Ruteng",
        "valid_from": datetime.date(2025, 8, 4),
        "valid_to": datetime.date(2027, 1, 15),
        "scope": [
            ("Menyediakan instruktur pertukangan/meubel", "partner"),
            ("Pendampingan teknis produksi dan pemasaran produk meubel", "partner"),
            ("Menyediakan bengkel kerja dan peserta", "facility"),
        ],
        "signatories": [
            ("facility", "signatory", "Fransiskus Jehadun", "Kepala Rutan Kelas IIB Ruteng"),
            ("partner", "signatory", "Fransiskus Jemarut", "Pemilik Elite Jaya Meubel"),
        ],
        "contributions": [
            ("trainer", "Instruktur pertukangan (16 pertemuan)", 16, "pertemuan", 48, 4800000),
            ("material", "Kayu dan bahan finishing", 2, "m³", 0, 3500000),
        ],
        "document": True,
    },
]


def demo_pdf(title: str) -> bytes:
    """A small valid one-page PDF saying it is a demo copy (no real document is kept)."""
    text = f"BT /F1 14 Tf 56 780 Td ({title}) Tj 0 -24 Td (Salinan demo - bukan dokumen asli) Tj ET"
    stream = zlib.compress(text.encode("latin-1", "replace"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _partners(ctx: DemoContext, admin) -> dict[str, Partner]:
    partners = {}
    for spec in PARTNERS:
        facility = ctx.data["facilities"][spec["facility"]]
        partner = Partner.objects.filter(facility=facility, name=spec["name"]).first()
        if partner is None:
            fields = {k: v for k, v in spec.items() if k not in ("facility", "contacts")}
            partner = services.partner_create(facility=facility, by=admin, **fields)
            for name, role in spec["contacts"]:
                services.part_save(
                    instance=partner.contacts.model(partner=partner, name=name, role=role),
                    by=admin,
                )
        partners[spec["name"]] = partner
    return partners


def _agreement(ctx: DemoContext, admin, spec: dict, partner: Partner) -> Agreement:
    facility = ctx.data["facilities"][spec["facility"]]
    existing = Agreement.objects.filter(facility=facility, number=spec["number"]).first()
    if existing is not None:
        return existing
    fields = {k: spec[k] for k in services.AGREEMENT_FIELDS}
    agreement = services.agreement_create(facility=facility, partner=partner, by=admin, **fields)
    for position, (description, owner) in enumerate(spec["scope"], start=1):
        services.part_save(
            instance=ScopeItem(
                agreement=agreement, position=position, description=description, owner=owner
            ),
            by=admin,
        )
    for position, (side, role, name, title) in enumerate(spec["signatories"], start=1):
        services.part_save(
            instance=Signatory(
                agreement=agreement,
                side=side,
                role=role,
                name=name,
                title=title,
                position=position,
            ),
            by=admin,
        )
    if spec["document"]:
        services.agreement_attach_document(
            agreement=agreement,
            document=ContentFile(demo_pdf(f"PKS {spec['number']}"), name="pks.pdf"),
            by=admin,
        )
    today = agreement.facility.today()
    if agreement.valid_to >= today:
        agreement = services.agreement_activate(agreement=agreement, by=admin)
    given_on = max(agreement.valid_from, today - datetime.timedelta(days=60))
    for step, (kind, description, qty, unit, hours, value) in enumerate(spec["contributions"]):
        services.part_save(
            instance=Contribution(
                agreement=agreement,
                given_on=given_on + datetime.timedelta(days=7 * step),
                kind=kind,
                description=description,
                quantity=qty,
                unit=unit,
                hours=hours,
                value_idr=value,
                state_budget_idr=0,
            ),
            by=admin,
        )
    return agreement


def _guarantees(ctx: DemoContext, admin, agreement: Agreement) -> int:
    """SEKATA guarantees the integration of two narcotics-case inmates of Balikpapan."""
    if Guarantee.objects.filter(partner=agreement.partner).exists():
        return 0
    today = agreement.facility.today()
    candidates = Inmate.objects.filter(
        facility=agreement.facility, status="active", case_category="narkotika"
    ).order_by("integrasi_from", "id")
    preferred = list(candidates.with_stage_on("integrasi", today)[:2])
    chosen = preferred or list(candidates.filter(integrasi_from__isnull=False)[:2])
    for number, inmate in enumerate(chosen, start=1):
        services.guarantee_create(
            partner=agreement.partner,
            inmate=inmate,
            agreement=agreement,
            by=admin,
            letter_number=f"0{number}/SJ/YS-SEKATA/{today:%m}/{today:%Y}",
            valid_from=max(agreement.valid_from, today - datetime.timedelta(days=14)),
            valid_until=inmate.expected_release_date,
            letter=ContentFile(demo_pdf("Surat jaminan Program Integrasi"), name="surat.pdf"),
        )
    return len(chosen) + _family_guarantee(ctx, admin, agreement.facility, exclude=chosen)


def _family_guarantee(ctx: DemoContext, admin, facility, exclude) -> int:
    """The usual guarantor is family: a wife guarantees one inmate nearing integration."""
    if Guarantee.objects.filter(inmate__facility=facility, guarantor_kind="keluarga").exists():
        return 0
    today = facility.today()
    inmate = (
        Inmate.objects.filter(
            facility=facility, status="active", sex="L", case_category="pidana_umum"
        )
        .exclude(pk__in=[i.pk for i in exclude])
        .filter(integrasi_from__isnull=False)
        .order_by("integrasi_from", "id")
        .first()
    )
    if inmate is None:
        return 0
    services.guarantee_create(
        inmate=inmate,
        by=admin,
        guarantor_kind="keluarga",
        name="Sri Wahyuni",
        relationship="istri",
        nik="6471055203880004",
        address="Jl. Soekarno-Hatta Km 5, Balikpapan Utara",
        phone="0812-0000-0001",
        letter_number=f"01/SJ-KEL/{today:%m}/{today:%Y}",
        valid_from=today - datetime.timedelta(days=7),
        letter=ContentFile(demo_pdf("Surat jaminan keluarga"), name="surat.pdf"),
    )
    return 1


@seeder(order=30)
def seed_partners(ctx: DemoContext) -> None:
    admin = ctx.data["users"]["admin"]
    partners = _partners(ctx, admin)
    agreements = [_agreement(ctx, admin, spec, partners[spec["partner"]]) for spec in AGREEMENTS]
    guaranteed = _guarantees(ctx, admin, agreements[0])
    ctx.log(
        f"{len(partners)} mitra, {len(agreements)} perjanjian, {guaranteed} jaminan integrasi baru"
    )
