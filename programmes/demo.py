"""Demo programmes of Rutan Balikpapan and Rutan Ruteng (facts from the shared seeds).

Partners and places are real; every person (facilitator, supervisor) is invented. About three
months of sessions with attendance; Ruteng's skills courses end with certificates and products.
"""

import datetime
import random
from decimal import Decimal

from partners.models import Agreement
from rutan.core.demo import DemoContext, seeder
from rutan.inmates.models import Inmate

from . import eligibility, services
from .choices import AbsenceReason, EnrolmentStatus, SessionStatus
from .models import EnrolmentEvent, Programme

D = datetime.timedelta
CAFE_ADDRESS = (
    "Jl. Jenderal Sudirman No. 533, Kelurahan Damai Bahagia, Kecamatan Balikpapan Selatan, "
    "Kota Balikpapan"
)

BALIKPAPAN = [
    {
        "title": "Pengajian rutin Qonita",
        "pillar": "kepribadian",
        "area": "keagamaan",
        "description": "Pembacaan Al-Qur'an, tausiyah dan diskusi bagi WBP perempuan, "
        "didampingi peserta Magang Nasional Kemenaker.",
        "facilitator": "Hj. Nur Aisyah Rahmawati",
        "instructor": "Majelis Taklim Qonita",
        "location": "Musala Blok Wanita",
        "capacity": 20,
        "eligible_sex": "P",
        "slots": [(0, "09:00", "11:00")],
        "people": {"sex": "P"},
        "enrol": 16,
    },
    {
        "title": "Kelas Literasi (keaksaraan dasar)",
        "pillar": "kepribadian",
        "area": "literasi",
        "description": "Kelas baca-tulis-hitung bagi WBP yang hasil asesmen buta aksaranya "
        "menunjukkan perlu belajar dasar.",
        "facilitator": "Dewi Lestari Anggraini, S.Pd. (Pembina Kepribadian)",
        "instructor": "Pembina Kepribadian Rutan Balikpapan",
        "location": "Ruang Perpustakaan",
        "capacity": 15,
        "slots": [(1, "09:00", "10:30"), (3, "09:00", "10:30")],
        "people": {"sex": "L", "education_level__in": ["tidak_sekolah", "sd"]},
        "enrol": 18,
    },
    {
        "title": "Kelas Baca Tulis Al-Qur'an (Iqra)",
        "pillar": "kepribadian",
        "area": "keagamaan",
        "description": "Belajar membaca Al-Qur'an dengan metode Iqra bagi WBP yang hasil tes "
        "baca Al-Qur'annya belum lancar; tingkat Al-Qur'an dicatat terpisah dari literasi "
        "Latin.",
        "facilitator": "Ustaz Ahmad Fauzi (Pembina Kepribadian)",
        "instructor": "Pembina Kepribadian Rutan Balikpapan",
        "location": "Masjid Rutan",
        "capacity": 20,
        "eligible_sex": "L",
        "slots": [(4, "13:30", "15:00")],
        "people": {"sex": "L", "religion": "islam"},
        "enrol": 12,
    },
    {
        "title": "Kelas kesetaraan Paket C",
        "pillar": "kepribadian",
        "area": "literasi",
        "description": "Pendidikan kesetaraan setara SMA bagi WBP yang sudah menyelesaikan "
        "Paket B (tingkat literasi Latin).",
        "facilitator": "Dewi Lestari Anggraini, S.Pd. (Pembina Kepribadian)",
        "instructor": "Pembina Kepribadian Rutan Balikpapan",
        "location": "Ruang Perpustakaan",
        "capacity": 15,
        "min_literacy_level": "paket_b",
        "slots": [(2, "09:00", "11:00")],
        "people": {"sex": "L", "education_level__in": ["smp", "sma"]},
        "enrol": 10,
    },
    {
        "title": "Rehabilitasi NAPZA bersama Yayasan SEKATA",
        "pillar": "rehabilitasi",
        "area": "napza",
        "description": "Bimbingan teknis dan materi tentang NAPZA, pendampingan peserta dan "
        "evaluasi berkala (PKS Rutan Balikpapan – Yayasan SEKATA, 5 November 2025).",
        "facilitator": "Dedi Kurniawan (Wali Pemasyarakatan)",
        "instructor": "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan",
        "location": "Aula Pembinaan",
        "capacity": 25,
        "slots": [(2, "13:30", "15:30")],
        "people": {"case_category": "narkotika", "sex": "L"},
        "enrol": 22,
    },
    {
        "title": "Kafe asimilasi Rutan Balikpapan",
        "pillar": "asimilasi",
        "area": "kafe",
        "description": "Kerja asimilasi di kafe halaman depan Rutan Balikpapan, berdasarkan SK "
        "Menteri Hukum dan HAM tentang Asimilasi Narapidana.",
        "facilitator": "Budi Hartono (Pembina Kemandirian)",
        "instructor": "Rutan Kelas IIA Balikpapan",
        "location": CAFE_ADDRESS,
        "capacity": 6,
        "eligible_stages": ["asimilasi", "integrasi"],
        "slots": [(0, "08:00", "16:00"), (2, "08:00", "16:00"), (4, "08:00", "16:00")],
        "people": {"sex": "L"},
        "assimilation": True,
        "enrol": 5,
    },
]

