"""Inmates and their custody: warrants of every authority (some close to their end), the
verdict, the remisi ledger, releases, transfers, block placements and Register F.

The stored copies on the inmate (custody start, register, legal status, sentence, release,
remisi days, stage dates) come from `rutan.inmates.services.derived_values`, the function
the services store them with, applied to the same records: they are what the services would
have stored.
"""

import datetime
import random
from dataclasses import dataclass

from rutan.facilities.models import Facility
from rutan.inmates.choices import (
    CaseCategory,
    CoachingStage,
    DetentionAuthority,
    DetentionKind,
    InmateStatus,
    LegalStatus,
    PlacementEnd,
    PlacementStart,
    ReleaseKind,
    SentenceKind,
)
from rutan.inmates.models import (
    DetentionPeriod,
    DisciplinaryEntry,
    Inmate,
    Placement,
    RemisiGrant,
    Verdict,
)
from rutan.inmates.services import DERIVED_FIELDS, derived_values, rules_context

from .context import FacilityPlan, Seed
from .people import region_person

D = datetime.timedelta
AUTHORITY_LABELS = dict(DetentionAuthority.choices)
KIND_LABELS = dict(DetentionKind.choices)
SENTENCE_LABELS = dict(SentenceKind.choices)

# KUHAP's warrants in order: (authority, order, days, optional). An optional extension is
# used by most cases; Pasal 29 extensions only for heavy ones.
PENYIDIK, PENUNTUT, PN, PT, MA = (a.value for a in DetentionAuthority)
CHAIN = [
    (PENYIDIK, "penahanan", 20, False),
    (PENYIDIK, "perpanjangan", 40, True),
    (PENUNTUT, "penahanan", 20, False),
    (PENUNTUT, "perpanjangan", 30, True),
    (PN, "penahanan", 30, False),
    (PN, "perpanjangan", 60, True),
    (PN, "perpanjangan_29", 30, None),
    (PN, "perpanjangan_29", 30, None),
    (PT, "penahanan", 30, False),
    (PT, "perpanjangan", 60, True),
    (MA, "penahanan", 50, False),
    (MA, "perpanjangan", 60, True),
]
# Where the case ends (the court whose verdict becomes final), in shares of cases.
FINAL_COURT = {PN: 85, PT: 12, MA: 3}
WARRANT_NUMBER = {
    PENYIDIK: "SP.Han/{n}/{m}/{y}/Reskrim",
    PENUNTUT: "PRINT-{n}/P.4.10/Eku.1/{m}/{y}",
    PN: "{n}/Pen.Pid/{y}/PN {town}",
    PT: "{n}/PEN.PID/{y}/PT {province}",
    MA: "{n}/{y}/Han/MA",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

CASES = [c.value for c in CaseCategory]
CASE_WEIGHTS = {
    "default": (46, 47, 3, 0.3, 3.7),
    "lpka": (78, 15, 0, 0, 7),
    "lpp": (35, 58, 3, 0, 4),
}
ARTICLES = {
    "pidana_umum": [
        "Pasal 362 KUHP (pencurian)",
        "Pasal 363 KUHP (pencurian dengan pemberatan)",
        "Pasal 365 KUHP (pencurian dengan kekerasan)",
        "Pasal 351 KUHP (penganiayaan)",
        "Pasal 372 KUHP (penggelapan)",
        "Pasal 378 KUHP (penipuan)",
        "Pasal 338 KUHP (pembunuhan)",
        "Pasal 340 KUHP (pembunuhan berencana)",
        "Pasal 81 UU 35/2014 (perlindungan anak)",
        "Pasal 480 KUHP (penadahan)",
    ],
    "narkotika": [
        "Pasal 112 ayat (1) UU 35/2009",
        "Pasal 114 ayat (1) UU 35/2009",
        "Pasal 127 ayat (1) huruf a UU 35/2009",
        "Pasal 111 ayat (1) UU 35/2009",
        "Pasal 114 ayat (2) UU 35/2009",
    ],
    "tipikor": ["Pasal 2 UU 31/1999 jo. UU 20/2001", "Pasal 3 UU 31/1999 jo. UU 20/2001"],
    "terorisme": ["Pasal 15 jo. Pasal 7 UU 5/2018", "Pasal 13A UU 5/2018"],
    "pidsus_lain": [
        "Pasal 45 ayat (3) UU 19/2016 (ITE)",
        "Pasal 2 UU 21/2007 (TPPO)",
        "Pasal 44 UU 23/2004 (KDRT)",
        "Pasal 82 UU 18/2013 (perusakan hutan)",
    ],
}
# Terms of imprisonment as held (years, months): weights per case category.
TERMS = {
    "pidana_umum": [
        ((0, 4), 4),
        ((0, 8), 8),
        ((1, 0), 12),
        ((1, 6), 12),
        ((2, 0), 14),
        ((2, 6), 8),
        ((3, 0), 10),
        ((4, 0), 8),
        ((5, 0), 7),
        ((7, 0), 6),
        ((10, 0), 5),
        ((15, 0), 4),
        ((20, 0), 2),
    ],
    "narkotika": [
        ((1, 0), 4),
        ((2, 0), 6),
        ((4, 0), 15),
        ((5, 0), 15),
        ((6, 0), 14),
        ((7, 0), 10),
        ((8, 0), 10),
        ((9, 0), 6),
        ((10, 0), 8),
        ((12, 0), 6),
        ((15, 0), 4),
        ((20, 0), 2),
    ],
    "tipikor": [
        ((1, 6), 10),
        ((3, 0), 20),
        ((4, 0), 25),
        ((6, 0), 20),
        ((8, 0), 15),
        ((12, 0), 10),
    ],
    "terorisme": [((3, 0), 25), ((4, 0), 25), ((6, 0), 25), ((10, 0), 15), ((15, 0), 10)],
    "pidsus_lain": [((0, 6), 10), ((1, 0), 25), ((2, 0), 25), ((3, 0), 20), ((5, 0), 20)],
}
RELEASE_KINDS = {
    ReleaseKind.EXPIRY: 55,
    ReleaseKind.PAROLE: 30,
    ReleaseKind.CONDITIONAL_LEAVE: 8,
    ReleaseKind.PRE_RELEASE_LEAVE: 7,
}
OFFENCES = [
    ("Membawa telepon genggam ke kamar hunian", "Tutupan sunyi 6 hari", 6),
    ("Berkelahi dengan sesama WBP", "Tutupan sunyi 6 hari", 6),
    ("Tidak mengikuti apel pagi berulang kali", "Teguran tertulis", 0),
    ("Menyimpan barang terlarang (senjata tajam rakitan)", "Penundaan hak kunjungan 1 bulan", 30),
    ("Menolak perintah petugas", "Teguran tertulis", 0),
    ("Berjudi di kamar hunian", "Tutupan sunyi 6 hari", 6),
]
HOLIDAYS = {
    "kristen": (12, 25),
    "katolik": (12, 25),
    "hindu": (3, 22),
    "buddha": (5, 23),
    "konghucu": (2, 10),
}
UMUM = (1, 2, 3, 4, 4, 5)  # months of remisi umum by whole years served
KHUSUS = ((0, 15), (1, 0), (1, 0), (1, 15), (1, 15), (2, 0))
TERMS_KINDS = (SentenceKind.PENJARA, SentenceKind.KURUNGAN)
TRANSFER_NOTE = "Pemindahan dalam wilayah Kanwil"
EDUCATION = ["tidak_sekolah", "sd", "smp", "sma", "diploma", "sarjana", "pascasarjana"]
EDUCATION_WEIGHTS = {"default": (6, 30, 28, 30, 2, 3.5, 0.5), "tipikor": (0, 2, 5, 28, 10, 45, 10)}


@dataclass(slots=True)
class Warrant:
    """What the reckoning reads of a detention period (DetentionPeriod)."""

    authority: str
    order: str
    kind: str
    number: str
    start: datetime.date
    end: datetime.date
    pk = None

    def get_authority_display(self):
        return AUTHORITY_LABELS[self.authority]

    def get_kind_display(self):
        return KIND_LABELS[self.kind]


@dataclass(slots=True)
class Ruling:
    """What the reckoning reads of a verdict (Verdict)."""

    court: str
    court_name: str
    number: str
    decided_on: datetime.date
    final_on: datetime.date
    sentence_kind: str
    years: int
    months: int
    days: int = 0
    fine: int = 0
    substitute_months: int = 0
    substitute_days: int = 0
    fine_paid: bool = False

    def get_sentence_kind_display(self):
        return SENTENCE_LABELS[self.sentence_kind]


@dataclass(slots=True)
class Grant:
    """What the reckoning reads of a remisi grant (RemisiGrant)."""

    kind: str
    decree_number: str
    decree_date: datetime.date
    months: int
    days: int = 0


@dataclass(slots=True)
class Held:
    """An inmate as the later seeders need them (programmes, assessments, partners)."""

    pk: int
    facility_pk: int
    sex: str
    religion: str
    education: str
    case: str
    admission: datetime.date
    arrived: datetime.date
    released_on: datetime.date | None
    final_on: datetime.date | None
    values: dict
    origin_pk: int | None = None

    @property
    def active(self) -> bool:
        return self.released_on is None

    def present_on(self, day: datetime.date) -> bool:
        """Held at this facility on `day`."""
        return self.arrived <= day and (self.released_on is None or day < self.released_on)

    def facility_on(self, day: datetime.date) -> int:
        return self.origin_pk if self.origin_pk and day < self.arrived else self.facility_pk

    def stage_on(self, day: datetime.date) -> str | None:
        """The coaching stage on `day`, as Inmate.stage_on reads the stored dates (none
        before the verdict was final)."""
        values = self.values
        if values.get("lanjutan_from") is None or not self.sentenced_on(day):
            return None
        for stage in ("integrasi", "asimilasi", "lanjutan"):
            if day >= values[f"{stage}_from"]:
                return stage
        return CoachingStage.ADMISI_ORIENTASI

    def sentenced_on(self, day: datetime.date) -> bool:
        return self.final_on is not None and self.final_on <= day


class Story:
    """The warrants and verdict dates of one case, as day offsets from its first day of
    detention; `warrants` and `ruling` place them in time."""

    def __init__(
        self,
        rng: random.Random,
        plan: FacilityPlan,
        case: str,
        *,
        heavy: bool,
        short: bool = False,
        house: bool = False,
    ):
        self.rng, self.plan, self.case = rng, plan, case
        final_court = (
            PN if short else rng.choices(list(FINAL_COURT), weights=list(FINAL_COURT.values()))[0]
        )
        last = {PN: 8, PT: 10, MA: 12}[final_court]
        gap = rng.randint(5, 40) if not short and rng.random() < 0.01 else 0
        self.steps = []
        offset = 0
        for authority, order, days, optional in CHAIN[:last]:
            if optional is None and not (heavy and rng.random() < 0.3):
                continue
            if optional and (short or rng.random() > (0.85 if authority == PN else 0.7)):
                continue
            if authority == PENUNTUT and order == "penahanan":
                offset += gap
            self.steps.append((authority, order, days, offset))
            offset += days
        self.span = offset
        self.final_court = final_court
        self.house = house and rng.random() < 0.02
        first, last_day = (
            min(o for a, _r, _d, o in self.steps if a == final_court),
            max(o + d - 1 for a, _r, d, o in self.steps if a == final_court),
        )
        decided = rng.randint(first + 5, max(first + 5, last_day - 14))
        self.decided, self.final = decided, decided + (7 if final_court == PN else 14)

    def warrants(self, first_day: datetime.date, until: datetime.date) -> list[Warrant]:
        """The warrants from `first_day`, up to the one that covers `until`."""
        warrants = []
        for authority, order, days, offset in self.steps:
            start = first_day + D(days=offset)
            if start > until:
                break
            kind = DetentionKind.RUTAN
            if self.house and authority == PENYIDIK:
                kind = DetentionKind.RUMAH if order == "penahanan" else DetentionKind.KOTA
            number = WARRANT_NUMBER[authority].format(
                n=self.rng.randint(10, 999),
                m=ROMAN[start.month - 1],
                y=start.year,
                town=self.plan.city,
                province=self.plan.region.province,
            )
            warrants.append(
                Warrant(authority, order, kind, number, start, start + D(days=days - 1))
            )
        return warrants

    def ruling(self, first_day: datetime.date, sentence: tuple) -> Ruling:
        """The verdict: decided within the warrants of the final court, final seven days
        later (fourteen after an appeal), before those warrants end."""
        decided_on, final_on = first_day + D(days=self.decided), first_day + D(days=self.final)
        kind, years, months, fine, sub_months, paid = sentence
        special = "Sus" if self.case != "pidana_umum" else "B"
        court_name, number = {
            PN: (
                f"Pengadilan Negeri {self.plan.city}",
                f"{self.rng.randint(10, 900)}/Pid.{special}/{decided_on.year}/PN",
            ),
            PT: (
                f"Pengadilan Tinggi {self.plan.region.province}",
                f"{self.rng.randint(10, 400)}/PID.SUS/{decided_on.year}/PT",
            ),
            MA: ("Mahkamah Agung", f"{self.rng.randint(100, 9000)} K/Pid.Sus/{decided_on.year}"),
        }[self.final_court]
        return Ruling(
            court=self.final_court,
            court_name=court_name,
            number=number,
            decided_on=decided_on,
            final_on=final_on,
            sentence_kind=kind,
            years=years,
            months=months,
            fine=fine,
            substitute_months=sub_months,
            fine_paid=paid,
        )


@dataclass(slots=True)
class Custody:
    """A custody record and what it gives (`values`: the inmate's stored copies)."""

    warrants: list
    ruling: Ruling | None
    grants: list
    values: dict
    released_on: datetime.date | None = None
    release_kind: str = ""


def _sentence(rng: random.Random, plan: FacilityPlan, case: str) -> tuple:
    """(kind, years, months, fine, substitute months, fine paid) of a verdict."""
    grave = plan.kind == "lapas" and plan.facility_class in ("I", "IIA")
    if grave and case in ("narkotika", "pidana_umum", "terorisme"):
        roll = rng.random()
        if roll < 0.003:
            return SentenceKind.MATI, 0, 0, 0, 0, False
        if roll < 0.012:
            return SentenceKind.SEUMUR_HIDUP, 0, 0, 0, 0, False
    if case == "pidana_umum" and rng.random() < 0.02:
        return SentenceKind.KURUNGAN, 0, rng.randint(3, 6), 0, 0, False
    terms, weights = zip(*TERMS[case], strict=True)
    years, months = rng.choices(terms, weights=weights)[0]
    if plan.kind == "lpka":
        total = min(10 * 12, (12 * years + months) // 2)
        years, months = divmod(max(total, 3), 12)
    elif months == 0 and rng.random() < 0.3:
        months = rng.choice([3, 6, 8])
    fine = sub = 0
    paid = False
    if case in ("narkotika", "tipikor") and plan.kind != "lpka":
        fine = rng.choice([800, 1000, 1500]) * 1_000_000 if case == "narkotika" else 200_000_000
        sub = rng.choice([1, 2, 3, 6])
        paid = rng.random() < (0.05 if case == "narkotika" else 0.5)
    return SentenceKind.PENJARA, years, months, fine, sub, paid


def _term_days(ruling: Ruling) -> int:
    extra = 0 if ruling.fine_paid else ruling.substitute_months
    return round(365.25 * ruling.years + 30.44 * (ruling.months + extra))


def _remisi_dates(religion: str, year: int) -> list[tuple[str, str, datetime.date]]:
    """(kind, decree series, date) of a year's remisi decrees: 17 August, the inmate's
    religious holiday, and the dasawarsa of 2015 and 2025."""
    dates = [("umum", "PK.05.04", datetime.date(year, 8, 17))]
    if religion == "islam":
        # Idul Fitri moves about eleven days earlier each year.
        shift = round(-10.88 * (year - 2024)) % 365
        dates.append(("khusus", "PK.05.05", datetime.date(year, 1, 1) + D(days=(99 + shift) % 365)))
    elif religion in HOLIDAYS:
        month, day = HOLIDAYS[religion]
        dates.append(("khusus", "PK.05.05", datetime.date(year, month, day)))
    if year in (2015, 2025):
        dates.append(("dasawarsa", "PK.05.06", datetime.date(year, 8, 17)))
    return sorted(dates, key=lambda d: d[2])


def _remisi(
    rng: random.Random,
    ruling: Ruling,
    start: datetime.date,
    *,
    religion: str,
    until: datetime.date,
    restricted: bool,
) -> list[Grant]:
    """The ledger as the decrees would grant it: after six months served, growing with the
    years served; none that would release before its own decree (the inmate would have left
    that day). Cases under the stricter conditions (PP 99/2012) get it in fewer years."""
    if ruling.sentence_kind not in TERMS_KINDS:
        return []
    term = _term_days(ruling)
    release = start + D(days=term)
    grants = []
    for year in range(start.year, until.year + 1):
        if restricted and rng.random() < 0.5:
            continue
        for kind, series, day in _remisi_dates(religion, year):
            served = (day - start).days
            if day > until or day < ruling.decided_on or served < 183:
                continue
            years_served = min(served // 365, 5)
            if kind == "umum":
                months, days = UMUM[years_served], 0
            elif kind == "khusus":
                months, days = KHUSUS[years_served]
            else:
                months, days = divmod(min(90, term // 12), 30)
            length = 30 * months + days
            if length == 0:
                continue
            if release - D(days=length) <= day:
                return grants
            release -= D(days=length)
            number = f"PAS-{rng.randint(100, 999)}.{series} Tahun {year}"
            grants.append(Grant(kind, number, day, months, days))
    return grants


class InmateWriter:
    """The tables of the register and the custody record."""

    def __init__(self, seed: Seed):
        self.inmates = seed.table(
            Inmate,
            "facility_id registration_number name sex birth_date religion education_level "
            "case_category case_article admission_date block_id status released_on "
            "release_kind " + " ".join(DERIVED_FIELDS),
            ids=True,
        )
        self.placements = seed.table(
            Placement,
            "inmate_id facility_id block_id start_date start_reason end_date end_reason note",
        )
        self.periods = seed.table(
            DetentionPeriod,
            "inmate_id authority order kind warrant_number warrant_date start end note",
        )
        self.verdicts = seed.table(
            Verdict,
            "inmate_id court court_name number decided_on final_on sentence_kind years months "
            "days fine substitute_months substitute_days fine_paid",
        )
        self.grants = seed.table(
            RemisiGrant, "inmate_id kind decree_number decree_date months days note"
        )
        self.discipline = seed.table(
            DisciplinaryEntry,
            "inmate_id facility_id occurred_on offence sanction sanction_until status closed_on",
        )


class FacilityInmates:
    """The inmates of one facility: who they are, their custody story and where they sleep."""

    def __init__(self, seed: Seed, writer: InmateWriter, plan: FacilityPlan, others):
        self.seed, self.writer, self.plan, self.others = seed, writer, plan, others
        self.rng = seed.rng("inmates", plan.code)
        self.today = seed.today
        self.context = rules_context(Facility(pk=plan.pk))
        self.sequence = 0

    def identity(self, sex: str) -> dict:
        rng, plan = self.rng, self.plan
        religion, _culture, name = region_person(rng, plan.region, sex)
        case = rng.choices(CASES, weights=CASE_WEIGHTS.get(plan.kind, CASE_WEIGHTS["default"]))[0]
        if plan.kind == "lpka":
            age = rng.randint(14, 17) * 365 + rng.randint(0, 364)
            education = rng.choice(["tidak_sekolah", "sd", "sd", "smp", "smp"])
        else:
            age = int(rng.triangular(18, 68, 30) * 365.25)
            weights = EDUCATION_WEIGHTS.get(case, EDUCATION_WEIGHTS["default"])
            education = rng.choices(EDUCATION, weights=weights)[0]
        return {
            "sex": sex,
            "religion": religion,
            "name": name,
            "case": case,
            "article": rng.choice(ARTICLES[case]),
            "age_days": age,
            "education": education,
        }

    def custody(self, warrants, ruling=None, grants=(), **release) -> Custody:
        values = derived_values(
            periods=warrants, verdict=ruling, grants=list(grants), context=self.context
        )[1]
        return Custody(warrants, ruling, list(grants), values, **release)

    def detainee(self, who: dict, *, released: bool = False) -> Custody:
        """Held before a verdict: the last warrant covers today (a few ran out some days
        ago); a released one left by a court's order inside the window."""
        rng = self.rng
        story = Story(rng, self.plan, who["case"], heavy=False)
        if released:
            window = (self.today - self.seed.window_start).days
            left = self.seed.window_start + D(days=rng.randint(0, window - 1))
            first = left - D(days=rng.randint(15, max(16, story.span - 1)))
            return self.custody(
                story.warrants(first, left), released_on=left, release_kind=ReleaseKind.COURT
            )
        if rng.random() < 0.002:
            first = self.today - D(days=story.span + rng.randint(1, 5))
        else:
            first = self.today - D(days=rng.randint(0, min(story.span - 1, 330)))
        return self.custody(story.warrants(first, self.today))

    def sentenced(self, who: dict, *, release_on: datetime.date | None = None) -> Custody:
        """Held after a final verdict, with the remisi decrees granted so far: an active one
        still inside the term, a released one whose term ended on about `release_on`."""
        rng = self.rng
        sentence = _sentence(rng, self.plan, who["case"])
        while release_on and sentence[0] not in TERMS_KINDS:
            sentence = _sentence(rng, self.plan, who["case"])
        term_kind = sentence[0] in TERMS_KINDS
        short = term_kind and 12 * sentence[1] + sentence[2] < 12
        story = Story(
            rng,
            self.plan,
            who["case"],
            heavy=not term_kind or sentence[1] >= 9,
            short=short,
            house=True,
        )
        restricted = who["case"] in ("terorisme", "tipikor") or (
            who["case"] == "narkotika" and sentence[1] >= 5
        )
        term = _term_days(story.ruling(self.today, sentence)) if term_kind else 25 * 365
        if release_on is None:
            served = story.final + rng.random() * max(1, int(term * 0.8) - story.final)
        else:
            served = term * 0.8
        until = min(self.today, release_on or self.today)
        for _attempt in range(6):
            first = (release_on or self.today) - D(days=int(served))
            first = min(first, self.today - D(days=story.final + 1))
            ruling = story.ruling(first, sentence)
            grants = _remisi(
                rng, ruling, first, religion=who["religion"], until=until, restricted=restricted
            )
            custody = self.custody(
                story.warrants(first, ruling.final_on - D(days=1)), ruling, grants
            )
            release = custody.values["expected_release_date"]
            if release_on is None:
                if release is None or release > self.today + D(days=2):
                    return custody
                served = max(story.final + 1, served * 0.75)
            elif self.seed.window_start - D(days=60) <= release < self.today:
                custody.released_on = release
                return custody
            else:
                served += (release - release_on).days
        return self.detainee(who, released=release_on is not None)

    def release_kind(self, custody: Custody) -> None:
        """How a sentenced inmate whose term ended left: at its end, on parole (PB) or
        conditional leave (CB) after two thirds, or on pre-release leave (CMB)."""
        release = custody.released_on
        kind = self.rng.choices(list(RELEASE_KINDS), weights=list(RELEASE_KINDS.values()))[0]
        integrasi = custody.values.get("integrasi_from")
        custody.release_kind = ReleaseKind.EXPIRY
        if kind in (ReleaseKind.PAROLE, ReleaseKind.CONDITIONAL_LEAVE) and integrasi:
            day = integrasi + D(days=self.rng.randint(0, 45))
            if day < release:
                custody.release_kind, custody.released_on = kind, day
        elif kind == ReleaseKind.PRE_RELEASE_LEAVE and custody.grants:
            latest = custody.grants[-1]
            custody.release_kind = kind
            custody.released_on = release - D(days=30 * latest.months + latest.days)

    def registration_number(self, legal_status: str, admission: datetime.date) -> str:
        self.sequence += 1
        prefix = "A" if legal_status == LegalStatus.TAHANAN else "B"
        return f"{prefix}.{self.sequence:05d}/{admission.year}"

    def write(self, who: dict, custody: Custody) -> Held:
        rng, plan, writer, values = self.rng, self.plan, self.writer, custody.values
        if custody.ruling is not None and custody.released_on and not custody.release_kind:
            self.release_kind(custody)
        released_on = custody.released_on
        first_rutan = next(w.start for w in custody.warrants if w.kind == DetentionKind.RUTAN)
        admission = min(first_rutan + D(days=rng.choice([0, 0, 0, 1, 2])), self.today)
        if released_on is not None:
            admission = min(admission, released_on)
        birth = admission - D(days=who["age_days"])
        pk = writer.inmates.next_id()
        origin, arrived = None, admission
        if released_on is None and self.others and rng.random() < 0.015:
            days = (self.today - admission).days
            if days > 30:
                origin = rng.choice(self.others)
                arrived = admission + D(days=rng.randint(20, days - 3))
        block = self.place(pk, who["sex"], admission, arrived, released_on, origin)
        writer.inmates.add(
            pk,
            plan.pk,
            self.registration_number(values["legal_status"], admission),
            who["name"],
            who["sex"],
            birth,
            who["religion"],
            who["education"],
            who["case"],
            who["article"],
            admission,
            block,
            InmateStatus.RELEASED if released_on else InmateStatus.ACTIVE,
            released_on,
            custody.release_kind,
            *(values[f] for f in DERIVED_FIELDS),
        )
        for w in custody.warrants:
            writer.periods.add(
                pk, w.authority, w.order, w.kind, w.number, w.start, w.start, w.end, ""
            )
        ruling = custody.ruling
        if ruling is not None:
            writer.verdicts.add(
                pk,
                ruling.court,
                ruling.court_name,
                ruling.number,
                ruling.decided_on,
                ruling.final_on,
                ruling.sentence_kind,
                ruling.years,
                ruling.months,
                ruling.days,
                ruling.fine,
                ruling.substitute_months,
                ruling.substitute_days,
                ruling.fine_paid,
            )
        for g in custody.grants:
            writer.grants.add(pk, g.kind, g.decree_number, g.decree_date, g.months, g.days, "")
        held = Held(
            pk=pk,
            facility_pk=plan.pk,
            sex=who["sex"],
            religion=who["religion"],
            education=who["education"],
            case=who["case"],
            admission=admission,
            arrived=arrived,
            released_on=released_on,
            final_on=ruling.final_on if ruling else None,
            values=values,
            origin_pk=origin.pk if origin else None,
        )
        if rng.random() < 0.025:
            self.discipline(held)
        return held

    def _block(self, plan: FacilityPlan, sex: str) -> int | None:
        blocks = plan.blocks_for(sex)
        if not blocks:
            return None
        return self.rng.choices(blocks, weights=[max(1, b.capacity) for b in blocks])[0].pk

    def place(self, pk, sex, admission, arrived, released_on, origin) -> int | None:
        """Write the placements (orientation block first where there is one; a transfer
        from another facility of the region) and return the current block."""
        plan, rng, add = self.plan, self.rng, self.writer.placements.add
        ending = (released_on, PlacementEnd.RELEASE) if released_on else (None, "")
        if origin is not None:
            add(
                pk,
                origin.pk,
                self._block(origin, sex),
                admission,
                PlacementStart.ADMISSION,
                arrived,
                PlacementEnd.TRANSFER_OUT,
                "",
            )
            block = self._block(plan, sex)
            add(pk, plan.pk, block, arrived, PlacementStart.TRANSFER_IN, *ending, TRANSFER_NOTE)
            return block
        start, reason = admission, PlacementStart.ADMISSION
        orientation = plan.blocks_for(sex, orientation=True)
        if orientation and rng.random() < 0.8:
            moved = admission + D(days=rng.randint(7, 14))
            if moved >= (released_on or self.today + D(days=1)):
                add(pk, plan.pk, orientation[0].pk, start, reason, *ending, "")
                return orientation[0].pk
            add(pk, plan.pk, orientation[0].pk, start, reason, moved, PlacementEnd.BLOCK_MOVE, "")
            start, reason = moved, PlacementStart.BLOCK_MOVE
        block = self._block(plan, sex)
        add(pk, plan.pk, block, start, reason, *ending, "")
        return block

    def discipline(self, held: Held) -> None:
        """A Register F entry inside the window; most sanctions are served and closed."""
        rng = self.rng
        first = max(held.arrived, self.seed.window_start)
        last = (held.released_on - D(days=1)) if held.released_on else self.today
        if last < first:
            return
        occurred = first + D(days=rng.randint(0, (last - first).days))
        offence, sanction, days = rng.choice(OFFENCES)
        until = occurred + D(days=days) if days else None
        closed = (until or occurred) < self.today - D(days=3) and rng.random() < 0.85
        self.writer.discipline.add(
            held.pk,
            held.facility_pk,
            occurred,
            offence,
            sanction,
            until,
            "closed" if closed else "open",
            (until or occurred) if closed else None,
        )

    def seed_all(self, progress) -> list[Held]:
        """The facility's population today, then those released inside the window (about
        8 % of the population a year)."""
        plan, rng = self.plan, self.rng
        women = set(rng.sample(range(plan.population), plan.women))
        order = list(range(plan.population))
        rng.shuffle(order)
        detainees = set(order[: round(plan.population * plan.detainee_share)])
        held = []
        for n in range(plan.population):
            who = self.identity("P" if n in women else "L")
            held.append(
                self.write(who, self.detainee(who) if n in detainees else self.sentenced(who))
            )
            progress.advance()
        window = (self.today - self.seed.window_start).days
        women_share = plan.women / max(1, plan.population)
        for _ in range(round(plan.population * 0.08 * self.seed.months / 12)):
            who = self.identity("P" if rng.random() < women_share else "L")
            if rng.random() < 0.1:
                custody = self.detainee(who, released=True)
            else:
                release_on = self.seed.window_start + D(days=rng.randint(0, window - 1))
                custody = self.sentenced(who, release_on=release_on)
            held.append(self.write(who, custody))
        return held


def seed_inmates(seed: Seed) -> None:
    writer = InmateWriter(seed)
    progress = seed.progress("inmates", sum(p.population for p in seed.facilities))
    for plan in seed.facilities:
        others = [
            p
            for p in seed.facilities
            if p.region is plan.region and p is not plan and p.kind == plan.kind
        ]
        plan.inmates = FacilityInmates(seed, writer, plan, others).seed_all(progress)
