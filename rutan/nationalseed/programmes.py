"""Programmes of every pillar per facility, their weekly schedules, the dated sessions of
the window (a few cancelled), enrolments with their events, attendance of every past
session, and what skills courses leave: pre/post scores, certificates and products;
assimilation placements of the assimilation programmes."""

import base64
import datetime
from dataclasses import dataclass, field

from programmes.choices import (
    AbsenceReason,
    EnrolmentStatus,
    ProgrammeStatus,
    SessionStatus,
    SystemEndReason,
    WithdrawReason,
)
from programmes.models import (
    AssimilationPlacement,
    Attendance,
    Certificate,
    CertificateCounter,
    Enrolment,
    EnrolmentEvent,
    Evaluation,
    Product,
    Programme,
    ScheduleSlot,
    Session,
)
from rutan.core.choices import Pillar
from rutan.core.models import LiteracyLevel
from rutan.core.roles import Role

from .context import FacilityPlan, Seed
from .inmates import Held
from .people import region_person

D = datetime.timedelta
T = datetime.time.fromisoformat
OPEN, COURSE, ASSIMILATION = "open", "course", "assimilation"


@dataclass(frozen=True)
class Spec:
    """A kind of programme a facility may run."""

    key: str
    title: str
    pillar: str
    area: str
    capacity: tuple[int, int]
    slots: tuple
    mode: str = OPEN
    sex: str = ""
    who: str = "all"
    min_level: str = ""
    competence: str = ""
    products: tuple = ()
    location: str = "Aula Pembinaan"


