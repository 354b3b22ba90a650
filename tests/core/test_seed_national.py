"""seed_national: a small national seed (6 facilities, 900 inmates, 2 months) is loaded three
times in one transaction: twice with one seed (kept the second time) and once with another."""

import hashlib
import importlib
import io
import re

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum

from assessments.models import BehaviourScore, LiteracyAssessment
from interns.models import ActivityLog
from partners.models import Agreement, Guarantee
from partners.validators import validate_nik
from programmes.models import Attendance, Enrolment, Session
from rutan.accounts.models import Membership, User
from rutan.facilities.models import Block, Facility, FacilityKind
from rutan.inmates.models import DetentionPeriod, Inmate, Placement, RemisiGrant, Verdict
from rutan.inmates.services import DERIVED_FIELDS, inmates_recompute_stages, rules_cached
from rutan.nationalseed import default_today
from tests.conftest import _DATA_MIGRATIONS

SMALL = ["--facilities", "6", "--inmates", "900", "--months", "2"]
INMATE = "inmate__facility__code", "inmate__registration_number"

# What the data says, by natural keys (ids differ between runs: sequences are not rolled back).
DIGEST = [
    (Facility, ["code", "name", "kind", "facility_class", "capacity", "timezone"]),
    (Block, ["facility__code", "name", "sex", "capacity"]),
    (Membership, ["user__username", "user__full_name", "role", "facility__code"]),
    (
        Inmate,
        ["facility__code", "registration_number", "name", "sex", "birth_date", "religion"]
        + ["case_article", "admission_date", "block__name", "status", "released_on"]
        + DERIVED_FIELDS,
    ),
    (DetentionPeriod, [*INMATE, "authority", "order", "kind", "warrant_number", "start", "end"]),
    (Verdict, [*INMATE, "number", "final_on", "sentence_kind", "years", "months", "fine"]),
    (RemisiGrant, [*INMATE, "kind", "decree_number", "decree_date", "months", "days"]),
    (Placement, [*INMATE, "facility__code", "block__name", "start_date", "end_date"]),
    (Agreement, ["facility__code", "number", "status", "valid_from", "valid_to"]),
    (Guarantee, [*INMATE, "guarantor_kind", "name", "nik", "partner__name"]),
    (Session, ["programme__facility__code", "programme__title", "date", "start_time", "status"]),
    (Enrolment, ["programme__title", *INMATE, "status", "started_on", "ended_on"]),
    (
        Attendance,
        ["session__programme__title", "session__date", "session__start_time"]
        + ["enrolment__inmate__registration_number", "status", "reason"],
    ),
    (BehaviourScore, [*INMATE, "month", "kepribadian", "sikap"]),
    (LiteracyAssessment, [*INMATE, "script", "level__code", "reading_score"]),
    (ActivityLog, ["intern__user__username", "on", "log_type", "status", "client_key"]),
]


def digest() -> str:
    sha = hashlib.sha256()
    for model, fields in DIGEST:
        for row in model.objects.order_by(*fields).values_list(*fields):
            sha.update(repr(row).encode())
    return sha.hexdigest()


def seed(*args) -> dict:
    out = io.StringIO()
    call_command("seed_national", *SMALL, *args, stdout=out)
    line = re.search(r"^SEED_NATIONAL (.*)$", out.getvalue(), re.MULTILINE).group(1)
    return dict(pair.split("=") for pair in line.split())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed kept for the module's tests, with the digests of the three runs."""
    today = str(default_today())
    digests = {}
    with django_db_blocker.unblock(), transaction.atomic():
        # An earlier transactional test in this worker may have flushed the rules the data
        # migrations load (stage rules, credits…): load them again, as tests/conftest does.
        for module, func in _DATA_MIGRATIONS:
            getattr(importlib.import_module(module), func)(apps, None)
        for name, number in (("first", "7"), ("other", "8")):
            with transaction.atomic():
                seed("--seed", number, "--today", today)
                digests[name] = digest()
                transaction.set_rollback(True)
        printed = seed("--seed", "7", "--today", today)
        digests["again"] = digest()
        yield printed, digests
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_same_seed_gives_the_same_data(seeded):
    _printed, digests = seeded
    assert digests["first"] == digests["again"]
    assert digests["first"] != digests["other"]


def test_national_proportions(seeded):
    active = Inmate.objects.filter(status="active")
    assert active.count() == 900
    assert {f.kind for f in Facility.objects.all()} == set(FacilityKind.values)
    assert 0.15 <= active.filter(legal_status="tahanan").count() / 900 <= 0.35
    assert 0.03 <= active.filter(sex="P").count() / 900 <= 0.15
    capacity = Facility.objects.aggregate(total=Sum("capacity"))["total"]
    assert active.count() / capacity > 1.3, "overcrowded, as measured"
    assert Inmate.objects.filter(status="released").exists()
    assert Verdict.objects.filter(sentence_kind="penjara").exists()
    assert DetentionPeriod.objects.values("authority").distinct().count() >= 4
    niks = list(Guarantee.objects.exclude(nik="").values_list("nik", flat=True))
    assert niks
    for nik in niks:
        validate_nik(nik)


def test_stored_custody_copies_are_what_the_services_store(seeded):
    fields = ["pk", *DERIVED_FIELDS]
    before = list(Inmate.objects.order_by("pk").values_list(*fields))
    with rules_cached():
        assert inmates_recompute_stages() == len(before)
    assert list(Inmate.objects.order_by("pk").values_list(*fields)) == before


def test_a_database_with_inmates_is_refused(seeded):
    with pytest.raises(CommandError, match="empty database"):
        call_command("seed_national", "--facilities", "2", "--inmates", "10")


def test_pages_render_for_the_printed_users(seeded, client):
    printed, _digests = seeded
    facility = Facility.objects.get(pk=printed["facility"])
    assert facility.name == "Rutan Kelas IIA Balikpapan"
    inmate = Inmate.objects.filter(facility=facility, status="active").order_by("pk").first()
    pages = {
        printed["facility_head"]: ["/", "/wbp/", f"/upt/{facility.pk}/", f"/wbp/{inmate.pk}/"],
        printed["regional"]: ["/", "/wbp/", "/dasbor/upt/"],
        printed["national"]: ["/", "/upt/"],
    }
    for username, urls in pages.items():
        client.force_login(User.objects.get(username=username))
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
