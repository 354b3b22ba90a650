"""Regional offices, facilities of every kind and class, their blocks, and the staff who
sign in: a head, a registry officer, a programme officer and a psychologist per facility
(and a mentor where interns are placed), an officer per Kanwil and one national user."""

import random

from django.utils.text import slugify

from rutan.accounts.models import Membership, User
from rutan.core.roles import Role
from rutan.facilities.models import Block, Facility, RegionalOffice

from .context import ORIENTATION_BLOCK, BlockPlan, FacilityPlan, Seed, apportion
from .people import region_person
from .places import ANCHOR, REGIONS

# Facilities of each kind at national size (Ditjenpas, rounded).
KIND_SHARES = {"rutan": 185, "lapas": 290, "lpka": 33, "lpp": 22}
KIND_LABEL = {"rutan": "Rutan", "lapas": "Lapas", "lpka": "LPKA", "lpp": "LPP"}
CLASS_SHARES = {
    "rutan": {"I": 6, "IIA": 24, "IIB": 70},
    "lapas": {"I": 10, "IIA": 38, "IIB": 42, "III": 10},
    "lpka": {"I": 30, "IIA": 70},
    "lpp": {"IIA": 60, "IIB": 25, "III": 15},
}
CAPACITY = {
    ("rutan", "I"): (450, 900),
    ("rutan", "IIA"): (200, 380),
    ("rutan", "IIB"): (70, 215),
    ("lapas", "I"): (495, 990),
    ("lapas", "IIA"): (270, 505),
    ("lapas", "IIB"): (135, 270),
    ("lapas", "III"): (70, 155),
    ("lpka", "I"): (135, 235),
    ("lpka", "IIA"): (80, 160),
    ("lpp", "IIA"): (135, 270),
    ("lpp", "IIB"): (80, 160),
    ("lpp", "III"): (55, 100),
}
CLASS_RANK = {"I": 0, "IIA": 1, "IIB": 2, "III": 3}
# Magang Nasional places interns mostly in the larger facilities.
INTERN_SHARE = {"I": 0.7, "IIA": 0.5, "IIB": 0.3, "III": 0.15}
# How many of the inmates are held before their verdict, by kind of facility.
DETAINEES = {
    "rutan": (0.40, 0.60),
    "lapas": (0.07, 0.15),
    "lpka": (0.10, 0.20),
    "lpp": (0.10, 0.25),
}
STREETS = [
    "Jenderal Sudirman",
    "Ahmad Yani",
    "Diponegoro",
    "Gatot Subroto",
    "Pemuda",
    "Merdeka",
    "Pahlawan",
    "Imam Bonjol",
    "Hasanuddin",
    "Veteran",
    "Soekarno-Hatta",
    "Pattimura",
    "Pemasyarakatan",
]
WOMEN_BLOCKS = ["Blok Anggrek", "Blok Melati", "Blok Mawar", "Blok Dahlia", "Blok Kenanga"]
# Staff of every facility: (username prefix, role, staff site access).
FACILITY_STAFF = [
    ("kepala", Role.FACILITY_HEAD, True),
    ("registrasi", Role.REGISTRY_OFFICER, True),
    ("pembina", Role.PROGRAMME_OFFICER, False),
    ("psikolog", Role.PSYCHOLOGIST, False),
]
MENTOR = ("mentor", Role.MENTOR, False)
NATIONAL_USERNAME = "nasional"
USER_COLUMNS = (
    "password is_superuser username first_name last_name email is_staff is_active "
    "date_joined full_name phone"
)
MEMBERSHIP_COLUMNS = "user_id role facility_id regional_office_id"


def _regions(count: int):
    """The Kanwil seeded: all 33 at national size, fewer for fewer facilities (about 16
    facilities each), always Kalimantan Timur, where the bench's facility is."""
    wanted = max(1, min(len(REGIONS), round(count / 16)))
    anchor = next(r for r in REGIONS if r.code == ANCHOR["region"])
    others = sorted((r for r in REGIONS if r is not anchor), key=lambda r: -r.facilities)
    chosen = {anchor.code} | {r.code for r in others[: wanted - 1]}
    return [r for r in REGIONS if r.code in chosen]


