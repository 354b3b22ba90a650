import datetime

import factory

from assessments.models import LiteracyAssessment
from rutan.accounts.models import Membership, User
from rutan.core.models import LiteracyLevel
from rutan.core.roles import Role
from rutan.facilities.models import Block, Facility, RegionalOffice


class RegionalOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalOffice
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"kanwil-{n}")
    name = factory.Sequence(lambda n: f"Kanwil Ditjenpas Uji {n}")


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"upt-{n}")
    name = factory.Sequence(lambda n: f"Rutan Kelas IIB Uji {n}")
    kind = "rutan"
    facility_class = "IIB"
    regional_office = factory.SubFactory(RegionalOfficeFactory)
    capacity = 100
    timezone = "Asia/Makassar"


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block
        django_get_or_create = ("facility", "name")

    facility = factory.SubFactory(FacilityFactory)
    name = factory.Sequence(lambda n: f"Blok {n}")
    sex = "L"
    capacity = 50


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Petugas Uji {n}")
    password = factory.django.Password("sandi-uji-123")


def member(role: Role, *, facility=None, regional_office=None, staff=False, username=None):
    """A user with one membership."""
    kwargs = {"is_staff": staff}
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    Membership.objects.create(
        user=user, role=role, facility=facility, regional_office=regional_office
    )
    return user


def inmate_data(**overrides) -> dict:
    """Valid register data for a sentenced man; override what the test is about."""
    data = {
        "registration_number": "BI.0001/2025",
        "register_type": "B.I",
        "legal_status": "narapidana",
        "name": "Budi Santoso",
        "sex": "L",
        "birth_date": datetime.date(1990, 5, 17),
        "religion": "islam",
        "education_level": "sma",
        "case_category": "pidana_umum",
        "admission_date": datetime.date(2025, 1, 10),
        "sentence_start": datetime.date(2025, 1, 1),
        "sentence_years": 3,
        "sentence_months": 0,
        "sentence_days": 0,
        "remission_days": 5,
    }
    data.update(overrides)
    return data


def literacy_level(code: str) -> LiteracyLevel:
    """A level seeded by migration core/0004, e.g. "paket_b" (Latin) or "quran_iqra"."""
    return LiteracyLevel.objects.get(code=code)


class LiteracyAssessmentFactory(factory.django.DjangoModelFactory):
    """A final literacy assessment written straight to the table, for tests of reads.

    Pass `inmate` and `assessor`; `level` defaults to the lowest level of `script`.
    """

    class Meta:
        model = LiteracyAssessment

    facility = factory.SelfAttribute("inmate.facility")
    assessed_on = factory.LazyFunction(datetime.date.today)
    script = "latin"
    level = factory.LazyAttribute(
        lambda o: LiteracyLevel.objects.filter(script=o.script).order_by("rank").first()
    )
    reading_score = 50
    writing_score = 50
    numeracy_score = 50
    status = "final"
