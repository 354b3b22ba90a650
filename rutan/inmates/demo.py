"""About 300 synthetic inmates with plausible Indonesian names; no real person is meant."""

import datetime
import random

from django.core.exceptions import ValidationError

from rutan.core.demo import DemoContext, seeder

from . import services
from .choices import CaseCategory, EducationLevel, Religion
from .models import Inmate

MALE = [
    "Ahmad",
    "Budi",
    "Candra",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hendra",
    "Imam",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nanda",
    "Oki",
    "Putra",
    "Rizky",
    "Slamet",
    "Taufik",
    "Umar",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Arif",
    "Bayu",
    "Dimas",
    "Fikri",
    "Hadi",
    "Irfan",
    "Rudi",
    "Sandi",
    "Teguh",
    "Agustinus",
    "Yosef",
    "Markus",
    "Kornelis",
    "Stefanus",
    "Paulus",
    "Benediktus",
    "Vinsensius",
]
FEMALE = [
    "Ani",
    "Rina",
    "Sari",
    "Dewi",
    "Fitri",
    "Indah",
    "Lina",
    "Maya",
    "Nia",
    "Putri",
    "Ratna",
    "Sinta",
    "Tuti",
    "Wulan",
    "Yuni",
    "Maria",
    "Elisabet",
    "Theresia",
]
FAMILY = [
    "Saputra",
    "Wijaya",
    "Pratama",
    "Hidayat",
    "Santoso",
    "Nugroho",
    "Kusuma",
    "Setiawan",
    "Gunawan",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Rahman",
    "Syahputra",
    "Permana",
    "Firmansyah",
    "Hakim",
    "Baso",
    "Daeng",
    "Latif",
    "Mahmud",
    "Jehadu",
    "Nggarang",
    "Ndruru",
    "Jelahu",
    "Nabit",
    "Ompusunggu",
    "Panjaitan",
    "Sembiring",
]

PLAN = [("rutan-balikpapan", 215, 24), ("rutan-ruteng", 85, 8)]


def _name(rng: random.Random, sex: str) -> str:
    first = rng.choice(FEMALE if sex == "P" else MALE)
    return f"{first} {rng.choice(FAMILY)}"


# The usual chain of warrants before a verdict: (authority, order, days).
CHAIN = [
    ("penyidik", "penahanan", 20),
    ("penyidik", "perpanjangan", 40),
    ("penuntut_umum", "penahanan", 20),
    ("penuntut_umum", "perpanjangan", 30),
    ("pengadilan_negeri", "penahanan", 30),
    ("pengadilan_negeri", "perpanjangan", 60),
    ("pengadilan_tinggi", "penahanan", 30),
    ("pengadilan_tinggi", "perpanjangan", 60),
]


def _warrants(rng: random.Random, first_day: datetime.date, until: datetime.date) -> list[dict]:
    """Consecutive warrants from `first_day` until they cover `until` (or the chain ends)."""
    warrants, day = [], first_day
    for number, (authority, order, days) in enumerate(CHAIN, start=1):
        if day > until:
            break
        end = day + datetime.timedelta(days=days - 1)
        warrants.append(
            {
                "authority": authority,
                "order": order,
                "kind": "rutan",
                "warrant_number": f"SP.HAN/{number:02d}/{rng.randint(100, 999)}/{day.year}",
                "warrant_date": day,
                "start": day,
                "end": end,
            }
        )
        day = end + datetime.timedelta(days=1)
    return warrants


def _inmate_data(rng: random.Random, sex: str, seq: int, today: datetime.date) -> dict:
    """Identity and the custody story of one synthetic inmate (warrants, verdict, remisi)."""
    case = rng.choices(list(CaseCategory), weights=[45, 40, 6, 1, 8])[0]
    detainee = rng.random() < 0.2
    if detainee:
        first_day = today - datetime.timedelta(days=rng.randint(7, 200))
        warrants = _warrants(rng, first_day, today)
        verdict = None
    else:
        years = rng.choice(
            [1, 1, 2, 2, 3, 4, 5, 6, 8] if case == "narkotika" else [0, 1, 1, 2, 2, 3, 4]
        )
        months = rng.choice([0, 0, 3, 6, 8])
        if years == 0 and months == 0:
            months = 10
        term_days = years * 365 + months * 30
        served = rng.randint(90, max(91, term_days - 100))
        first_day = today - datetime.timedelta(days=served)
        pre_trial = rng.randint(60, 140)
        final_on = min(first_day + datetime.timedelta(days=pre_trial), today)
        warrants = _warrants(rng, first_day, final_on - datetime.timedelta(days=1))
        decided_on = final_on - datetime.timedelta(days=rng.choice([0, 7, 8, 14]))
        verdict = {
            "court": "pengadilan_negeri",
            "number": f"{rng.randint(10, 480)}/Pid.{'Sus' if case != 'pidana_umum' else 'B'}/"
            f"{decided_on.year}/PN",
            "decided_on": max(decided_on, first_day),
            "final_on": final_on,
            "sentence_kind": "penjara",
            "years": years,
            "months": months,
            "days": 0,
        }
        if case == "narkotika" and years >= 4:
            verdict.update(fine=800_000_000, substitute_months=rng.choice([3, 6]))
    admission = warrants[0]["start"] + datetime.timedelta(days=rng.choice([0, 0, 1, 2]))
    birth = admission - datetime.timedelta(days=rng.randint(19 * 365, 58 * 365))
    prefix = "A" if detainee else "B"
    return {
        "registration_number": f"{prefix}.{seq:04d}/{admission.year}",
        "name": _name(rng, sex),
        "sex": sex,
        "birth_date": birth,
        "religion": rng.choices(list(Religion), weights=[70, 12, 12, 1, 1, 1, 3])[0],
        "education_level": rng.choices(list(EducationLevel), weights=[8, 30, 28, 28, 3, 3, 0])[0],
        "case_category": case,
        "admission_date": min(admission, today),
        "_warrants": warrants,
        "_verdict": verdict,
    }