WEEKDAYS_8_16 = ((0, "08:00", "16:00"), (2, "08:00", "16:00"), (4, "08:00", "16:00"))
CATALOGUE = [
    Spec(
        "pengajian",
        "Pengajian rutin",
        Pillar.KEPRIBADIAN,
        "keagamaan",
        (30, 60),
        ((0, "09:00", "11:00"), (3, "09:00", "11:00")),
        who="islam",
        location="Masjid",
    ),
    Spec(
        "ibadah",
        "Ibadah dan pembinaan rohani Kristiani",
        Pillar.KEPRIBADIAN,
        "keagamaan",
        (15, 40),
        ((6, "09:00", "11:00"),),
        who="christian",
        location="Gereja / kapel",
    ),
    Spec(
        "literasi",
        "Kelas Literasi (keaksaraan dasar)",
        Pillar.KEPRIBADIAN,
        "literasi",
        (12, 20),
        ((1, "09:00", "10:30"), (3, "09:00", "10:30")),
        who="low_education",
        location="Ruang Perpustakaan",
    ),
    Spec(
        "kebangsaan",
        "Pembinaan kesadaran berbangsa dan bernegara",
        Pillar.KEPRIBADIAN,
        "kebangsaan",
        (30, 50),
        ((0, "07:30", "08:30"),),
        location="Lapangan",
    ),
    Spec(
        "napza",
        "Rehabilitasi sosial NAPZA",
        Pillar.REHABILITASI,
        "napza",
        (20, 30),
        ((1, "13:30", "15:30"), (4, "09:00", "11:00")),
        who="narkotika",
    ),
    Spec(
        "hukum",
        "Penyuluhan dan kesadaran hukum",
        Pillar.KEPRIBADIAN,
        "kesadaran_hukum",
        (25, 40),
        ((2, "10:00", "11:30"),),
    ),
    Spec(
        "barbershop",
        "Pelatihan Barbershop",
        Pillar.KEMANDIRIAN,
        "barbershop",
        (10, 12),
        ((1, "09:00", "12:00"),),
        mode=COURSE,
        sex="L",
        competence="Pangkas rambut pria tingkat dasar",
        location="Ruang Keterampilan",
    ),
    Spec(
        "meubel",
        "Pertukangan meubel",
        Pillar.KEMANDIRIAN,
        "meubel",
        (10, 15),
        ((0, "08:00", "12:00"), (2, "08:00", "12:00")),
        mode=COURSE,
        sex="L",
        competence="Pertukangan kayu tingkat dasar",
        location="Bengkel Kerja",
        products=(
            ("Kursi kayu", "buah", 750_000),
            ("Meja makan", "buah", 2_500_000),
            ("Rak buku", "buah", 450_000),
        ),
    ),
    Spec(
        "tata_rias",
        "Pelatihan Tata Rias",
        Pillar.KEMANDIRIAN,
        "tata_rias",
        (8, 12),
        ((3, "09:00", "12:00"),),
        mode=COURSE,
        sex="P",
        competence="Tata rias wajah dasar",
        location="Ruang Keterampilan Blok Wanita",
    ),
    Spec(
        "yoga",
        "Yoga dan senam kebugaran",
        Pillar.KEPRIBADIAN,
        "yoga",
        (20, 30),
        ((5, "07:00", "08:00"),),
        location="Lapangan",
    ),
    Spec(
        "tata_boga",
        "Pelatihan tata boga",
        Pillar.KEMANDIRIAN,
        "kafe",
        (10, 15),
        ((2, "08:00", "11:00"),),
        mode=COURSE,
        competence="Pengolahan makanan dan minuman",
        location="Dapur Pelatihan",
        products=(("Kue kering", "toples", 45_000), ("Roti manis", "bungkus", 5_000)),
    ),
    Spec(
        "paket_c",
        "Kelas kesetaraan Paket C",
        Pillar.KEPRIBADIAN,
        "literasi",
        (12, 20),
        ((2, "09:00", "11:00"),),
        who="secondary",
        min_level="paket_b",
        location="Ruang Perpustakaan",
    ),
    Spec(
        "pertanian",
        "Pertanian hortikultura",
        Pillar.KEMANDIRIAN,
        "pertanian",
        (10, 20),
        ((1, "07:30", "10:30"), (4, "07:30", "10:30")),
        mode=COURSE,
        sex="L",
        competence="Budidaya sayuran hortikultura",
        location="Lahan Pertanian",
        products=(("Sayur sawi", "kg", 12_000), ("Cabai rawit", "kg", 40_000)),
    ),
    Spec(
        "menjahit",
        "Menjahit dan konveksi",
        Pillar.KEMANDIRIAN,
        "lainnya",
        (8, 12),
        ((0, "09:00", "12:00"),),
        mode=COURSE,
        sex="P",
        competence="Menjahit pakaian dasar",
        location="Ruang Keterampilan Blok Wanita",
        products=(("Seragam kerja", "potong", 85_000), ("Masker kain", "buah", 5_000)),
    ),
    Spec(
        "iqra",
        "Kelas Baca Tulis Al-Qur'an (Iqra)",
        Pillar.KEPRIBADIAN,
        "keagamaan",
        (15, 25),
        ((4, "13:30", "15:00"),),
        who="islam",
        location="Masjid",
    ),
    Spec(
        "kafe_asimilasi",
        "Kafe asimilasi",
        Pillar.ASIMILASI,
        "kafe",
        (4, 8),
        WEEKDAYS_8_16,
        mode=ASSIMILATION,
        sex="L",
        location="Kafe halaman depan",
    ),
    Spec(
        "kebun_asimilasi",
        "Kebun asimilasi",
        Pillar.ASIMILASI,
        "pertanian",
        (6, 12),
        ((1, "07:00", "12:00"), (3, "07:00", "12:00")),
        mode=ASSIMILATION,
        sex="L",
        location="Kebun asimilasi",
    ),
]
POOLS = {
    "all": lambda h: True,
    "islam": lambda h: h.religion == "islam",
    "christian": lambda h: h.religion in ("kristen", "katolik"),
    "low_education": lambda h: h.education in ("tidak_sekolah", "sd"),
    "secondary": lambda h: h.education in ("smp", "sma"),
    "narkotika": lambda h: h.case == "narkotika",
}
CANCEL_REASONS = ["Hari libur nasional", "Kegiatan pengamanan", "Instruktur berhalangan hadir"]
ABSENCES = {
    AbsenceReason.SICK: 5,
    AbsenceReason.VISIT: 3,
    AbsenceReason.DISCIPLINE: 1,
    AbsenceReason.OTHER: 1,
}
WITHDRAWALS = {
    WithdrawReason.OWN_REQUEST: 4,
    WithdrawReason.HEALTH: 3,
    WithdrawReason.NOT_ATTENDING: 3,
    WithdrawReason.DISCIPLINE: 1,
    WithdrawReason.SECURITY: 1,
}
END_LABELS = {
    EnrolmentStatus.COMPLETED: str(EnrolmentStatus.COMPLETED.label),
    EnrolmentStatus.RELEASED: str(SystemEndReason.RELEASED.label),
    **{reason: str(reason.label) for reason in WithdrawReason},
}


