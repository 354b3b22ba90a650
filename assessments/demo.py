"""Demo assessments for the seeded inmates (every person invented).

From the Balikpapan seed (18 December 2025): psychological assessments and counselling in
Blok Wanita, the buta aksara literacy assessment with the programme officer, the kitchen
nutrition survey with the nutritionist and the electrical check; Qur'an reading levels (their
own track) for the Qonita women and for men who read Latin at Paket A/B. From Ruteng:
interest assessments (barbershop, tata rias, yoga, meubel). SPPN scores for the last nine
months.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta

from rutan.core.demo import DemoContext, seeder
from rutan.inmates.models import Inmate

from . import eligibility, services
from .models import (
    BehaviourScore,
    FacilitySurvey,
    InterestAssessment,
    PsychologicalAssessment,
    RightProposal,
)

SEED_DAY = datetime.date(2025, 12, 18)

FINDINGS = [
    (
        "Kecemasan sedang terkait pengasuhan anak di luar; tidur terganggu.",
        "Konseling individual dua mingguan; teknik relaksasi napas.",
    ),
    (
        "Penyesuaian diri baik; motivasi tinggi mengikuti pengajian dan keterampilan.",
        "Libatkan sebagai pendamping sebaya di Blok Wanita.",
    ),
    (
        "Gejala depresi ringan; merasa bersalah terhadap keluarga.",
        "Pantau tiap bulan; rujuk ke psikiater bila skor naik.",
    ),
    (
        "Mudah tersulut emosi saat konflik di kamar hunian.",
        "Pelatihan pengendalian diri dan komunikasi asertif.",
    ),
    (
        "Riwayat penggunaan NAPZA; keinginan berhenti kuat.",
        "Ikut program rehabilitasi sosial bersama mitra.",
    ),
]


def _on(inmate: Inmate, day: datetime.date) -> datetime.date:
    return min(max(day, inmate.admission_date), inmate.facility.today())


def _scores(rng: random.Random) -> dict:
    base = rng.randint(58, 85)
    return {a: max(0, min(100, base + rng.randint(-6, 6))) for a in BehaviourScore.ASPECTS}


@seeder(order=35)
def seed_assessments(ctx: DemoContext) -> None:
    users = ctx.data["users"]
    balikpapan = ctx.data["facilities"]["rutan-balikpapan"]
    ruteng = ctx.data["facilities"]["rutan-ruteng"]
    if PsychologicalAssessment.objects.filter(inmate__facility=balikpapan).exists():
        ctx.log("asesmen sudah ada")
        return
    rng = random.Random("rutan-demo-assessments")
    women = list(
        Inmate.objects.filter(
            facility=balikpapan, block__name="Blok Wanita", status="active"
        ).order_by("id")[:10]
    )
    psikolog, magang, pembina = users["psikolog"], users["magang"], users["pembina"]
    for n, inmate in enumerate(women):
        findings, notes = FINDINGS[n % len(FINDINGS)]
        by_intern = n in (3, 7)
        services.psych_create(
            inmate=inmate,
            by=magang if by_intern else psikolog,
            assessed_on=_on(inmate, SEED_DAY),
            instrument="SRQ-20 dan wawancara klinis" if n % 2 else "DASS-21",
            scores={
                "depresi": rng.randint(2, 18),
                "cemas": rng.randint(2, 16),
                "stres": rng.randint(4, 20),
            },
            findings=findings,
            notes=notes,
            recommendation="Pembinaan kepribadian: pengendalian diri dan kesiapan reintegrasi.",
            finalise=not by_intern,
        )
        if n < 4:
            services.counselling_create(
                inmate=inmate,
                by=psikolog,
                held_on=_on(inmate, SEED_DAY),
                topic="Konseling psikologis Blok Wanita",
                notes=notes,
                follow_up_on=_on(inmate, SEED_DAY) + datetime.timedelta(days=14),
            )
    men = list(
        Inmate.objects.filter(
            facility=balikpapan, status="active", education_level__in=["tidak_sekolah", "sd"]
        ).order_by("id")[:14]
    )
    levels = ["buta_aksara"] * 6 + ["keaksaraan_dasar"] * 4 + ["keaksaraan_usaha_mandiri"] * 4
    for inmate, level in zip(men, levels, strict=False):
        low = level == "buta_aksara"
        services.literacy_create(
            inmate=inmate,
            by=pembina,
            assessed_on=_on(inmate, SEED_DAY),
            instrument="Asesmen buta aksara (pendampingan peserta magang)",
            script="latin",
            level=level,
            reading_score=rng.randint(0, 25) if low else rng.randint(30, 70),
            writing_score=rng.randint(0, 20) if low else rng.randint(25, 65),
            numeracy_score=rng.randint(10, 40) if low else rng.randint(35, 75),
            recommendation="Ikut Kelas Literasi." if low else "Lanjut ke program Paket A.",
            finalise=True,
        )
    _quran(balikpapan, women, pembina, rng)
    _interests(ruteng, users["kepala_ruteng"], rng)
    _sppn(balikpapan, pembina, rng)
    _sppn(ruteng, users["kepala_ruteng"], rng)
    _proposals(balikpapan, pembina)
    _surveys(balikpapan, users)
    ctx.log(
        f"{PsychologicalAssessment.objects.count()} asesmen psikologis, "
        f"{BehaviourScore.objects.count()} nilai SPPN"
    )


QURAN_LEVELS = [
    "quran_buta_aksara",
    "quran_iqra",
    "quran_iqra",
    "quran_terbata",
    "quran_lancar",
    "quran_buta_aksara",
    "quran_terbata",
    "quran_iqra",
    "quran_lancar",
    "quran_tartil",
]


def _literacy(inmate, by, rng, *, on, script, level, instrument, recommendation="") -> None:
    services.literacy_create(
        inmate=inmate,
        by=by,
        assessed_on=_on(inmate, on),
        instrument=instrument,
        script=script,
        level=level,
        reading_score=rng.randint(20, 90),
        writing_score=rng.randint(15, 85),
        numeracy_score=rng.randint(0, 100) if script == "latin" else 0,
        recommendation=recommendation,
        finalise=True,
    )


def _quran(balikpapan, women, by, rng) -> None:
    """Qur'an reading (Baca Tulis Al-Qur'an) on its own track: the Qonita women, and men who
    read Latin at Paket A/B but are just starting the Qur'an (their Latin level stays)."""
    for inmate, level in zip(
        [w for w in women if w.religion == "islam"], QURAN_LEVELS, strict=False
    ):
        _literacy(
            inmate,
            by,
            rng,
            on=datetime.date(2026, 1, 15),
            script="arab_quran",
            level=level,
            instrument="Tes baca Al-Qur'an bersama Majelis Taklim Qonita",
        )
    readers = Inmate.objects.filter(
        facility=balikpapan,
        status="active",
        sex="L",
        religion="islam",
        education_level__in=["smp", "sma"],
    ).order_by("id")[:4]
    for n, inmate in enumerate(readers):
        latin_on = _on(inmate, datetime.date(2025, 10, 1))
        _literacy(
            inmate,
            by,
            rng,
            on=latin_on,
            script="latin",
            level="paket_b" if n % 2 else "paket_a",
            instrument="Asesmen kesetaraan",
            recommendation="Lanjut ke kelas kesetaraan berikutnya.",
        )
        _literacy(
            inmate,
            by,
            rng,
            on=latin_on + datetime.timedelta(days=30),
            script="arab_quran",
            level="quran_buta_aksara" if n < 2 else "quran_iqra",
            instrument="Tes baca Al-Qur'an (pembinaan kepribadian)",
            recommendation="Ikut Kelas Iqra.",
        )