RUTENG = [
    {
        "title": "Pelatihan Barbershop",
        "pillar": "kemandirian",
        "area": "barbershop",
        "instructor": "UPTD SKB Randong",
        "facilitator": "Yohanes Nggarang (Pembina Kemandirian)",
        "location": "Ruang Keterampilan",
        "capacity": 10,
        "slots": [(1, "09:00", "12:00")],
        "people": {"sex": "L"},
        "enrol": 8,
        "finish": True,
        "competence": "Pangkas rambut pria tingkat dasar",
    },
    {
        "title": "Pelatihan Tata Rias",
        "pillar": "kemandirian",
        "area": "tata_rias",
        "instructor": "UPTD SKB Randong",
        "facilitator": "Maria Yasinta Jehaut (Pembina Kemandirian)",
        "location": "Ruang Keterampilan Blok Wanita",
        "capacity": 10,
        "slots": [(3, "09:00", "12:00")],
        "people": {"sex": "P"},
        "enrol": 7,
        "finish": True,
        "competence": "Tata rias wajah dasar",
    },
    {
        "title": "Yoga",
        "pillar": "kepribadian",
        "area": "yoga",
        "instructor": "UPTD SKB Randong",
        "facilitator": "Kornelis Jelahu",
        "location": "Lapangan Rutan",
        "capacity": 25,
        "slots": [(5, "07:00", "08:00")],
        "people": {},
        "enrol": 20,
    },
    {
        "title": "Pertukangan meubel",
        "pillar": "kemandirian",
        "area": "meubel",
        "instructor": "Elite Jaya Meubel",
        "facilitator": "Stefanus Ndruru (Pembina Kemandirian)",
        "location": "Bengkel Kerja",
        "capacity": 12,
        "slots": [(0, "08:00", "12:00"), (2, "08:00", "12:00")],
        "people": {"sex": "L"},
        "enrol": 12,
        "products": [
            ("Kursi kayu jati", 8, "buah", 750_000, "sold"),
            ("Meja makan kayu mahoni", 2, "buah", 2_500_000, "sold"),
            ("Lemari pakaian dua pintu", 1, "buah", 3_200_000, "stock"),
            ("Rak buku", 5, "buah", 450_000, "sold"),
            ("Kursi anak", 10, "buah", 175_000, "donated"),
        ],
    },
]

CAFE_PRODUCTS = [
    ("Kopi susu gula aren", 420, "gelas", 15_000, "sold"),
    ("Pisang goreng", 260, "porsi", 10_000, "sold"),
]