@dataclass
class Place:
    """One enrolment: its inmate, its dates and how it ended."""

    pk: int
    held: Held
    requested_on: datetime.date
    started_on: datetime.date | None
    ended_on: datetime.date | None = None
    status: str = EnrolmentStatus.ACTIVE
    end_reason: str = ""
    position: int | None = None


@dataclass
class Run:
    """A programme row (a course has one per cohort) and its places."""

    pk: int
    spec: Spec
    start: datetime.date
    end: datetime.date | None
    status: str
    capacity: int
    places: list[Place] = field(default_factory=list)


class ProgrammeWriter:
    def __init__(self, seed: Seed):
        self.seed = seed
        self.programmes = seed.table(
            Programme,
            "facility_id title pillar area description agreement_id facilitator instructor "
            "location capacity start_date end_date status eligible_sex eligible_stages "
            "min_literacy_level_id required_interest_area",
            ids=True,
        )
        self.slots = seed.table(
            ScheduleSlot, "programme_id weekday start_time end_time location", ids=True
        )
        self.sessions = seed.table(
            Session,
            "programme_id slot_id date start_time end_time location topic status cancel_reason "
            "cancelled_at cancelled_by_id attendance_taken_at attendance_taken_by_id",
            ids=True,
        )
        self.enrolments = seed.table(
            Enrolment,
            "programme_id inmate_id status waitlist_position requested_on started_on ended_on "
            "end_reason end_note",
            ids=True,
        )
        self.events = seed.table(
            EnrolmentEvent, "enrolment_id at on from_status to_status reason by_id", stamped=False
        )
        self.attendance = seed.table(
            Attendance,
            "session_id enrolment_id status reason note recorded_at recorded_by_id",
            stamped=False,
        )
        self.evaluations = seed.table(Evaluation, "enrolment_id kind instrument score assessed_on")
        self.certificates = seed.table(
            Certificate,
            "facility_id enrolment_id number code competence issuer issued_on revoked_on "
            "revoke_reason",
        )
        self.counters = seed.table(CertificateCounter, "facility_id year last", stamped=False)
        self.products = seed.table(
            Product, "programme_id name made_on quantity unit unit_value disposition note"
        )
        self.assimilation = seed.table(
            AssimilationPlacement,
            "facility_id inmate_id programme_id workplace address supervisor decree_reference "
            "start_date end_date status end_reason checks",
        )
        self.levels = dict(LiteracyLevel.objects.values_list("code", "pk"))