def _kinds(count: int) -> dict[str, int]:
    """Facilities of each kind in the national proportion; every kind at least once when
    there are enough facilities, and always a Rutan (the bench's facility is one)."""
    kinds = dict(zip(KIND_SHARES, apportion(count, KIND_SHARES.values()), strict=True))
    needed = [k for k in KIND_SHARES if k == "rutan" or count >= len(KIND_SHARES)]
    for kind in needed:
        if kinds[kind] == 0:
            kinds[max(kinds, key=kinds.get)] -= 1
            kinds[kind] += 1
    return kinds


def _kinds_by_region(regions, slots: list[int], kinds: dict[str, int]) -> list[list[str]]:
    """LPKA and LPP one per region, the largest regions first; Rutan and Lapas share the
    rest of each region in the national proportion."""
    placed = [[] for _ in regions]
    by_size = sorted(range(len(regions)), key=lambda i: (-regions[i].facilities, i))
    for kind in ("lpka", "lpp"):
        left = kinds[kind]
        while left:
            free = [i for i in by_size if len(placed[i]) < slots[i]]
            if not free:
                break
            for i in free[:left]:
                placed[i].append(kind)
                left -= 1
    free = [slots[i] - len(placed[i]) for i in range(len(regions))]
    rutans = apportion(min(kinds["rutan"], sum(free)), free)
    for i, rutan in enumerate(rutans):
        placed[i] += ["rutan"] * rutan + ["lapas"] * (free[i] - rutan)
    return placed


def _classes(rng: random.Random, kind: str, count: int) -> list[str]:
    shares = CLASS_SHARES[kind]
    classes = [
        cls
        for cls, n in zip(shares, apportion(count, shares.values()), strict=True)
        for _ in range(n)
    ]
    rng.shuffle(classes)
    return classes


def _code(kind: str, town: str, taken: set[str]) -> str:
    code = slugify(f"{kind}-{town}")[:30].strip("-")
    number = 2
    while code in taken:
        code = f"{slugify(f'{kind}-{town}')[:27].strip('-')}-{number}"
        number += 1
    taken.add(code)
    return code


def _size(seed: Seed) -> float:
    """How the average facility compares with the national one (275,000 inmates in 530
    facilities): capacities scale with it, so that a smaller seed is as overcrowded."""
    return seed.inmates_wanted / seed.facilities_wanted / (275_000 / 530)


def plan_facilities(seed: Seed) -> list[FacilityPlan]:
    """Which facilities exist: kinds, classes and towns per region, then capacity and the
    population each holds (overcrowded as measured: the whole system near 190 %)."""
    rng = seed.rng("plan")
    size = _size(seed)
    regions = _regions(seed.facilities_wanted)
    slots = apportion(seed.facilities_wanted, [r.facilities for r in regions], minimum=1)
    anchor_region = next(i for i, r in enumerate(regions) if r.code == ANCHOR["region"])
    slots[anchor_region] -= 1
    kinds = _kinds(seed.facilities_wanted)
    kinds["rutan"] -= 1
    classes = {k: _classes(rng, k, n) for k, n in kinds.items()}
    taken = {ANCHOR["code"]}
    plans = [
        FacilityPlan(
            code=ANCHOR["code"],
            name=f"Rutan Kelas {ANCHOR['facility_class']} {ANCHOR['city']}",
            kind=ANCHOR["kind"],
            facility_class=ANCHOR["facility_class"],
            region=regions[anchor_region],
            city=ANCHOR["city"],
            address=ANCHOR["address"],
            capacity=max(10, round(ANCHOR["capacity"] * size)),
            has_interns=True,
        )
    ]
    for region, region_kinds in zip(regions, _kinds_by_region(regions, slots, kinds), strict=True):
        specs = sorted(
            ((kind, classes[kind].pop()) for kind in region_kinds),
            key=lambda s: (CLASS_RANK[s[1]], list(KIND_SHARES).index(s[0])),
        )
        used: dict[str, int] = {}
        for kind, cls in specs:
            town = region.towns[used.get(kind, 0) % len(region.towns)]
            used[kind] = used.get(kind, 0) + 1
            low, high = CAPACITY[(kind, cls)]
            plans.append(
                FacilityPlan(
                    has_interns=rng.random() < INTERN_SHARE[cls],
                    code=_code(kind, town, taken),
                    name=f"{KIND_LABEL[kind]} Kelas {cls} {town}",
                    kind=kind,
                    facility_class=cls,
                    region=region,
                    city=town,
                    address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 250)}, {town}",
                    capacity=max(10, round(rng.randint(low, high) * size)),
                )
            )
    _populate(seed, rng, plans)
    return plans