SUPERVISORS = ["Agung Prasetya", "Heri Susanto"]
ABSENCE_WEIGHTS = {
    AbsenceReason.SICK: 5,
    AbsenceReason.COURT: 2,
    AbsenceReason.VISIT: 3,
    AbsenceReason.DISCIPLINE: 1,
    AbsenceReason.OTHER: 1,
}


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _backdate(enrolment, on: datetime.date) -> None:
    """Demo history: the service enrols today; the story starts on `on`."""
    type(enrolment).objects.filter(pk=enrolment.pk).update(requested_on=on, started_on=on)
    EnrolmentEvent.objects.filter(enrolment=enrolment).update(on=on)
    enrolment.refresh_from_db()


def _agreement(facility, partner_name: str):
    """The facility's newest agreement with the partner that runs the programme, if seeded."""
    return (
        Agreement.objects.filter(facility=facility, partner__name=partner_name)
        .order_by("-valid_from", "-id")
        .first()
    )


def _assimilation_candidates(people, start: datetime.date) -> list[Inmate]:
    """Inmates who pass every real asimilasi rule on `start` (time, Register F, SPPN, …);
    the stage date only narrows the list before the full check."""
    return [
        p
        for p in people.filter(asimilasi_from__lte=start)
        if not eligibility.failing(eligibility.assimilation_eligibility(inmate=p, on=start))
    ]


def _make(ctx, facility, spec, by, start, today, rng, ends=None):
    if Programme.objects.filter(facility=facility, title=spec["title"]).exists():
        return None
    programme = services.programme_create(
        facility=facility,
        by=by,
        status="running",
        start_date=start,
        end_date=ends,
        agreement=_agreement(facility, spec.get("instructor", "")),
        **{
            k: spec[k]
            for k in (
                "title",
                "pillar",
                "area",
                "description",
                "facilitator",
                "instructor",
                "location",
                "capacity",
                "eligible_sex",
                "eligible_stages",
                "min_literacy_level",
            )
            if k in spec
        },
    )
    for weekday, begin, end in spec["slots"]:
        services.schedule_slot_create(
            programme=programme,
            weekday=weekday,
            start_time=_time(begin),
            end_time=_time(end),
            by=by,
        )
    services.sessions_generate(
        programme=programme, date_from=start, date_to=ends or today + D(days=21), by=by
    )
    people = Inmate.objects.filter(facility=facility, status="active", **spec["people"]).order_by(
        "id"
    )
    people = _assimilation_candidates(people, start) if spec.get("assimilation") else list(people)
    if spec.get("min_literacy_level"):
        # Only those whose latest level in the programme's script meets its minimum.
        people = [
            p
            for p in people
            if not eligibility.failing(
                eligibility.programme_eligibility(programme=programme, inmate=p)
            )
        ]
    rng.shuffle(people)
    enrolments = []
    for inmate in people[: spec["enrol"]]:
        enrolment = services.enrolment_create(programme=programme, inmate=inmate, by=by)
        if enrolment.status == EnrolmentStatus.ACTIVE:
            _backdate(enrolment, start)
        enrolments.append(enrolment)
    cancelled = programme.sessions.filter(date__lt=today).order_by("date")[3:4]
    for session in cancelled:
        services.session_cancel(session=session, reason="Hari libur nasional", by=by)
    for session in programme.sessions.filter(
        date__lt=today, status=SessionStatus.SCHEDULED
    ).order_by("date"):
        roster = list(services.session_roster(session))
        absences = {
            e.pk: (
                rng.choices(list(ABSENCE_WEIGHTS), weights=list(ABSENCE_WEIGHTS.values()))[0],
                "",
            )
            for e in roster
            if rng.random() < 0.12
        }
        services.attendance_record(session=session, absences=absences, by=by)
    ctx.log(f"{programme.title}: {len(enrolments)} peserta, {programme.sessions.count()} sesi")
    return programme


