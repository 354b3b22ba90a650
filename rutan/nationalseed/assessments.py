"""Assessments of the window: monthly SPPN scores of every sentenced inmate, literacy
(Latin and Qur'an tracks), interest, psychological assessments and counselling (their
confidential parts encrypted as the services encrypt them), and facility surveys whose
findings become follow-up items."""

import datetime

from dateutil.relativedelta import relativedelta

from assessments import crypto
from assessments.models import (
    BehaviourScore,
    CounsellingSession,
    FacilitySurvey,
    InterestAssessment,
    LiteracyAssessment,
    PsychologicalAssessment,
    SurveyFinding,
)
from rutan.core.models import LiteracyLevel
from rutan.core.roles import Role
from rutan.facilities.models import FollowUpItem

from .context import FacilityPlan, Seed
from .inmates import Held

D = datetime.timedelta
T = datetime.time.fromisoformat
ASSESSED = "inmate_id facility_id assessor_id assessed_on instrument recommendation status "
FINALISED = "finalised_at finalised_by_id"
LATIN_BY_EDUCATION = {
    "tidak_sekolah": {"buta_aksara": 6, "keaksaraan_dasar": 4},
    "sd": {
        "keaksaraan_dasar": 25,
        "keaksaraan_usaha_mandiri": 35,
        "multikeaksaraan": 20,
        "paket_a": 20,
    },
    "smp": {"paket_a": 30, "paket_b": 70},
}
QURAN = {
    "quran_buta_aksara": 2,
    "quran_iqra": 3,
    "quran_terbata": 3,
    "quran_lancar": 2,
    "quran_tartil": 1,
}
INTERESTS = {
    "L": ["barbershop", "meubel", "kafe", "pertanian", "lainnya"],
    "P": ["tata_rias", "kafe", "lainnya", "yoga"],
}
FINDINGS = [
    (
        "Kecemasan sedang terkait keluarga di luar; tidur terganggu.",
        "Konseling individual dua mingguan.",
    ),
    (
        "Penyesuaian diri baik; motivasi tinggi mengikuti pembinaan.",
        "Libatkan sebagai pendamping sebaya.",
    ),
    (
        "Gejala depresi ringan; merasa bersalah terhadap keluarga.",
        "Pantau tiap bulan; rujuk bila memburuk.",
    ),
    ("Mudah tersulut emosi saat konflik di kamar hunian.", "Pelatihan pengendalian diri."),
    ("Riwayat penggunaan NAPZA; keinginan berhenti kuat.", "Ikut program rehabilitasi sosial."),
]
SURVEYS = [
    (
        "survei_gizi_dapur",
        "Survei kecukupan gizi dapur",
        "Dapur umum",
        [
            ("Porsi sayur menu malam di bawah standar", "sedang"),
            ("Termometer lemari pendingin rusak", "tinggi"),
        ],
    ),
    (
        "pemeriksaan_listrik",
        "Pengecekan fasilitas kelistrikan",
        "Blok hunian",
        [
            ("Panel listrik blok hunian panas dan berdebu", "tinggi"),
            ("Lampu koridor mati", "rendah"),
        ],
    ),
    (
        "sanitasi",
        "Pemeriksaan sanitasi dan air bersih",
        "Kamar mandi blok",
        [
            ("Saluran air kamar mandi tersumbat", "sedang"),
        ],
    ),
]


class AssessmentWriter:
    def __init__(self, seed: Seed):
        self.seed = seed
        self.sppn = seed.table(
            BehaviourScore,
            f"{ASSESSED}{FINALISED} month kepribadian kemandirian sikap kondisi_mental note",
        )
        self.literacy = seed.table(
            LiteracyAssessment,
            f"{ASSESSED}{FINALISED} script level_id reading_score writing_score numeracy_score",
        )
        self.interest = seed.table(InterestAssessment, f"{ASSESSED}{FINALISED} areas notes")
        self.psych = seed.table(
            PsychologicalAssessment,
            f"{ASSESSED}{FINALISED} scores_encrypted findings_encrypted notes_encrypted by_intern",
        )
        self.counselling = seed.table(
            CounsellingSession,
            "inmate_id facility_id counsellor_id held_on topic notes_encrypted follow_up_on",
        )
        self.surveys = seed.table(
            FacilitySurvey,
            "facility_id kind title surveyed_on lead_id participants place instrument summary "
            "recommendation status",
            ids=True,
        )
        self.findings = seed.table(
            SurveyFinding, "survey_id title description place severity follow_up_id", ids=True
        )
        self.follow_ups = follow_up_table(seed)
        self.levels = dict(LiteracyLevel.objects.values_list("code", "pk"))
        self.users = {p.pk: p.users for p in seed.facilities}
        # (first day, middle, first day of the next) of each whole month of the window.
        self.months = []
        month = seed.window_start.replace(day=1)
        while month < seed.today.replace(day=1):
            following = month + relativedelta(months=1)
            self.months.append((month, month + D(days=14), following))
            month = following