def _populate(seed: Seed, rng: random.Random, plans: list[FacilityPlan]) -> None:
    """Spread the inmates over the facilities by capacity and regional overcrowding; the
    bench's Rutan holds what Rutan Balikpapan holds (scaled to the average facility size),
    and no other Rutan holds more."""
    anchor, others = plans[0], plans[1:]
    anchor.population = min(seed.inmates_wanted, max(1, round(ANCHOR["population"] * _size(seed))))
    weights = []
    for plan in others:
        if plan.kind == "lpka":
            occupancy = rng.uniform(0.5, 0.9)
        else:
            occupancy = rng.uniform(*plan.region.occupancy) * (0.55 if plan.kind == "lpp" else 1)
        weights.append(plan.capacity * occupancy)
    rest = seed.inmates_wanted - anchor.population
    populations = apportion(rest, weights)
    cap = int(anchor.population * 0.95)
    excess = sum(
        max(0, p - cap) for p, f in zip(populations, others, strict=True) if f.kind == "rutan"
    )
    if excess:
        populations = [
            min(p, cap) if f.kind == "rutan" else p
            for p, f in zip(populations, others, strict=True)
        ]
        lapas = [w if f.kind != "rutan" else 0 for w, f in zip(weights, others, strict=True)]
        if sum(lapas):
            populations = [
                p + e for p, e in zip(populations, apportion(excess, lapas), strict=True)
            ]
    for plan, population in zip(others, populations, strict=True):
        plan.population = population
    for plan in plans:
        low, high = DETAINEES[plan.kind]
        plan.detainee_share = rng.uniform(low, high)
        if plan.kind == "lpp":
            plan.women = plan.population
        elif plan is anchor or rng.random() < (0.6 if plan.kind == "lpka" else 0.85):
            share = rng.uniform(0.02, 0.05) if plan.kind == "lpka" else rng.uniform(0.035, 0.07)
            plan.women = round(plan.population * share)


