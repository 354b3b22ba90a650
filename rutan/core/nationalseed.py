"""Synthetic data at national proportions for measuring Rutan (`manage.py seed_national`).

Indonesia holds about 275,000 inmates in about 530 facilities of 33 regional offices, most of
them overcrowded (Rutan Balikpapan: about 1,085 for 306 places). This builds that shape,
deterministically for a seed: facilities of every kind and class in the three timezones,
blocks, staff accounts, inmates (about a fifth detainees, some women, a few life or death
sentences) with their warrants, verdicts, remisi and placements, programmes of every pillar
with weekly sessions, enrolments and recent attendance, and last month's SPPN scores.

Rows go in with bulk inserts, not through the services (a service call costs about 0.2 s
an inmate), but every stored custody and stage field is computed by the services' own
`_apply_derived` on the same records, so the data is what the services would have stored.
Every person's name is invented.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import BehaviourScore
from programmes.models import Attendance, Enrolment, Programme, Session
from rutan.accounts.models import Membership, User
from rutan.core.choices import Pillar
from rutan.core.roles import Role
from rutan.facilities.models import Block, Facility, RegionalOffice
from rutan.inmates.choices import InmateStatus, PlacementStart
from rutan.inmates.models import DetentionPeriod, Inmate, Placement, RemisiGrant, Verdict
from rutan.inmates.services.derived import _apply_derived, _context
from rutan.inmates.services.rulecache import rules_cached

PASSWORD = "rutan-bench-2026"
BATCH = 5000

# 33 regional offices: province, timezone, weight (share of the country's facilities).
REGIONS = [
    ("Aceh", "Asia/Jakarta", 3),
    ("Sumatera Utara", "Asia/Jakarta", 6),
    ("Sumatera Barat", "Asia/Jakarta", 3),
    ("Riau", "Asia/Jakarta", 3),
    ("Kepulauan Riau", "Asia/Jakarta", 2),
    ("Jambi", "Asia/Jakarta", 2),
    ("Sumatera Selatan", "Asia/Jakarta", 3),
    ("Bangka Belitung", "Asia/Jakarta", 1),
    ("Bengkulu", "Asia/Jakarta", 1),
    ("Lampung", "Asia/Jakarta", 3),
    ("DKI Jakarta", "Asia/Jakarta", 3),
    ("Banten", "Asia/Jakarta", 3),
    ("Jawa Barat", "Asia/Jakarta", 8),
    ("Jawa Tengah", "Asia/Jakarta", 8),
    ("DI Yogyakarta", "Asia/Jakarta", 1),
    ("Jawa Timur", "Asia/Jakarta", 8),
    ("Kalimantan Barat", "Asia/Jakarta", 2),
    ("Kalimantan Tengah", "Asia/Jakarta", 2),
    ("Kalimantan Selatan", "Asia/Makassar", 2),
    ("Kalimantan Timur", "Asia/Makassar", 3),
    ("Bali", "Asia/Makassar", 2),
    ("Nusa Tenggara Barat", "Asia/Makassar", 2),
    ("Nusa Tenggara Timur", "Asia/Makassar", 3),
    ("Sulawesi Utara", "Asia/Makassar", 2),
    ("Gorontalo", "Asia/Makassar", 1),
    ("Sulawesi Tengah", "Asia/Makassar", 2),
    ("Sulawesi Barat", "Asia/Makassar", 1),
    ("Sulawesi Selatan", "Asia/Makassar", 4),
    ("Sulawesi Tenggara", "Asia/Makassar", 2),
    ("Maluku", "Asia/Jayapura", 2),
    ("Maluku Utara", "Asia/Jayapura", 1),
    ("Papua", "Asia/Jayapura", 2),
    ("Papua Barat", "Asia/Jayapura", 1),
]
CITIES = [
    "Balikpapan",
    "Samarinda",
    "Bontang",
    "Tenggarong",
    "Tarakan",
    "Medan",
    "Binjai",
    "Pematangsiantar",
    "Sibolga",
    "Padang",
    "Bukittinggi",
    "Solok",
    "Pekanbaru",
    "Dumai",
    "Bengkalis",
    "Batam",
    "Tanjungpinang",
    "Jambi",
    "Muarabungo",
    "Palembang",
    "Lubuklinggau",
    "Baturaja",
    "Pangkalpinang",
    "Bengkulu",
    "Bandarlampung",
    "Metro",
    "Kotabumi",
    "Cipinang",
    "Salemba",
    "Pondokbambu",
    "Serang",
    "Tangerang",
    "Pandeglang",
    "Bandung",
    "Bogor",
    "Bekasi",
    "Cirebon",
    "Garut",
    "Sukabumi",
    "Tasikmalaya",
    "Karawang",
    "Semarang",
    "Surakarta",
    "Pekalongan",
    "Magelang",
    "Purwokerto",
    "Kudus",
    "Yogyakarta",
    "Wonosari",
    "Surabaya",
    "Malang",
    "Kediri",
    "Madiun",
    "Jember",
    "Banyuwangi",
    "Pontianak",
    "Singkawang",
    "Palangkaraya",
    "Sampit",
    "Banjarmasin",
    "Martapura",
    "Denpasar",
    "Singaraja",
    "Mataram",
    "Bima",
    "Kupang",
    "Ruteng",
    "Maumere",
    "Atambua",
    "Waingapu",
    "Manado",
    "Bitung",
    "Gorontalo",
    "Palu",
    "Poso",
    "Mamuju",
    "Makassar",
    "Parepare",
    "Bone",
    "Palopo",
    "Kendari",
    "Baubau",
    "Ambon",
    "Tual",
    "Ternate",
    "Jayapura",
    "Merauke",
    "Nabire",
    "Manokwari",
    "Sorong",
    "Lhokseumawe",
    "Langsa",
    "Banda",
    "Meulaboh",
]
KINDS = [  # kind, class, share, capacity range
    ("rutan", "IIB", 0.34, (80, 300)),
    ("rutan", "IIA", 0.10, (200, 600)),
    ("rutan", "I", 0.03, (500, 1500)),
    ("lapas", "III", 0.12, (100, 300)),
    ("lapas", "IIB", 0.20, (150, 500)),
    ("lapas", "IIA", 0.13, (300, 900)),
    ("lapas", "I", 0.04, (600, 2000)),
    ("lpka", "I", 0.02, (60, 150)),
    ("lpp", "IIA", 0.02, (100, 400)),
]
KIND_NAMES = {"rutan": "Rutan", "lapas": "Lapas", "lpka": "LPKA", "lpp": "LPP"}
GIVEN = [
    "Agus",
    "Budi",
    "Cahyo",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hadi",
    "Irfan",
    "Joko",
    "Kurnia",
    "Lukman",
    "Made",
    "Nyoman",
    "Oki",
    "Putu",
    "Rizky",
    "Sandi",
    "Taufik",
    "Umar",
    "Wahyu",
    "Yoga",
    "Zainal",
    "Andi",
    "Bayu",
    "Dimas",
    "Fikri",
    "Hendra",
    "Imam",
    "Rudi",
]
GIVEN_F = [
    "Ani",
    "Dewi",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Nur",
    "Putri",
    "Rina",
    "Sari",
    "Tuti",
    "Wulan",
]
FAMILY = [
    "Pratama",
    "Saputra",
    "Wijaya",
    "Hidayat",
    "Nugroho",
    "Santoso",
    "Siregar",
    "Nasution",
    "Lubis",
    "Simanjuntak",
    "Tanjung",
    "Harahap",
    "Gultom",
    "Manurung",
    "Sitompul",
    "Sinaga",
    "Pane",
    "Daulay",
    "Rangkuti",
    "Ginting",
    "Tarigan",
    "Sembiring",
    "Purba",
    "Damanik",
    "Situmorang",
    "Pardede",
    "Hutapea",
    "Panjaitan",
    "Lumbantobing",
    "Sihombing",
    "Latuconsina",
    "Wenas",
    "Mandagi",
    "Rumengan",
    "Tumbelaka",
    "Pattiasina",
    "Sopacua",
    "Tuhumury",
    "Rahakbauw",
    "Mahuze",
    "Kambu",
    "Wonda",
    "Tabuni",
    "Rumbiak",
    "Ohoiwutun",
    "Leba",
    "Nggadas",
    "Manafe",
    "Bessie",
    "Amalo",
    "Toto",
]
DETAINEE_SHARE = 0.22
WOMEN_SHARE = 0.06


@dataclass
class Plan:
    facilities: int = 530
    inmates: int = 275_000
    months: int = 12
    seed: int = 2026
    log: Callable[[str], None] = print
    counts: dict = field(default_factory=dict)


class NotEmpty(Exception):
    pass


def _timed(plan: Plan, label: str):
    class Timer:
        def __enter__(self):
            self.started = time.perf_counter()
            plan.log(f"  {label}…")

        def __exit__(self, *exc):
            if exc[0] is None:
                plan.log(f"  {label}: {time.perf_counter() - self.started:.1f} s")

    return Timer()


def _bulk(model, rows, plan: Plan, label: str | None = None) -> None:
    total = len(rows)
    for start in range(0, total, BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
        if label and total > 4 * BATCH and (start // BATCH) % 10 == 9:
            plan.log(f"    {label} {start + BATCH:,}/{total:,}")
    plan.counts[model._meta.label] = plan.counts.get(model._meta.label, 0) + total


def _next_ids(model, n: int) -> list[int]:
    """n ids from the model's sequence, so related rows can be built before the insert."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
            [n],
        )
        return [row[0] for row in cursor.fetchall()]