def _proposals(facility, by) -> None:
    """Two asimilasi candidates whose Litmas has come back from Bapas (the rest is open)."""
    if RightProposal.objects.filter(inmate__facility=facility).exists():
        return
    today = facility.today()
    inmates = Inmate.objects.filter(facility=facility, status="active").select_related("facility")
    for number, result in enumerate(
        eligibility.worklist(inmates=inmates, kind="asimilasi", on=today)[:2], start=1
    ):
        services.right_step_done(
            inmate=result.inmate,
            kind="asimilasi",
            step="litmas",
            done_on=today - datetime.timedelta(days=7),
            reference=f"W18.PAS.BPS.PK.01.05-{number:03d}",
            by=by,
        )


def _interests(ruteng, by, rng) -> None:
    if InterestAssessment.objects.filter(inmate__facility=ruteng).exists():
        return
    areas = ["barbershop", "tata_rias", "yoga", "meubel"]
    for inmate in Inmate.objects.filter(facility=ruteng, status="active").order_by("id")[:30]:
        ranked = rng.sample(areas, k=rng.randint(1, 3))
        if inmate.sex == "P" and "tata_rias" not in ranked:
            ranked.insert(0, "tata_rias")
        services.interest_create(
            inmate=inmate,
            by=by,
            assessed_on=_on(inmate, datetime.date(2025, 11, 20)),
            instrument="Asesmen minat dan bakat",
            areas=ranked,
            notes="Pelatihan bersama UPTD SKB Randong dan Elite Jaya Meubel.",
            finalise=True,
        )