def _block_plans(plan: FacilityPlan) -> list[tuple[str, str, int]]:
    """(name, sex, capacity) of a facility's blocks; their capacities add up to its own."""
    if plan.code == ANCHOR["code"] and plan.capacity == ANCHOR["capacity"]:
        return [
            ("Blok A", "L", 90),
            ("Blok B", "L", 90),
            ("Blok C", "L", 76),
            (ORIENTATION_BLOCK, "L", 20),
            ("Blok Wanita", "P", 30),
        ]
    capacity = plan.capacity
    if plan.kind == "lpp":
        count = max(2, min(len(WOMEN_BLOCKS), capacity // 60))
        parts = apportion(capacity, [1] * count)
        return [(WOMEN_BLOCKS[i], "P", parts[i]) for i in range(count)]
    blocks = []
    if plan.women:
        women = max(10, round(capacity * plan.women / max(1, plan.population)))
        blocks.append(("Blok Wanita", "P", women))
        capacity -= women
    if plan.kind in ("rutan", "lapas") and plan.facility_class in ("I", "IIA"):
        orientation = max(10, capacity // 15)
        blocks.append((ORIENTATION_BLOCK, "L", orientation))
        capacity -= orientation
    count = max(2, min(10, capacity // 90))
    parts = apportion(capacity, [1] * count)
    blocks += [(f"Blok {chr(ord('A') + i)}", "L", parts[i]) for i in range(count)]
    return blocks


def seed_organisation(seed: Seed) -> None:
    seed.facilities = plan_facilities(seed)
    existing_regions = dict(RegionalOffice.objects.values_list("code", "pk"))
    regions = seed.table(RegionalOffice, "code name province", ids=True)
    for region in dict.fromkeys(p.region for p in seed.facilities):
        pk = existing_regions.get(region.code)
        if pk is None:
            pk = regions.next_id()
            regions.add(pk, region.code, region.name, region.province)
        seed.regions[region.code] = pk
    existing = {f.code: f for f in Facility.objects.prefetch_related("blocks")}
    facilities = seed.table(
        Facility,
        "code name kind facility_class regional_office_id address city capacity timezone",
        ids=True,
    )
    blocks = seed.table(Block, "facility_id name sex capacity", ids=True)
    progress = seed.progress("facilities", len(seed.facilities))
    for plan in seed.facilities:
        found = existing.get(plan.code)
        if found is not None:
            plan.pk, plan.name, plan.capacity = found.pk, found.name, found.capacity
            plan.blocks = [BlockPlan(b.pk, b.name, b.sex, b.capacity) for b in found.blocks.all()]
        else:
            plan.pk = facilities.next_id()
            facilities.add(
                plan.pk,
                plan.code,
                plan.name,
                plan.kind,
                plan.facility_class,
                seed.regions[plan.region.code],
                plan.address,
                plan.city,
                plan.capacity,
                plan.timezone,
            )
        if not plan.blocks:
            for name, sex, capacity in _block_plans(plan):
                block = BlockPlan(blocks.next_id(), name, sex, capacity)
                blocks.add(block.pk, plan.pk, block.name, block.sex, block.capacity)
                plan.blocks.append(block)
        progress.advance()
    seed_staff(seed)


class Accounts:
    """Writes users and their one membership; a username already taken is reused as it is."""

    def __init__(self, seed: Seed):
        self.seed = seed
        self.users = seed.table(User, USER_COLUMNS, ids=True, stamped=False)
        self.memberships = seed.table(Membership, MEMBERSHIP_COLUMNS)
        self.existing = dict(User.objects.values_list("username", "pk"))

    def add(self, username, full_name, role, *, facility=None, region=None, staff=False) -> int:
        pk = self.existing.get(username)
        if pk is not None:
            return pk
        pk = self.users.next_id()
        domain = "rutan.invalid"
        self.users.add(
            pk,
            self.seed.password_hash,
            False,
            username,
            "",
            "",
            f"{username.replace('_', '.')}@{domain}",
            staff,
            True,
            self.seed.now,
            full_name,
            "",
        )
        self.memberships.add(pk, role, facility, region)
        return pk


def seed_staff(seed: Seed) -> None:
    accounts = Accounts(seed)
    rng = seed.rng("staff")
    accounts.add(
        NATIONAL_USERNAME, "Direktorat Pembinaan Ditjenpas", Role.NATIONAL_ADMIN, staff=True
    )
    seed.usernames["national"] = NATIONAL_USERNAME
    regions = {p.region.code: p.region for p in seed.facilities}
    for code, region in regions.items():
        username = f"kanwil_{code}"
        accounts.add(
            username, _staff_name(rng, region), Role.REGIONAL_OFFICER, region=seed.regions[code]
        )
        seed.usernames[f"regional:{code}"] = username
    for plan in seed.facilities:
        staff = FACILITY_STAFF + ([MENTOR] if plan.has_interns else [])
        for prefix, role, is_staff in staff:
            username = f"{prefix}_{plan.code}"
            plan.users[role] = accounts.add(
                username, _staff_name(rng, plan.region), role, facility=plan.pk, staff=is_staff
            )
            plan.usernames[role] = username


def _staff_name(rng: random.Random, region) -> str:
    return region_person(rng, region, rng.choice("LP"))[2]