def _facilities(plan: Plan, rng: random.Random) -> list[Facility]:
    weights = [w for *_, w in REGIONS]
    regions = [
        RegionalOffice(code=f"kanwil-{i + 1:02d}", name=f"Kanwil {name}", province=name)
        for i, (name, _tz, _w) in enumerate(REGIONS)
    ]
    _bulk(RegionalOffice, regions, plan)
    tz_of = {f"kanwil-{i + 1:02d}": tz for i, (_n, tz, _w) in enumerate(REGIONS)}
    kinds = []
    for kind, klass, share, capacity in KINDS:
        kinds += [(kind, klass, capacity)] * max(1, round(share * plan.facilities))
    kinds = (kinds + [KINDS[0][:2] + (KINDS[0][3],)] * plan.facilities)[: plan.facilities]
    rng.shuffle(kinds)
    facilities, used = [], set()
    # Every region gets at least one facility, the rest by weight.
    region_of = list(range(len(regions)))
    rng.shuffle(region_of)
    region_of = region_of[: plan.facilities]
    region_of += rng.choices(
        range(len(regions)), weights=weights, k=plan.facilities - len(region_of)
    )
    for number, ((kind, klass, capacity), region_index) in enumerate(
        zip(kinds, region_of, strict=True)
    ):
        region = regions[region_index]
        city = CITIES[(number * 7 + region_index) % len(CITIES)]
        name = f"{KIND_NAMES[kind]} Kelas {klass} {city}"
        suffix = 2
        while name in used:
            name = f"{KIND_NAMES[kind]} Kelas {klass} {city} {suffix}"
            suffix += 1
        used.add(name)
        facilities.append(
            Facility(
                code=f"nas-{number + 1:04d}",
                name=name,
                kind=kind,
                facility_class=klass,
                regional_office=region,
                city=city,
                address=f"Jl. Pemasyarakatan No. {number + 1}, {city}",
                capacity=rng.randint(*capacity),
                timezone=tz_of[region.code],
            )
        )
    _bulk(Facility, facilities, plan)
    return facilities


