"""Magang Nasional batches where interns are placed: interns with their accounts, daily
attendance, activity logs in every state with their review history, monthly evaluations,
and the follow-up items their findings open."""

import datetime
import uuid

from dateutil.relativedelta import relativedelta

from interns.models import (
    ActivityLog,
    Batch,
    DailyAttendance,
    Intern,
    LogReview,
    LogType,
    MonthlyEvaluation,
)
from rutan.core.roles import Role

from .assessments import follow_up_state, follow_up_table
from .context import FacilityPlan, Seed
from .organisation import Accounts
from .people import region_person

D = datetime.timedelta
T = datetime.time.fromisoformat
BATCH_MONTHS = 6
AUTO_APPROVE_DAYS = 14
# Study programme, unit, and the activities (type, description) such an intern logs.
MAJORS = [
    (
        "Psikologi",
        "Pembinaan kepribadian / layanan psikologi",
        [
            ("asesmen_psikologis", "Asesmen psikologis WBP baru tahap admisi-orientasi."),
            ("konseling", "Pendampingan konseling individual WBP."),
        ],
    ),
    (
        "Gizi",
        "Dapur",
        [
            ("survei_gizi_dapur", "Pemantauan menu harian dan pencatatan suhu penyimpanan."),
        ],
    ),
    (
        "Teknik Listrik",
        "Pengelolaan fasilitas umum",
        [
            ("pemeriksaan_listrik", "Pengecekan instalasi penerangan dan stop kontak blok hunian."),
        ],
    ),
    (
        "Pendidikan Bahasa Indonesia",
        "Pembinaan kepribadian",
        [
            ("asesmen_literasi", "Asesmen literasi dan pembagian kelompok belajar."),
            ("fasilitasi_pembinaan", "Mendampingi kelas keaksaraan dasar."),
        ],
    ),
    (
        "Ilmu Hukum",
        "Registrasi dan bimbingan kemasyarakatan",
        [
            ("fasilitasi_pembinaan", "Mendampingi penyuluhan hukum bagi WBP."),
            ("lainnya", "Membantu penataan berkas register."),
        ],
    ),
]
FINDINGS = {
    "survei_gizi_dapur": "Porsi sayur menu makan siang di bawah standar gizi harian.",
    "pemeriksaan_listrik": "Panel listrik distribusi rusak: MCB sering trip.",
    "konseling": "Beberapa WBP perempuan membutuhkan konseling lanjutan.",
    "asesmen_literasi": "Buku bacaan kelas literasi kurang.",
}
LOG_TYPES = dict(LogType.choices)


class InternWriter:
    def __init__(self, seed: Seed):
        self.seed = seed
        self.accounts = Accounts(seed)
        self.batches = seed.table(
            Batch, "facility_id name start_on end_on programme_name", ids=True
        )
        self.interns = seed.table(
            Intern, "batch_id user_id campus study_programme mentor_id unit", ids=True
        )
        self.attendance = seed.table(DailyAttendance, "intern_id on check_in check_out")
        self.logs = seed.table(
            ActivityLog,
            "intern_id client_key on start_time end_time hours log_type place block_id "
            "people_reached description findings status submitted_at reviewed_at reviewed_by_id "
            "review_comment auto_approved session_id follow_up_id psych_assessment_id "
            "literacy_assessment_id",
            ids=True,
        )
        self.reviews = seed.table(LogReview, "log_id action by_id at comment", stamped=False)
        self.evaluations = seed.table(
            MonthlyEvaluation,
            "intern_id month mentor_id discipline initiative competence teamwork comment",
        )
        self.follow_ups = follow_up_table(seed)