def _finish(programme, spec, by, ends, rng):
    """Close a course: pre/post scores, completion, certificates for everyone who finished."""
    for enrolment in programme.enrolments.filter(status=EnrolmentStatus.ACTIVE).order_by("id"):
        pre = Decimal(rng.randint(35, 60))
        services.evaluation_record(
            enrolment=enrolment,
            kind="pre",
            score=pre,
            instrument="Uji praktik awal",
            on=programme.start_date,
            by=by,
        )
        if rng.random() < 0.12:
            services.enrolment_withdraw(
                enrolment=enrolment, reason="health", note="Sakit berkepanjangan", on=ends, by=by
            )
            continue
        services.enrolment_complete(
            enrolment=enrolment,
            on=ends,
            post_score=min(Decimal(100), pre + rng.randint(15, 35)),
            instrument="Uji kompetensi akhir",
            by=by,
        )
        services.certificate_issue(
            enrolment=enrolment,
            competence=spec["competence"],
            issuer=spec["instructor"],
            issued_on=ends,
            by=by,
        )
    services.programme_set_status(programme=programme, status="finished", on=ends, by=by)


def _products(programme, items, today, by):
    for number, (name, quantity, unit, value, disposition) in enumerate(items):
        services.product_create(
            programme=programme,
            name=name,
            made_on=today - D(days=70 - 12 * number),
            quantity=quantity,
            unit=unit,
            unit_value=Decimal(value),
            disposition=disposition,
            by=by,
        )


def _placements(ctx, programme, by, today, rng):
    """Café placements for the programme's participants, each through the service (which
    checks the real eligibility rules again)."""
    facility = programme.facility
    enrolments = list(
        programme.enrolments.filter(status=EnrolmentStatus.ACTIVE)
        .select_related("inmate", "inmate__facility")
        .order_by("id")
    )
    for number, enrolment in enumerate(enrolments):
        start = programme.start_date
        placement = services.assimilation_placement_create(
            inmate=enrolment.inmate,
            workplace="Kafe asimilasi Rutan Balikpapan",
            address=CAFE_ADDRESS,
            supervisor=SUPERVISORS[number % len(SUPERVISORS)],
            decree_reference=f"W.18.PAS.PAS.3-PK.01.04-{310 + number}/{start.year}",
            start_date=start,
            programme=programme,
            by=by,
        )
        day = max(start, today - D(days=14))
        while day < today:
            if day.weekday() in (0, 2, 4):
                out = datetime.datetime.combine(day, datetime.time(7, 45), facility.tzinfo)
                services.assimilation_check_out(placement=placement, at=out, by=by)
                back = out + D(hours=8, minutes=rng.randint(0, 40))
                services.assimilation_check_in(placement=placement, at=back, by=by)
            day += D(days=1)
    ctx.log(f"{programme.title}: {len(enrolments)} penempatan asimilasi")


@seeder(order=40)
def seed_programmes(ctx: DemoContext) -> None:
    users = ctx.data["users"]
    rng = random.Random("rutan-demo-programmes")
    balikpapan = ctx.data["facilities"]["rutan-balikpapan"]
    ruteng = ctx.data["facilities"]["rutan-ruteng"]
    today = balikpapan.today()
    start = today - D(days=90)
    for spec in BALIKPAPAN:
        programme = _make(ctx, balikpapan, spec, users["pembina"], start, today, rng)
        if programme is None:
            continue
        if spec.get("assimilation"):
            _placements(ctx, programme, users["pembina"], today, rng)
            _products(programme, CAFE_PRODUCTS, today, users["pembina"])
    for spec in RUTENG:
        ends = today - D(days=7) if spec.get("finish") else None
        programme = _make(ctx, ruteng, spec, users["kepala_ruteng"], start, today, rng, ends)
        if programme is None:
            continue
        if spec.get("finish"):
            _finish(programme, spec, users["kepala_ruteng"], ends, rng)
        if spec.get("products"):
            _products(programme, spec["products"], today, users["kepala_ruteng"])