class FacilityProgrammes:
    """The programmes of one facility from the window's start to three weeks ahead."""

    def __init__(self, seed: Seed, writer: ProgrammeWriter, plan: FacilityPlan):
        self.seed, self.writer, self.plan = seed, writer, plan
        self.rng = seed.rng("programmes", plan.code)
        self.today = seed.today
        self.officer = plan.users[Role.PROGRAMME_OFFICER]
        self.assimilated: dict[int, datetime.date] = {}
        self.certificates: dict[int, int] = {}

    def choose(self) -> list[Spec]:
        """The facility's programmes: more for a larger population; only those it has
        people for (women's courses need women, NAPZA rehabilitation drug cases...)."""
        plan, rng = self.plan, self.rng
        wanted = max(4, min(16, 4 + plan.population // 120))
        chosen = []
        for spec in CATALOGUE:
            pool = self.pool(spec)
            if len(pool) < max(8, spec.capacity[0]):
                continue
            if spec.mode == ASSIMILATION and (
                plan.kind not in ("rutan", "lapas") or plan.facility_class not in ("I", "IIA")
            ):
                continue
            chosen.append(spec)
        head, tail = chosen[:4], chosen[4:]
        rng.shuffle(tail)
        return head + tail[: wanted - len(head)]

    def pool(self, spec: Spec) -> list[Held]:
        test = POOLS[spec.who]
        return [h for h in self.plan.inmates if test(h) and (not spec.sex or h.sex == spec.sex)]

    def agreement(self, spec: Spec, on: datetime.date):
        for ref in self.plan.agreements:
            if spec.area in ref.areas and ref.in_force(on):
                return ref
        return None

    # Programme rows ----------------------------------------------------------------------

    def write_programme(self, spec: Spec, title: str, start, end, status, capacity) -> Run:
        plan, rng, writer = self.plan, self.rng, self.writer
        ref = self.agreement(spec, max(start, self.seed.window_start))
        pk = writer.programmes.next_id()
        stages = ["asimilasi", "integrasi"] if spec.mode == ASSIMILATION else []
        writer.programmes.add(
            pk,
            plan.pk,
            title,
            spec.pillar,
            spec.area,
            f"{spec.title} bagi warga binaan {plan.name}.",
            ref.pk if ref else None,
            region_person(rng, plan.region, rng.choice("LP"))[2],
            ref.partner_name if ref else f"Petugas pembinaan {plan.name}",
            spec.location,
            capacity,
            start,
            end,
            status,
            spec.sex,
            stages,
            writer.levels.get(spec.min_level),
            "",
        )
        return Run(pk, spec, start, end, status, capacity)

    def write_sessions(self, run: Run) -> list[tuple[int, datetime.date, datetime.time]]:
        """The run's dated sessions from its schedule; returns the past ones whose register
        was taken (a few were cancelled), as (session id, date, when it was taken)."""
        writer, rng = self.writer, self.rng
        slots = []
        for weekday, begin, end in run.spec.slots:
            pk = writer.slots.next_id()
            writer.slots.add(pk, run.pk, weekday, T(begin), T(end), run.spec.location)
            slots.append((pk, weekday, T(begin), T(end)))
        first = max(run.start, self.seed.window_start)
        last = min(run.end or self.today + D(days=21), self.today + D(days=21))
        taken = []
        day = first
        while day <= last:
            for slot_pk, weekday, begin, end in slots:
                if weekday != day.weekday():
                    continue
                pk = writer.sessions.next_id()
                past = day < self.today
                cancel = past and rng.random() < 0.03
                cancelled_at = self.seed.local_time(day, T("07:00"), self.plan) if cancel else None
                taken_at = (
                    self.seed.local_time(day, end, self.plan) if past and not cancel else None
                )
                writer.sessions.add(
                    pk,
                    run.pk,
                    slot_pk,
                    day,
                    begin,
                    end,
                    run.spec.location,
                    "",
                    SessionStatus.CANCELLED if cancel else SessionStatus.SCHEDULED,
                    rng.choice(CANCEL_REASONS) if cancel else "",
                    cancelled_at,
                    self.officer if cancel else None,
                    taken_at,
                    self.officer if taken_at else None,
                )
                if taken_at:
                    taken.append((pk, day, taken_at))
            day += D(days=1)
        return taken

    # Places --------------------------------------------------------------------------------

    def pick(self, pool: list[Held], day: datetime.date, busy: dict, spec: Spec) -> Held | None:
        """Someone of the pool held on `day` and for two weeks more, not already in."""
        for _ in range(12):
            held = self.rng.choice(pool)
            if busy.get(held.pk, datetime.date.min) >= day or not held.present_on(day):
                continue
            if held.released_on and held.released_on < day + D(days=14):
                continue
            if spec.mode == ASSIMILATION and (
                held.stage_on(day) not in ("asimilasi", "integrasi")
                or self.assimilated.get(held.pk, datetime.date.min) >= day
            ):
                continue
            return held
        return None

    def place(
        self,
        run: Run,
        held: Held,
        start: datetime.date,
        until: datetime.date | None,
        *,
        course: bool,
    ) -> Place:
        """An enrolment from `start` until `until` (open when None or past today), ended as
        it would be: completed, withdrawn, or by the inmate's release."""
        rng = self.rng
        place = Place(self.writer.enrolments.next_id(), held, start, start)
        if held.released_on and (until is None or held.released_on <= until):
            if held.released_on <= self.today:
                place.ended_on, place.status = held.released_on, EnrolmentStatus.RELEASED
                place.end_reason = SystemEndReason.RELEASED
        elif until is not None and until < self.today:
            place.ended_on = until
            if rng.random() < (0.88 if course else 0.75):
                place.status = place.end_reason = EnrolmentStatus.COMPLETED
            else:
                place.status = EnrolmentStatus.WITHDRAWN
                place.end_reason = rng.choices(
                    list(WITHDRAWALS), weights=list(WITHDRAWALS.values())
                )[0]
                place.ended_on = start + D(days=rng.randint(7, max(7, (until - start).days)))
        run.places.append(place)
        return place

    def fill_open(self, run: Run) -> None:
        """Seats taken in turn over the window: stays of two to six months."""
        rng, spec = self.rng, run.spec
        pool = self.pool(spec)
        busy: dict[int, datetime.date] = {}
        for _seat in range(round(run.capacity * rng.uniform(0.8, 1.0))):
            day = max(run.start, self.seed.window_start) + D(days=rng.randint(0, 30))
            while day < self.today:
                held = self.pick(pool, day, busy, spec)
                if held is None:
                    day += D(days=14)
                    continue
                place = self.place(run, held, day, day + D(days=rng.randint(60, 180)), course=False)
                ended = place.ended_on or datetime.date.max
                busy[held.pk] = ended
                if spec.mode == ASSIMILATION:
                    self.assimilated[held.pk] = ended
                if place.ended_on is None:
                    break
                day = place.ended_on + D(days=rng.randint(1, 10))
        if spec.key in ("pengajian", "napza") and rng.random() < 0.5:
            self.waitlist(run, pool, busy)

    def waitlist(self, run: Run, pool: list[Held], busy: dict) -> None:
        for position in range(1, self.rng.randint(1, 5) + 1):
            day = self.today - D(days=self.rng.randint(0, 20))
            held = self.pick(pool, day, busy, run.spec)
            if held is None:
                return
            busy[held.pk] = datetime.date.max
            run.places.append(
                Place(
                    self.writer.enrolments.next_id(),
                    held,
                    day,
                    None,
                    status=EnrolmentStatus.WAITLISTED,
                    position=position,
                )
            )

    def courses(self, spec: Spec) -> list[Run]:
        """Cohorts of about eleven weeks, one after another, each its own programme row."""
        rng, runs = self.rng, []
        start = self.seed.window_start + D(days=rng.randint(0, 20))
        number = 1
        while start <= self.today:
            end = start + D(weeks=11)
            status = ProgrammeStatus.FINISHED if end < self.today else ProgrammeStatus.RUNNING
            capacity = rng.randint(*spec.capacity)
            run = self.write_programme(
                spec, f"{spec.title} angkatan {number}", start, end, status, capacity
            )
            pool = self.pool(spec)
            busy: dict[int, datetime.date] = {}
            for _ in range(round(capacity * rng.uniform(0.8, 1.0))):
                held = self.pick(pool, start, busy, spec)
                if held is not None:
                    busy[held.pk] = datetime.date.max
                    self.place(run, held, start, end, course=True)
            runs.append(run)
            start = end + D(days=rng.randint(14, 28))
            number += 1
        return runs

    # Writing the places ------------------------------------------------------------------

    def write_places(self, run: Run) -> None:
        writer, officer = self.writer, self.officer
        for place in run.places:
            writer.enrolments.add(
                place.pk,
                run.pk,
                place.held.pk,
                place.status,
                place.position,
                place.requested_on,
                place.started_on,
                place.ended_on,
                place.end_reason,
                "",
            )
            opened = self.seed.local_time(place.requested_on, T("09:00"), self.plan)
            if place.status == EnrolmentStatus.WAITLISTED:
                reason = f"Kapasitas penuh: daftar tunggu nomor {place.position}"
                writer.events.add(
                    place.pk, opened, place.requested_on, "", place.status, reason, officer
                )
                continue
            writer.events.add(
                place.pk, opened, place.requested_on, "", "active", "Didaftarkan", officer
            )
            if place.ended_on:
                closed = self.seed.local_time(place.ended_on, T("15:00"), self.plan)
                writer.events.add(
                    place.pk,
                    closed,
                    place.ended_on,
                    "active",
                    place.status,
                    END_LABELS[place.end_reason],
                    officer,
                )

    def write_attendance(self, run: Run, sessions) -> None:
        """Everyone on the roster of a past session: present, or absent with a reason
        (a court hearing for those still detainees)."""
        rng, add, officer = self.rng, self.writer.attendance.add, self.officer
        roster = sorted(
            (p for p in run.places if p.started_on is not None), key=lambda p: p.started_on
        )
        waiting, current = 0, []
        for session_pk, day, taken_at in sessions:
            while waiting < len(roster) and roster[waiting].started_on <= day:
                current.append(roster[waiting])
                waiting += 1
            current = [p for p in current if p.ended_on is None or p.ended_on >= day]
            for place in current:
                if rng.random() < 0.88:
                    add(session_pk, place.pk, "present", "", "", taken_at, officer)
                    continue
                detainee = not place.held.sentenced_on(day)
                reason = (
                    AbsenceReason.COURT
                    if detainee and rng.random() < 0.5
                    else rng.choices(list(ABSENCES), weights=list(ABSENCES.values()))[0]
                )
                add(session_pk, place.pk, "absent", reason, "", taken_at, officer)

    def write_outcomes(self, run: Run) -> None:
        """Pre/post scores and a certificate for each who completed a course; products."""
        writer, rng, spec = self.writer, self.rng, run.spec
        for place in run.places:
            if place.started_on is None or spec.mode != COURSE:
                continue
            pre = rng.randint(35, 60)
            writer.evaluations.add(place.pk, "pre", "Uji praktik awal", pre, place.started_on)
            if place.status != EnrolmentStatus.COMPLETED:
                continue
            post = min(100, pre + rng.randint(10, 35))
            writer.evaluations.add(place.pk, "post", "Uji kompetensi akhir", post, place.ended_on)
            year = place.ended_on.year
            self.certificates[year] = self.certificates.get(year, 0) + 1
            writer.certificates.add(
                self.plan.pk,
                place.pk,
                f"{self.certificates[year]:04d}/SERT/{self.plan.code.upper()}/{year}",
                base64.urlsafe_b64encode(rng.getrandbits(96).to_bytes(12, "big")).decode(),
                spec.competence,
                self.plan.name,
                place.ended_on,
                None,
                "",
            )
        if run.status == ProgrammeStatus.FINISHED:
            for name, unit, value in spec.products:
                made = run.start + D(days=rng.randint(14, 70))
                writer.products.add(
                    run.pk,
                    name,
                    made,
                    rng.randint(3, 60),
                    unit,
                    value,
                    rng.choice(["sold", "sold", "stock", "donated"]),
                    "",
                )

    def write_assimilation(self, run: Run) -> None:
        plan, rng = self.plan, self.rng
        for number, place in enumerate(run.places, start=1):
            if place.started_on is None:
                continue
            ended = place.ended_on
            self.writer.assimilation.add(
                plan.pk,
                place.held.pk,
                run.pk,
                f"{run.spec.title} {plan.name}",
                plan.address,
                region_person(rng, plan.region, "L")[2],
                f"W{plan.region.bps}.PAS.PAS.3-PK.01.04-{number:03d}/{place.started_on.year}",
                place.started_on,
                ended,
                "ended" if ended else "active",
                END_LABELS.get(place.end_reason, "") if ended else "",
                [],
            )

    def seed_all(self) -> int:
        runs = []
        for spec in self.choose():
            if spec.mode == COURSE:
                runs += self.courses(spec)
                continue
            start = self.seed.window_start - D(days=self.rng.randint(0, 400))
            run = self.write_programme(
                spec,
                spec.title,
                start,
                None,
                ProgrammeStatus.RUNNING,
                self.rng.randint(*spec.capacity),
            )
            self.fill_open(run)
            runs.append(run)
        sessions = 0
        for run in runs:
            taken = self.write_sessions(run)
            sessions += len(taken)
            self.write_places(run)
            self.write_attendance(run, taken)
            self.write_outcomes(run)
            if run.spec.mode == ASSIMILATION:
                self.write_assimilation(run)
        for year, last in sorted(self.certificates.items()):
            self.writer.counters.add(self.plan.pk, year, last)
        return sessions


def seed_programmes(seed: Seed) -> None:
    writer = ProgrammeWriter(seed)
    progress = seed.progress("programmes (facilities)", len(seed.facilities))
    for plan in seed.facilities:
        FacilityProgrammes(seed, writer, plan).seed_all()
        progress.advance()
