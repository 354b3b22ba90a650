"""seed_national: national proportions, deterministic for a seed, stored custody fields equal
to what the services compute, only into an empty database, and the pages work on it."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from rutan.core.nationalseed import DETAINEE_SHARE, KINDS
from rutan.facilities.models import Facility
from rutan.inmates.models import Inmate
from rutan.inmates.services.derived import DERIVED_FIELDS, _apply_derived

ARGS = ["--facilities", "12", "--inmates", "1500", "--months", "2", "--seed", "7"]


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_national", *ARGS, stdout=out)
    return out.getvalue()


def _digest() -> str:
    rows = Inmate.objects.order_by("facility__code", "registration_number").values_list(
        "facility__code", "registration_number", "name", "legal_status", "expected_release_date"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.fixture
def seeded(db):
    return _seed()


def test_the_country_in_proportion(seeded):
    assert "SEED_NATIONAL facility_head=kepala_nas-" in seeded
    inmates = Inmate.objects.all()
    assert inmates.count() == 1500
    detainees = inmates.filter(legal_status="tahanan").count() / 1500
    assert DETAINEE_SHARE - 0.07 < detainees < DETAINEE_SHARE + 0.07
    assert 0.02 < inmates.filter(sex="P").count() / 1500 < 0.12
    facilities = Facility.objects.filter(code__startswith="nas-")
    assert facilities.count() == 12
    assert {f.kind for f in facilities} >= {"rutan", "lapas"}
    assert len({f.timezone for f in facilities}) >= 2
    capacity = sum(f.capacity for f in facilities)
    assert inmates.filter(status="active").count() > capacity  # overcrowded, as measured
    assert inmates.filter(sentence_kind__in=["penjara"]).exists()
    assert inmates.filter(remisi_grants__isnull=False).exists()
    assert len(KINDS) >= 4


def test_stored_custody_fields_are_what_the_services_compute(seeded):
    for inmate in Inmate.objects.select_related("facility").order_by("pk")[::37]:
        stored = {name: getattr(inmate, name) for name in DERIVED_FIELDS}
        fresh = Inmate.objects.select_related("facility").get(pk=inmate.pk)
        _apply_derived(fresh)
        assert {name: getattr(fresh, name) for name in DERIVED_FIELDS} == stored, inmate.pk


def test_only_into_an_empty_database(seeded):
    with pytest.raises(CommandError, match="sudah berisi WBP"):
        _seed()


def test_the_same_seed_gives_the_same_country(db):
    with transaction.atomic():
        _seed()
        first = _digest()
        transaction.set_rollback(True)
    assert not Inmate.objects.exists()
    _seed()
    assert _digest() == first


def test_the_pages_work_on_it(seeded, client):
    from rutan.accounts.models import User

    line = next(line for line in seeded.splitlines() if line.startswith("SEED_NATIONAL"))
    names = dict(part.split("=", 1) for part in line.split()[1:])
    for username in (names["facility_head"], names["regional"], names["national"]):
        client.force_login(User.objects.get(username=username))
        assert client.get("/").status_code == 200
        assert client.get("/wbp/").status_code == 200