def follow_up_table(seed: Seed):
    return seed.table(
        FollowUpItem,
        "facility_id title description source source_type source_id place found_on owner_id "
        "due_on status done_on resolution",
        ids=True,
    )


def follow_up_state(rng, found_on: datetime.date, today: datetime.date) -> tuple:
    """(status, done on, resolution) of a finding: the older, the likelier it is done."""
    age = (today - found_on).days
    if rng.random() < min(0.8, age / 120):
        done = found_on + D(days=rng.randint(1, max(1, age)))
        return "done", min(done, today), "Sudah diperbaiki / ditindaklanjuti."
    return ("in_progress" if rng.random() < 0.4 else "open"), None, ""


class FacilityAssessments:
    def __init__(self, seed: Seed, writer: AssessmentWriter, plan: FacilityPlan):
        self.seed, self.writer, self.plan = seed, writer, plan
        self.rng = seed.rng("assessments", plan.code)
        self.today = seed.today

    def day_in_window(self, held: Held) -> datetime.date | None:
        """A day the inmate was held here inside the window, or None."""
        first = max(held.arrived, self.seed.window_start)
        last = min(self.today, (held.released_on - D(days=1)) if held.released_on else self.today)
        if last < first:
            return None
        return first + D(days=self.rng.randint(0, (last - first).days))

    def finalised(self, day: datetime.date, by: int) -> tuple:
        return self.seed.local_time(day, T("14:00"), self.plan), by

    def behaviour(self, held: Held) -> None:
        """One SPPN score a month for each month the inmate was sentenced and held (up to
        last month), by the programme officer of the facility holding them that month."""
        rng, add, users = self.rng, self.writer.sppn.add, self.writer.users
        first = held.final_on.replace(day=1)
        base = rng.randint(55, 88)
        for month, middle, following in self.writer.months:
            if month < first or not held.sentenced_on(middle):
                continue
            if not (held.present_on(middle) or (held.origin_pk and held.admission <= middle)):
                continue
            facility = held.facility_on(middle)
            officer = users[facility][Role.PROGRAMME_OFFICER]
            assessed = min(following + D(days=rng.randint(0, 4)), self.today)
            base = max(40, min(95, base + rng.randint(-3, 3)))
            scores = [max(0, min(100, base + rng.randint(-6, 6))) for _ in range(4)]
            add(
                held.pk,
                facility,
                officer,
                assessed,
                "SPPN",
                "",
                "final",
                *self.finalised(assessed, officer),
                month,
                *scores,
                "",
            )

    def literacy(self, held: Held, officer: int) -> None:
        rng = self.rng
        levels = LATIN_BY_EDUCATION.get(held.education, {"paket_c": 1})
        assessed = 0.3 if held.education in LATIN_BY_EDUCATION else 0.05
        day = self.day_in_window(held) if rng.random() < assessed else None
        if day:
            level = rng.choices(list(levels), weights=list(levels.values()))[0]
            self.literacy_row(held, officer, day, "latin", level, "Asesmen buta aksara")
        if held.religion == "islam" and rng.random() < 0.15:
            day = self.day_in_window(held)
            if day:
                level = rng.choices(list(QURAN), weights=list(QURAN.values()))[0]
                self.literacy_row(held, officer, day, "arab_quran", level, "Tes baca Al-Qur'an")

    def literacy_row(self, held, officer, day, script, level, instrument) -> None:
        rng = self.rng
        low = level in ("buta_aksara", "quran_buta_aksara")
        final = rng.random() < 0.9
        self.writer.literacy.add(
            held.pk,
            self.plan.pk,
            officer,
            day,
            instrument,
            "",
            "final" if final else "draft",
            *(self.finalised(day, officer) if final else (None, None)),
            script,
            self.writer.levels[level],
            rng.randint(0, 25) if low else rng.randint(30, 95),
            rng.randint(0, 20) if low else rng.randint(25, 90),
            0 if script == "arab_quran" else (rng.randint(10, 40) if low else rng.randint(35, 95)),
        )

    def interest(self, held: Held, officer: int) -> None:
        rng = self.rng
        if held.final_on is None or rng.random() > 0.25:
            return
        day = self.day_in_window(held)
        if day is None:
            return
        areas = rng.sample(INTERESTS[held.sex], k=rng.randint(1, 3))
        self.writer.interest.add(
            held.pk,
            self.plan.pk,
            officer,
            day,
            "Asesmen minat dan bakat",
            "",
            "final",
            *self.finalised(day, officer),
            areas,
            "",
        )

    def psychological(self, held: Held, psychologist: int, share: float) -> None:
        rng = self.rng
        if rng.random() > share:
            return
        day = self.day_in_window(held)
        if day is None:
            return
        findings, notes = rng.choice(FINDINGS)
        scores = {
            "depresi": rng.randint(0, 28),
            "cemas": rng.randint(0, 20),
            "stres": rng.randint(0, 34),
        }
        self.writer.psych.add(
            held.pk,
            self.plan.pk,
            psychologist,
            day,
            rng.choice(["DASS-21", "SRQ-20 dan wawancara klinis"]),
            "Pembinaan kepribadian sesuai temuan.",
            "final",
            *self.finalised(day, psychologist),
            crypto.encrypt_json(scores),
            crypto.encrypt(findings),
            crypto.encrypt(notes),
            False,
        )
        if rng.random() < 0.5:
            follow = day + D(days=14)
            self.writer.counselling.add(
                held.pk,
                self.plan.pk,
                psychologist,
                day,
                "Konseling psikologis",
                crypto.encrypt(notes),
                follow if rng.random() < 0.6 else None,
            )

    def surveys(self) -> None:
        plan, rng, writer = self.plan, self.rng, self.writer
        head = plan.users[Role.FACILITY_HEAD]
        for kind, title, place, findings in rng.sample(SURVEYS, k=rng.randint(1, len(SURVEYS))):
            day = self.seed.window_start + D(
                days=rng.randint(0, (self.today - self.seed.window_start).days)
            )
            pk = writer.surveys.next_id()
            writer.surveys.add(
                pk,
                plan.pk,
                kind,
                title,
                day,
                plan.users[Role.PSYCHOLOGIST],
                "Petugas fasilitas",
                place,
                "Daftar periksa",
                f"{title}: beberapa hal perlu ditindaklanjuti.",
                "",
                "final",
            )
            for finding, severity in findings:
                finding_pk = writer.findings.next_id()
                follow_pk = writer.follow_ups.next_id()
                status, done_on, resolution = follow_up_state(rng, day, self.today)
                writer.follow_ups.add(
                    follow_pk,
                    plan.pk,
                    finding,
                    "",
                    "survey",
                    "assessments.surveyfinding",
                    str(finding_pk),
                    place,
                    day,
                    head,
                    day + D(days=30),
                    status,
                    done_on,
                    resolution,
                )
                writer.findings.add(finding_pk, pk, finding, "", place, severity, follow_pk)

    def seed_all(self) -> None:
        plan = self.plan
        officer = plan.users[Role.PROGRAMME_OFFICER]
        psychologist = plan.users[Role.PSYCHOLOGIST]
        share = 0.10 if plan.facility_class in ("I", "IIA") else 0.05
        for held in plan.inmates:
            if held.final_on is not None:
                self.behaviour(held)
            self.literacy(held, officer)
            self.interest(held, officer)
            self.psychological(held, psychologist, share)
        self.surveys()


def seed_assessments(seed: Seed) -> None:
    writer = AssessmentWriter(seed)
    progress = seed.progress("assessments (facilities)", len(seed.facilities))
    for plan in seed.facilities:
        FacilityAssessments(seed, writer, plan).seed_all()
        progress.advance()
