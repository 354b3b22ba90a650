import importlib
import itertools
from unittest import mock

import pytest
from django.apps import apps
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test.client import ClientMixin

from rutan.core.roles import Role
from tests.factories import (
    BlockFactory,
    FacilityFactory,
    RegionalOfficeFactory,
    inmate_data,
    member,
    register_inmate,
    verified_login,
)

_numbers = itertools.count(1)


@pytest.fixture(autouse=True, scope="session")
def _flush_past_audit_trigger():
    """A test that commits ends with a flush (TRUNCATE of every table), which the audit
    table's trigger refuses; the test database's superuser flushes in replica mode, where
    ordinary triggers do not fire (only a superuser may do so)."""
    flush = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            flush(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")

    with mock.patch.object(DatabaseOperations, "execute_sql_flush", execute_sql_flush):
        yield


# Rows that data migrations create. A test that commits (live server, threads) ends with a
# flush that removes them, so every database test puts them back the way the migration does.
_DATA_MIGRATIONS = [
    ("rutan.core.migrations.0004_literacy_levels", "forwards"),
    ("rutan.inmates.migrations.0002_national_stage_rules", "forwards"),
    ("rutan.inmates.migrations.0004_custody_rules", "seed_rules"),
    # 0004 supersedes the rows of 0002 (whose columns 0005 removed).
    ("assessments.migrations.0007_national_rights_rules", "seed_rights"),
    ("partners.migrations.0002_daily_schedules", "create_schedules"),
    ("interns.migrations.0002_auto_approve_schedule", "create_schedule"),
    ("rutan.inmates.migrations.0006_custody_alert_schedule", "create_schedule"),
    ("rutan.inmates.migrations.0011_anonymise_schedule", "create_schedule"),
    ("rutan.core.migrations.0008_facility_change", "create_schedule"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """No cached figure outlives its test (the database it was computed from is rolled back)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _migrated_rows(request):
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    for module, func in _DATA_MIGRATIONS:
        getattr(importlib.import_module(module), func)(apps, None)


@pytest.fixture(autouse=True)
def _force_login_verifies(monkeypatch):
    """`client.force_login(user)` in this suite signs in completely: password and, for a user
    whose role requires it (TWO_FACTOR_REQUIRED is on in the test settings), the second
    factor. Tests of the second factor itself sign in with `tests.factories.password_login`
    (the password only) and enter real codes (tests/accounts/)."""

    monkeypatch.setattr(ClientMixin, "force_login", verified_login)


@pytest.fixture
def kaltim(db):
    return RegionalOfficeFactory(code="kaltim", name="Kanwil Ditjenpas Kalimantan Timur")


@pytest.fixture
def ntt(db):
    return RegionalOfficeFactory(code="ntt", name="Kanwil Ditjenpas Nusa Tenggara Timur")


@pytest.fixture
def balikpapan(kaltim):
    facility = FacilityFactory(
        code="rutan-balikpapan",
        name="Rutan Kelas IIA Balikpapan",
        facility_class="IIA",
        regional_office=kaltim,
    )
    BlockFactory(facility=facility, name="Blok A", sex="L")
    BlockFactory(facility=facility, name="Blok B", sex="L")
    BlockFactory(facility=facility, name="Blok Wanita", sex="P")
    return facility


@pytest.fixture
def ruteng(ntt):
    facility = FacilityFactory(
        code="rutan-ruteng", name="Rutan Kelas IIB Ruteng", regional_office=ntt
    )
    BlockFactory(facility=facility, name="Blok A", sex="L")
    return facility


@pytest.fixture
def national_admin(db):
    return member(Role.NATIONAL_ADMIN, staff=True, username="direktorat")


@pytest.fixture
def kepala(balikpapan):
    return member(Role.FACILITY_HEAD, facility=balikpapan, staff=True, username="kepala")


@pytest.fixture
def registrasi(balikpapan):
    return member(Role.REGISTRY_OFFICER, facility=balikpapan, staff=True, username="registrasi")


@pytest.fixture
def pembina(balikpapan):
    return member(Role.PROGRAMME_OFFICER, facility=balikpapan, username="pembina")


@pytest.fixture
def magang(balikpapan):
    return member(Role.INTERN, facility=balikpapan, username="magang")


@pytest.fixture
def kanwil(kaltim, balikpapan):
    return member(Role.REGIONAL_OFFICER, regional_office=kaltim, username="kanwil")


@pytest.fixture
def kepala_ruteng(ruteng):
    return member(Role.FACILITY_HEAD, facility=ruteng, staff=True, username="kepala_ruteng")


@pytest.fixture
def make_inmate(national_admin):
    """Register an inmate through the service (as staff would)."""

    def make(facility, **overrides):
        n = next(_numbers)
        overrides.setdefault("registration_number", f"BI.{n:04d}/2025")
        overrides.setdefault(
            "block", facility.blocks.filter(sex=overrides.get("sex", "L")).order_by("name").first()
        )
        return register_inmate(facility, national_admin, **inmate_data(**overrides))

    return make


# The longest modules (by `pytest --durations`), started first: `--dist loadscope` hands
# modules out in collection order, and these, collected last, left one worker running
# for minutes after the other had finished.
LONGEST_FIRST = (
    "tests/test_api_schemathesis.py",
    "tests/browser/test_import_journeys.py",
    "tests/test_demo_data.py",
    "tests/core/test_read_audit.py",
    "tests/core/test_backup.py",
    "tests/core/test_beat.py",
    "tests/imports/test_register.py",
)


def pytest_collection_modifyitems(session, config, items):
    rank = {path: index for index, path in enumerate(LONGEST_FIRST)}

    def key(item):
        path = item.nodeid.split("::", 1)[0]
        return rank.get(path, len(rank))

    items.sort(key=key)  # stable: every other module keeps its order
