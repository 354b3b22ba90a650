"""Demo regional offices, facilities, blocks and users.

Facts about the institutions come from the shared seeds; every person is invented.
"""

from rutan.core.demo import DemoContext, seeder
from rutan.core.roles import Role
from rutan.facilities.models import Block, Facility, RegionalOffice

from .models import Membership, User

# code, name, province, the city the office sits in (the province's capital)
REGIONS = [
    ("kaltim", "Kanwil Ditjenpas Kalimantan Timur", "Kalimantan Timur", "Samarinda"),
    ("ntt", "Kanwil Ditjenpas Nusa Tenggara Timur", "Nusa Tenggara Timur", "Kupang"),
]

FACILITIES = [
    {
        "code": "rutan-balikpapan",
        "name": "Rutan Kelas IIA Balikpapan",
        "kind": "rutan",
        "facility_class": "IIA",
        "region": "kaltim",
        "city": "Balikpapan",
        "address": "Jl. Jenderal Sudirman No. 533, Kelurahan Damai Bahagia, "
        "Kecamatan Balikpapan Selatan, Kota Balikpapan",
        "capacity": 300,
        "timezone": "Asia/Makassar",
        "blocks": [
            ("Blok A", "L", 90),
            ("Blok B", "L", 90),
            ("Blok C", "L", 70),
            ("Blok Mapenaling", "L", 20),
            ("Blok Wanita", "P", 30),
        ],
    },
    {
        "code": "rutan-ruteng",
        "name": "Rutan Kelas IIB Ruteng",
        "kind": "rutan",
        "facility_class": "IIB",
        "region": "ntt",
        "city": "Ruteng",
        "address": "Ruteng, Kabupaten Manggarai, Nusa Tenggara Timur",
        "capacity": 120,
        "timezone": "Asia/Makassar",
        "blocks": [("Blok A", "L", 50), ("Blok B", "L", 50), ("Blok Wanita", "P", 20)],
    },
]

# username, full name (invented), role, facility code or region code, staff site access
USERS = [
    ("admin", "Admin Ditjenpas", Role.NATIONAL_ADMIN, None, True),
    ("kanwil", "Rahmat Hidayatullah", Role.REGIONAL_OFFICER, "region:kaltim", False),
    ("kakanwil", "Hendra Wicaksono", Role.REGIONAL_HEAD, "region:kaltim", False),
    ("kepala", "Bambang Sutrisno", Role.FACILITY_HEAD, "rutan-balikpapan", True),
    ("pembina", "Dewi Lestari Anggraini", Role.PROGRAMME_OFFICER, "rutan-balikpapan", False),
    ("psikolog", "Nurul Fadhilah", Role.PSYCHOLOGIST, "rutan-balikpapan", False),
    ("registrasi", "Yohanes Pakpahan", Role.REGISTRY_OFFICER, "rutan-balikpapan", True),
    ("mentor", "Siti Marlina", Role.MENTOR, "rutan-balikpapan", False),
    ("magang", "Andi Prasetyo", Role.INTERN, "rutan-balikpapan", False),
    ("kepala_ruteng", "Fransiskus Jehadun", Role.FACILITY_HEAD, "rutan-ruteng", True),
    ("dpo", "Ratna Kusumawardani", Role.DATA_PROTECTION_OFFICER, "rutan-balikpapan", False),
]

# The (invented) NIP of the staff who sign documents: reports, certificates, logbooks.
NIPS = {
    "kakanwil": "197003011995031004",
    "kepala": "197805122003121002",
    "kepala_ruteng": "198011172005011003",
    "mentor": "198504102010012003",
    "pembina": "198709232011012004",
}


@seeder(order=10)
def seed_organisation(ctx: DemoContext) -> None:
    regions = {}
    for code, name, province, city in REGIONS:
        regions[code], _ = RegionalOffice.objects.get_or_create(
            code=code, defaults={"name": name, "province": province, "city": city}
        )
    facilities = {}
    for spec in FACILITIES:
        facility, _ = Facility.objects.get_or_create(
            code=spec["code"],
            defaults={
                k: spec[k]
                for k in (
                    "name",
                    "kind",
                    "facility_class",
                    "city",
                    "address",
                    "capacity",
                    "timezone",
                )
            }
            | {"regional_office": regions[spec["region"]]},
        )
        for name, sex, capacity in spec["blocks"]:
            Block.objects.get_or_create(
                facility=facility, name=name, defaults={"sex": sex, "capacity": capacity}
            )
        facilities[spec["code"]] = facility
    ctx.data["regions"] = regions
    ctx.data["facilities"] = facilities
    ctx.log(f"{len(regions)} Kanwil, {len(facilities)} UPT")

    users = {}
    for username, full_name, role, where, staff in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "is_staff": staff,
                "is_superuser": username == "admin",
                "email": f"{username}@rutan.invalid",
                "nip": NIPS.get(username, ""),
            },
        )
        if created or not user.has_usable_password() or ctx.password:
            user.set_password(ctx.password)
            user.save(update_fields=["password"])
        scope = {"facility": None, "regional_office": None}
        if where and where.startswith("region:"):
            scope["regional_office"] = regions[where.split(":", 1)[1]]
        elif where:
            scope["facility"] = facilities[where]
        Membership.objects.get_or_create(user=user, role=role, **scope)
        users[username] = user
    ctx.data["users"] = users
    ctx.log(f"{len(users)} pengguna demo")