class FacilityInterns:
    def __init__(self, seed: Seed, writer: InternWriter, plan: FacilityPlan):
        self.seed, self.writer, self.plan = seed, writer, plan
        self.rng = seed.rng("interns", plan.code)
        self.today = seed.today
        self.mentor = plan.users[Role.MENTOR]

    def batches(self) -> list[tuple[str, datetime.date]]:
        """Batch III running now; Batch II before it when the window reaches back to it."""
        start = self.today - D(days=self.rng.randint(45, 150))
        batches = [("Magang Nasional Batch III", start)]
        earlier = start - relativedelta(months=BATCH_MONTHS) - D(days=14)
        if earlier + relativedelta(months=BATCH_MONTHS) > self.seed.window_start:
            batches.insert(0, ("Magang Nasional Batch II", earlier))
        return batches

    def seed_all(self) -> None:
        plan, writer, rng = self.plan, self.writer, self.rng
        for number, (name, start) in enumerate(self.batches(), start=2):
            end = start + relativedelta(months=BATCH_MONTHS) - D(days=1)
            batch = writer.batches.next_id()
            writer.batches.add(batch, plan.pk, name, start, end, "Program Magang Nasional Kemnaker")
            for seat in range(rng.randint(2, 6)):
                major, unit, activities = rng.choice(MAJORS)
                sex = rng.choice("LP")
                full_name = region_person(rng, plan.region, sex)[2]
                username = f"magang_{plan.code}_{number}{seat + 1}"
                user = writer.accounts.add(username, full_name, Role.INTERN, facility=plan.pk)
                intern = writer.interns.next_id()
                campus = rng.choice(plan.region.universities or ["Universitas Terbuka"])
                writer.interns.add(intern, batch, user, campus, major, self.mentor, unit)
                self.days(intern, user, start, min(end, self.today), activities)

    def days(self, intern, user, start, end, activities) -> None:
        """Each weekday of the batch in the window: attendance, and most days a log."""
        rng, writer = self.rng, self.writer
        day = max(start, self.seed.window_start)
        month_first = None
        while day <= end:
            if day.weekday() < 5 and rng.random() < 0.92:
                check_in = self.seed.local_time(day, T(f"07:{rng.randint(30, 59)}"), self.plan)
                check_out = (
                    check_in + D(hours=8, minutes=rng.randint(0, 30)) if day < self.today else None
                )
                writer.attendance.add(intern, day, check_in, check_out)
                if rng.random() < 0.85:
                    self.log(intern, user, day, rng.choice(activities))
            if day.day == 1 or month_first is None:
                month_first = day.replace(day=1)
            day += D(days=1)
            if day.day == 1 and day <= self.today:
                self.evaluation(intern, month_first)

    def log(self, intern, user, day, activity) -> None:
        rng, writer, plan = self.rng, self.writer, self.plan
        log_type, description = activity
        pk = writer.logs.next_id()
        findings = FINDINGS.get(log_type, "") if rng.random() < 0.04 else ""
        age = (self.today - day).days
        if age <= 2:
            status = rng.choices(["draft", "submitted", "returned"], weights=[3, 5, 2])[0]
        elif age < AUTO_APPROVE_DAYS:
            status = rng.choices(
                ["submitted", "approved", "returned", "resubmitted"], weights=[3, 6, 1, 1]
            )[0]
        else:
            status = "approved"
        submitted = self.seed.local_time(day, T("16:00"), plan) if status != "draft" else None
        reviewed = None
        auto = False
        comment = ""
        if status in ("approved", "returned"):
            auto = status == "approved" and age >= AUTO_APPROVE_DAYS and rng.random() < 0.1
            delay = D(days=AUTO_APPROVE_DAYS) if auto else D(days=rng.randint(1, 3), hours=-6)
            reviewed = min(submitted + delay, self.seed.now)
            comment = "Sebutkan jumlah WBP yang didampingi." if status == "returned" else ""
        follow_up = None
        if findings and status != "draft":
            follow_up = self.follow_up(pk, log_type, day, findings)
        blocks = plan.blocks
        block = rng.choice(blocks).pk if blocks and rng.random() < 0.5 else None
        writer.logs.add(
            pk,
            intern,
            uuid.UUID(int=rng.getrandbits(128), version=4),
            day,
            T("08:30"),
            T("11:30") if rng.random() < 0.6 else T("12:00"),
            None,
            log_type,
            "",
            block,
            rng.randint(0, 15) or None,
            description,
            findings,
            status,
            submitted,
            reviewed,
            None if auto or reviewed is None else self.mentor,
            comment,
            auto,
            None,
            follow_up,
            None,
            None,
        )
        if submitted is None:
            return
        writer.reviews.add(pk, "submitted", user, submitted, "")
        if status == "resubmitted":
            returned = submitted + D(hours=18)
            writer.reviews.add(pk, "returned", self.mentor, returned, "Lengkapi uraian kegiatan.")
            writer.reviews.add(pk, "resubmitted", user, returned + D(hours=4), "")
        elif reviewed is not None:
            action = "auto_approved" if auto else status
            by = None if auto else self.mentor
            note = f"Tidak ditinjau dalam {AUTO_APPROVE_DAYS} hari." if auto else comment
            writer.reviews.add(pk, action, by, reviewed, note)

    def follow_up(self, log_pk, log_type, day, findings) -> int:
        rng, writer = self.rng, self.writer
        pk = writer.follow_ups.next_id()
        status, done_on, resolution = follow_up_state(rng, day, self.today)
        label = LOG_TYPES[log_type]
        writer.follow_ups.add(
            pk,
            self.plan.pk,
            f"{label}: {findings}"[:200],
            findings,
            "intern_log",
            "interns.activitylog",
            str(log_pk),
            "",
            day,
            None,
            None,
            status,
            done_on,
            resolution,
        )
        return pk

    def evaluation(self, intern, month) -> None:
        rng = self.rng
        score = rng.randint(3, 5)
        self.writer.evaluations.add(
            intern,
            month,
            self.mentor,
            score,
            max(3, score - rng.randint(0, 1)),
            score,
            rng.randint(3, 5),
            "Perkembangan baik." if score >= 4 else "Perlu lebih proaktif.",
        )


def seed_interns(seed: Seed) -> None:
    writer = InternWriter(seed)
    plans = [p for p in seed.facilities if p.has_interns]
    progress = seed.progress("interns (facilities)", len(plans))
    for plan in plans:
        FacilityInterns(seed, writer, plan).seed_all()
        progress.advance()