def _population(plan: Plan, facilities: list[Facility], rng: random.Random) -> dict[int, int]:
    """Inmates per facility, each facility overcrowded 1.2–3.6× (the largest Rutan about
    3.5×), sized relative to one another by kind and class and scaled to the total asked
    for; the capacities (and the blocks, a quarter each) follow from that."""
    crowding = {f.pk: rng.uniform(1.2, 3.6) for f in facilities}
    biggest = max((f for f in facilities if f.kind == "rutan"), key=lambda f: f.capacity)
    crowding[biggest.pk] = 3.55
    raw = {f.pk: f.capacity * crowding[f.pk] for f in facilities}
    scale = plan.inmates / sum(raw.values())
    counts = {pk: max(5, round(v * scale)) for pk, v in raw.items()}
    # Round so the sum is exactly the total asked for.
    counts[max(counts, key=counts.get)] += plan.inmates - sum(counts.values())
    for facility in facilities:
        facility.capacity = max(8, round(counts[facility.pk] / crowding[facility.pk]))
    Facility.objects.bulk_update(facilities, ["capacity"], batch_size=1000)
    blocks = []
    for facility in facilities:
        per = max(2, facility.capacity // 4)
        blocks += [
            Block(facility=facility, name=f"Blok {letter}", sex="L", capacity=per)
            for letter in "ABC"
        ]
        blocks.append(Block(facility=facility, name="Blok Wanita", sex="P", capacity=per))
    _bulk(Block, blocks, plan)
    return counts


def _users(plan: Plan, facilities: list[Facility], regions) -> None:
    password = make_password(PASSWORD)
    users, memberships = [], []
    for facility in facilities:
        for role, prefix in ((Role.FACILITY_HEAD, "kepala"), (Role.REGISTRY_OFFICER, "registrasi")):
            user = User(
                username=f"{prefix}_{facility.code}",
                full_name=f"{'Kepala' if prefix == 'kepala' else 'Petugas'} {facility.name}",
                password=password,
                email=f"{prefix}.{facility.code}@bench.rutan.invalid",
            )
            users.append(user)
            memberships.append((user, role, facility, None))
    for region in regions:
        user = User(
            username=f"kanwil_{region.code}", full_name=f"Petugas {region.name}", password=password
        )
        users.append(user)
        memberships.append((user, Role.REGIONAL_OFFICER, None, region))
    national = User(username="ditjenpas", full_name="Admin Ditjenpas", password=password)
    users.append(national)
    memberships.append((national, Role.NATIONAL_ADMIN, None, None))
    _bulk(User, users, plan)
    _bulk(
        Membership,
        [Membership(user=u, role=r, facility=f, regional_office=g) for u, r, f, g in memberships],
        plan,
    )


def _name(rng: random.Random, women: bool) -> str:
    given = rng.choice(GIVEN_F if women else GIVEN)
    middle = rng.choice([name for name in GIVEN if name != given])
    return f"{given} {middle} {rng.choice(FAMILY)}"


def _inmates(plan: Plan, facility: Facility, count: int, rng: random.Random, blocks) -> list:
    """Inmates of one facility with their records, derived fields set by the service code."""
    today = facility.today()
    ids = _next_ids(Inmate, count)
    context = _context(facility)
    inmates, periods, verdicts, grants, placements = [], [], [], [], []
    men = [b for b in blocks if b.sex == "L"]
    women_block = next(b for b in blocks if b.sex == "P")
    for number, pk in enumerate(ids, start=1):
        woman = rng.random() < WOMEN_SHARE
        detainee = rng.random() < DETAINEE_SHARE
        category = rng.choices(
            ["pidana_umum", "narkotika", "tipikor", "terorisme", "pidsus_lain"],
            weights=[45, 45, 4, 1, 5],
        )[0]
        if detainee:
            admission = today - datetime.timedelta(days=rng.randint(1, 110))
        else:
            admission = today - datetime.timedelta(days=int(rng.triangular(30, 2500, 300)))
        block = women_block if woman else rng.choice(men)
        inmate = Inmate(
            pk=pk,
            facility=facility,
            registration_number=f"{'AII' if detainee else 'BI'}.{number:05d}/{admission.year}",
            register_type="A.I",
            legal_status="tahanan",
            name=_name(rng, woman),
            sex="P" if woman else "L",
            birth_date=admission - datetime.timedelta(days=rng.randint(18 * 365, 60 * 365)),
            religion=rng.choices(
                ["islam", "kristen", "katolik", "hindu", "buddha"], weights=[80, 10, 5, 3, 2]
            )[0],
            education_level=rng.choice(["sd", "smp", "sma", "sma", "diploma", "sarjana"]),
            case_category=category,
            admission_date=admission,
            block=block,
            status=InmateStatus.ACTIVE,
        )
        own_periods = _warrants(inmate, admission, today, detainee, rng)
        verdict = None if detainee else _verdict(inmate, admission, rng, category)
        own_grants = _remisi(inmate, admission, today, rng) if verdict and verdict.years else []
        inmate._prefetched_objects_cache = {
            "detention_periods": own_periods,
            "remisi_grants": own_grants,
        }
        Inmate.verdict.related.set_cached_value(inmate, verdict)
        _apply_derived(inmate, context)
        if inmate.expected_release_date and inmate.expected_release_date < today:
            inmate.status = InmateStatus.RELEASED
            inmate.released_on = max(inmate.expected_release_date, admission)
            inmate.release_kind = "expiry"
        inmates.append(inmate)
        periods += own_periods
        if verdict:
            verdicts.append(verdict)
        grants += own_grants
        placements.append(
            Placement(
                inmate=inmate,
                facility=facility,
                block=block,
                start_date=admission,
                start_reason=PlacementStart.ADMISSION,
                end_date=inmate.released_on,
                end_reason="release" if inmate.released_on else "",
            )
        )
    return [inmates, periods, verdicts, grants, placements]


def _warrants(inmate, admission, today, detainee, rng) -> list[DetentionPeriod]:
    """The warrants in order (penyidik 20 days, extended 40, penuntut 20 …); a detainee's
    last one runs on past today, a few end within days (the custody alerts)."""
    steps = [
        ("penyidik", "penahanan", 20),
        ("penyidik", "perpanjangan", 40),
        ("penuntut_umum", "penahanan", 20),
        ("penuntut_umum", "perpanjangan", 30),
        ("pengadilan_negeri", "penahanan", 30),
        ("pengadilan_negeri", "perpanjangan", 60),
    ]
    periods, start = [], admission
    for index, (authority, order, days) in enumerate(steps):
        end = start + datetime.timedelta(days=days - 1)
        periods.append(
            DetentionPeriod(
                inmate=inmate,
                authority=authority,
                order=order,
                kind="rutan",
                warrant_number=f"SP.Han/{inmate.registration_number}/{index + 1}",
                warrant_date=start,
                start=start,
                end=end,
            )
        )
        start = end + datetime.timedelta(days=1)
        if detainee and end >= today:
            break
        if not detainee and (index >= 4 or rng.random() < 0.3):
            break
    return periods


def _verdict(inmate, admission, rng, category) -> Verdict:
    final = admission + datetime.timedelta(days=rng.randint(60, 110))
    roll = rng.random()
    if roll < 0.004:
        kind, years, months = "seumur_hidup", 0, 0
    elif roll < 0.006:
        kind, years, months = "mati", 0, 0
    else:
        kind = "penjara"
        years = rng.choices(
            range(0, 16), weights=[6, 14, 14, 10, 9, 12, 8, 6, 5, 4, 3, 2, 2, 2, 1, 1]
        )[0]
        months = rng.randint(0, 11) if years < 10 else 0
        if category == "narkotika" and years < 5:
            years += 4
        if years == 0 and months < 3:
            months = 3
    return Verdict(
        inmate=inmate,
        court="pengadilan_negeri",
        court_name=f"Pengadilan Negeri {inmate.facility.city}",
        number=f"{rng.randint(10, 999)}/Pid.B/{final.year}/PN",
        decided_on=final - datetime.timedelta(days=14),
        final_on=final,
        sentence_kind=kind,
        years=years,
        months=months,
        days=0,
        fine_paid=True,
    )


def _remisi(inmate, admission, today, rng) -> list[RemisiGrant]:
    """Remisi umum each 17 August after six months served, one or two months."""
    grants, year = [], admission.year
    while True:
        day = datetime.date(year, 8, 17)
        if day > today:
            break
        if (day - admission).days >= 180 and rng.random() < 0.8:
            grants.append(
                RemisiGrant(
                    inmate=inmate,
                    kind="umum",
                    decree_number=f"PAS-{rng.randint(100, 999)}.PK.05.04 Tahun {year}",
                    decree_date=day,
                    months=1 if len(grants) < 2 else 2,
                    days=0,
                )
            )
        year += 1
    return grants[:4]


def _programmes(plan: Plan, facilities: list[Facility], rng: random.Random) -> None:
    """Four programmes a facility (one per pillar), weekly sessions over the months asked for,
    twenty participants each, attendance of the last eight weeks and SPPN of last month."""
    programmes = []
    areas = {
        Pillar.values[0]: "keagamaan",
        Pillar.values[1]: "meubel",
        Pillar.values[2]: "napza",
        Pillar.values[3]: "kafe",
    }
    for facility in facilities:
        today = facility.today()
        start = today - datetime.timedelta(days=30 * plan.months)
        for pillar in Pillar.values:
            programmes.append(
                Programme(
                    facility=facility,
                    title=f"{pillar.title()} {facility.city}",
                    pillar=pillar,
                    area=areas.get(pillar, "keagamaan"),
                    capacity=30,
                    start_date=start,
                    status="running",
                )
            )
    _bulk(Programme, programmes, plan)
    active = {}
    for facility_id, pk in Inmate.objects.filter(
        status=InmateStatus.ACTIVE, facility__in=facilities
    ).values_list("facility_id", "pk"):
        active.setdefault(facility_id, []).append(pk)
    sessions, enrolments = [], []
    for programme in programmes:
        facility = programme.facility
        today = facility.today()
        day = programme.start_date
        while day <= today:
            sessions.append(
                Session(
                    programme=programme,
                    date=day,
                    start_time=datetime.time(9, 0),
                    end_time=datetime.time(11, 0),
                    status="scheduled",
                )
            )
            day += datetime.timedelta(days=7)
        pool = active.get(facility.pk, [])
        for inmate_id in rng.sample(pool, min(20, len(pool))):
            enrolments.append(
                Enrolment(
                    programme=programme,
                    inmate_id=inmate_id,
                    status="active",
                    requested_on=programme.start_date,
                    started_on=programme.start_date,
                )
            )
    _bulk(Session, sessions, plan, "sessions")
    _bulk(Enrolment, enrolments, plan, "enrolments")
    by_programme = {}
    for enrolment in enrolments:
        by_programme.setdefault(enrolment.programme_id, []).append(enrolment)
    now = timezone.now()
    attendance, taken = [], []
    for session in sessions:
        today = session.programme.facility.today()
        if session.date > today or (today - session.date).days > 56:
            continue
        taken.append(session.pk)
        for enrolment in by_programme.get(session.programme_id, []):
            present = rng.random() < 0.85
            attendance.append(
                Attendance(
                    session=session,
                    enrolment=enrolment,
                    status="present" if present else "absent",
                    reason="" if present else rng.choice(["sick", "court", "visit"]),
                    recorded_at=now,
                )
            )
    Session.objects.filter(pk__in=taken).update(attendance_taken_at=now)
    _bulk(Attendance, attendance, plan, "attendance")


def _sppn(plan: Plan, facilities: list[Facility], rng: random.Random) -> None:
    heads = dict(
        Membership.objects.filter(role=Role.FACILITY_HEAD, facility__in=facilities).values_list(
            "facility_id", "user_id"
        )
    )
    scores = []
    by_pk = {f.pk: f for f in facilities}
    rows = Inmate.objects.filter(
        status=InmateStatus.ACTIVE, legal_status="narapidana", facility__in=facilities
    ).values_list("pk", "facility_id", "admission_date")
    for pk, facility_id, admission in rows.iterator(chunk_size=20000):
        today = by_pk[facility_id].today()
        month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        if admission > month or rng.random() > 0.85:
            continue  # not admitted yet, or still due (the dashboard's SPPN worklist)
        scores.append(
            BehaviourScore(
                inmate_id=pk,
                facility_id=facility_id,
                assessor_id=heads[facility_id],
                assessed_on=month + datetime.timedelta(days=27),
                month=month,
                status="final",
                kepribadian=rng.randint(55, 95),
                kemandirian=rng.randint(55, 95),
                sikap=rng.randint(55, 95),
                kondisi_mental=rng.randint(55, 95),
            )
        )
    _bulk(BehaviourScore, scores, plan, "SPPN scores")


def seed(plan: Plan) -> dict:
    """Fill an empty database (no inmate yet); answers the bench users and figures."""
    if Inmate.objects.exists():
        raise NotEmpty
    started = time.perf_counter()
    rng = random.Random(plan.seed)
    with rules_cached():
        with transaction.atomic(), _timed(plan, "facilities, blocks and staff"):
            facilities = _facilities(plan, rng)
            counts = _population(plan, facilities, rng)
            _users(plan, facilities, RegionalOffice.objects.filter(code__startswith="kanwil-"))
        blocks = {}
        for block in Block.objects.filter(facility__in=facilities):
            blocks.setdefault(block.facility_id, []).append(block)
        with _timed(plan, f"{plan.inmates:,} inmates with their custody records"):
            done = 0
            pending = [[], [], [], [], []]
            for facility in facilities:
                parts = _inmates(plan, facility, counts[facility.pk], rng, blocks[facility.pk])
                for bucket, rows in zip(pending, parts, strict=True):
                    bucket += rows
                done += counts[facility.pk]
                if len(pending[0]) >= 20000 or facility is facilities[-1]:
                    with transaction.atomic():
                        for model, rows in zip(
                            (Inmate, DetentionPeriod, Verdict, RemisiGrant, Placement),
                            pending,
                            strict=True,
                        ):
                            _bulk(model, rows, plan)
                    pending = [[], [], [], [], []]
                    plan.log(f"    inmates {done:,}/{plan.inmates:,}")
        with transaction.atomic(), _timed(plan, "programmes, sessions, enrolments, attendance"):
            _programmes(plan, facilities, rng)
        with transaction.atomic(), _timed(plan, "SPPN scores of last month"):
            _sppn(plan, facilities, rng)
    with _timed(plan, "statistics (ANALYZE)"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    largest = max((f for f in facilities if f.kind == "rutan"), key=lambda f: counts[f.pk])
    busiest = max(
        RegionalOffice.objects.filter(code__startswith="kanwil-"),
        key=lambda r: sum(1 for f in facilities if f.regional_office_id == r.pk),
    )
    return {
        "facility_head": f"kepala_{largest.code}",
        "regional": f"kanwil_{busiest.code}",
        "national": "ditjenpas",
        "facility": largest.pk,
        "facility_name": largest.name,
        "facility_inmates": counts[largest.pk],
        "seconds": round(time.perf_counter() - started, 1),
    }