def _remisi(rng: random.Random, inmate: Inmate, today: datetime.date) -> list[dict]:
    """Remisi umum on each 17 August after six months served (1 month the first year,
    2 after that), as the decree would grant them."""
    grants, year = [], inmate.sentence_start.year
    while True:
        day = datetime.date(year, 8, 17)
        year += 1
        if day > today:
            break
        served = (day - inmate.sentence_start).days
        if day <= inmate.verdict.decided_on or served < 183:
            continue
        months = 1 if served < 365 else 2
        grants.append(
            {
                "kind": "umum",
                "decree_number": f"PAS-{rng.randint(100, 999)}.PK.05.04 Tahun {day.year}",
                "decree_date": day,
                "months": months,
            }
        )
    return grants


def _register(facility, admin, data: dict, rng: random.Random, today: datetime.date) -> Inmate:
    warrants, verdict = data.pop("_warrants"), data.pop("_verdict")
    inmate = services.inmate_create(facility=facility, by=admin, detention=warrants[0], **data)
    for warrant in warrants[1:]:
        services.detention_add(inmate=inmate, by=admin, **warrant)
    if verdict is None:
        return inmate
    inmate = services.verdict_record(
        inmate=inmate, by=admin, court_name=f"Pengadilan Negeri {facility.city}", **verdict
    ).inmate
    for grant in _remisi(rng, inmate, today):
        try:
            services.remisi_grant_create(inmate=inmate, by=admin, **grant)
        except ValidationError:
            break  # the ledger may never reach the sentence
    inmate.refresh_from_db()
    if inmate.expected_release_date and inmate.expected_release_date < today:
        # Remisi brought the release into the past: the registry released them that day.
        services.inmate_release(
            inmate=inmate, on=max(inmate.expected_release_date, inmate.admission_date), by=admin
        )
    return inmate


@seeder(order=20)
def seed_inmates(ctx: DemoContext) -> None:
    admin = ctx.data["users"]["admin"]
    created = 0
    for code, count, women in PLAN:
        facility = ctx.data["facilities"][code]
        today = facility.today()
        rng = random.Random(f"rutan-demo-{code}")
        blocks = {b.name: b for b in facility.blocks.all()}
        men_blocks = [b for b in blocks.values() if b.sex == "L" and b.name != "Blok Mapenaling"]
        if Inmate.objects.filter(facility=facility).exists():
            continue
        for seq in range(1, count + 1):
            sex = "P" if seq <= women else "L"
            data = _inmate_data(rng, sex, seq, today)
            data["block"] = blocks["Blok Wanita"] if sex == "P" else rng.choice(men_blocks)
            _register(facility, admin, data, rng, today)
            created += 1
    if created:
        _history(ctx, admin, ctx.data["facilities"]["rutan-balikpapan"].today())
    ctx.log(f"{created} WBP baru (total {Inmate.objects.count()})")


def _history(ctx: DemoContext, admin, today: datetime.date) -> None:
    """Give a few inmates a history: block moves, transfers and releases."""
    balikpapan = ctx.data["facilities"]["rutan-balikpapan"]
    ruteng = ctx.data["facilities"]["rutan-ruteng"]
    rng = random.Random("rutan-demo-history")
    men = list(
        Inmate.objects.filter(
            facility=balikpapan,
            sex="L",
            status="active",
            admission_date__lt=today - datetime.timedelta(days=40),
        ).order_by("id")[:60]
    )
    mapenaling = balikpapan.blocks.get(name="Blok Mapenaling")
    for inmate in men[:6]:
        services.inmate_move_block(
            inmate=inmate,
            block=mapenaling,
            on=inmate.admission_date + datetime.timedelta(days=3),
            by=admin,
        )
        inmate.refresh_from_db()
        others = balikpapan.blocks.filter(sex="L").exclude(pk=mapenaling.pk)
        services.inmate_move_block(
            inmate=inmate,
            block=rng.choice(list(others)),
            on=inmate.admission_date + datetime.timedelta(days=30),
            by=admin,
        )
    for number, inmate in enumerate(men[6:9], start=901):
        services.inmate_transfer(
            inmate=inmate,
            to_facility=ruteng,
            on=today - datetime.timedelta(days=20),
            block=ruteng.blocks.get(name="Blok A"),
            by=admin,
            registration_number=f"{inmate.register_type.replace('.', '')}.{number:04d}/T",
            note="Demo: pemindahan atas permintaan keluarga",
        )
    for inmate in men[9:14]:
        services.inmate_release(
            inmate=inmate,
            on=today - datetime.timedelta(days=10),
            kind="pembebasan_bersyarat",
            by=admin,
        )