def _sppn(facility, by, rng) -> None:
    first = facility.today().replace(day=1)
    inmates = list(
        Inmate.objects.filter(
            facility=facility, status="active", legal_status="narapidana"
        ).order_by("id")
    )
    for k in range(9, 0, -1):
        month = first - relativedelta(months=k)
        rows = [
            {"inmate": i, **_scores(rng)}
            for i in inmates
            if i.admission_date.replace(day=1) <= month
        ]
        services.behaviour_scores_save(facility=facility, month=month, rows=rows, by=by)


def _surveys(balikpapan, users) -> None:
    if FacilitySurvey.objects.filter(facility=balikpapan).exists():
        return
    magang, kepala = users["magang"], users["kepala"]
    kitchen = services.survey_create(
        facility=balikpapan,
        by=magang,
        kind="survei_gizi_dapur",
        title="Survei kecukupan gizi dapur",
        surveyed_on=SEED_DAY,
        lead=users["psikolog"],
        participants="Ahli Gizi Rutan bersama peserta Magang Nasional Batch III",
        place="Dapur umum",
        instrument="Daftar periksa bahan, pengolahan dan kesesuaian menu",
        summary="Bahan makanan segar dan proses pengolahan sesuai; porsi sayur dan buah pada "
        "menu malam belum memenuhi standar gizi.",
        recommendation="Tambah porsi sayur pada menu malam; catat suhu penyimpanan harian.",
    )
    for title, severity, days in [
        ("Porsi sayur menu malam di bawah standar", "sedang", 30),
        ("Termometer lemari pendingin rusak", "tinggi", 7),
    ]:
        services.survey_finding_add(
            survey=kitchen,
            by=magang,
            title=title,
            severity=severity,
            owner=kepala,
            due_on=SEED_DAY + datetime.timedelta(days=days),
        )
    services.survey_finalise(survey=kitchen, by=magang)
    electric = services.survey_create(
        facility=balikpapan,
        by=magang,
        kind="pemeriksaan_listrik",
        title="Pengecekan fasilitas kelistrikan",
        surveyed_on=SEED_DAY,
        participants="Pengelola fasilitas umum bersama peserta magang",
        place="Blok hunian dan ruang pembinaan",
        instrument="Identifikasi titik masalah, pengecekan instalasi",
        summary="Beberapa titik instalasi perlu perbaikan demi keamanan kegiatan pembinaan.",
    )
    for title, place, severity in [
        ("Panel listrik Blok B panas dan berdebu", "Blok B", "tinggi"),
        ("Stop kontak ruang keterampilan longgar", "Ruang keterampilan", "sedang"),
        ("Lampu koridor Blok Wanita mati", "Blok Wanita", "rendah"),
    ]:
        services.survey_finding_add(
            survey=electric,
            by=magang,
            title=title,
            place=place,
            severity=severity,
            due_on=SEED_DAY + datetime.timedelta(days=14),
        )
