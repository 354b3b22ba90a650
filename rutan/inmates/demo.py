"""About 300 synthetic inmates with plausible Indonesian names; no real person is meant."""

import datetime
import random

from rutan.core.demo import DemoContext, seeder

from . import services
from .choices import CaseCategory, EducationLevel, LegalStatus, Religion
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


def _inmate_data(rng: random.Random, sex: str, seq: int, today: datetime.date) -> dict:
    case = rng.choices(list(CaseCategory), weights=[45, 40, 6, 1, 8])[0]
    detainee = rng.random() < 0.2
    if detainee:
        admission = today - datetime.timedelta(days=rng.randint(7, 200))
        register = rng.choice(["A.II", "A.III", "A.IV"])
        sentence = {}
    else:
        years = rng.choice(
            [1, 1, 2, 2, 3, 4, 5, 6, 8] if case == "narkotika" else [0, 1, 1, 2, 2, 3, 4]
        )
        months = rng.choice([0, 0, 3, 6, 8])
        if years == 0 and months == 0:
            months = 10
        total_days = years * 365 + months * 30
        remission = min(rng.choice([0, 0, 30, 60, 90, 120]), total_days // 4)
        effective = total_days - remission
        served = rng.randint(1, effective - 1)
        start = today - datetime.timedelta(days=served)
        admission = start + datetime.timedelta(days=rng.randint(0, min(60, served - 1)))
        register = "B.I" if years >= 1 else "B.IIa"
        sentence = {
            "sentence_start": start,
            "sentence_years": years,
            "sentence_months": months,
            "sentence_days": 0,
            "remission_days": remission,
        }
    birth = admission - datetime.timedelta(days=rng.randint(19 * 365, 58 * 365))
    return {
        "registration_number": f"{register.replace('.', '')}.{seq:04d}/{admission.year}",
        "register_type": register,
        "legal_status": LegalStatus.TAHANAN if detainee else LegalStatus.NARAPIDANA,
        "name": _name(rng, sex),
        "sex": sex,
        "birth_date": birth,
        "religion": rng.choices(list(Religion), weights=[70, 12, 12, 1, 1, 1, 3])[0],
        "education_level": rng.choices(list(EducationLevel), weights=[8, 30, 28, 28, 3, 3, 0])[0],
        "case_category": case,
        "admission_date": admission,
        **sentence,
    }


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
            services.inmate_create(facility=facility, by=admin, **data)
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
            facility=balikpapan, sex="L", admission_date__lt=today - datetime.timedelta(days=40)
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
