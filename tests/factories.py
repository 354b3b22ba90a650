import datetime
import time

import factory
from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.models import LiteracyAssessment
from rutan.accounts.models import Membership, User
from rutan.accounts.selectors import SecondFactor, second_factor_state
from rutan.accounts.services import api_token_create
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


SENTENCE_KEYS = {
    "register_type",
    "legal_status",
    "sentence_kind",
    "sentence_start",
    "sentence_years",
    "sentence_months",
    "sentence_days",
    "remission_days",
}
DETAINEE_AUTHORITY = {
    "A.I": "penyidik",
    "A.II": "penuntut_umum",
    "A.III": "pengadilan_negeri",
    "A.IV": "pengadilan_tinggi",
    "A.V": "mahkamah_agung",
}


def register_inmate(facility, by, **data):
    """Register an inmate through the services as the registry would: the first warrant,
    then (for a sentenced inmate) the verdict and one remisi grant.

    Takes `inmate_data()`: a sentenced inmate's `sentence_start` becomes a one-day warrant
    on that day and a verdict final on that day, so time served counts from it exactly;
    a detainee (register A.*) gets a 20-day warrant of its authority from admission."""
    from rutan.inmates import services

    sentence = {k: data.pop(k) for k in list(data) if k in SENTENCE_KEYS}
    register = sentence.get("register_type", "B.I")
    start = sentence.get("sentence_start")
    if register in DETAINEE_AUTHORITY or sentence.get("legal_status") == "tahanan" or not start:
        authority = DETAINEE_AUTHORITY.get(register, "penyidik")
        begin = data["admission_date"]
        detention = {
            "authority": authority,
            "warrant_number": f"SP.HAN/{begin:%Y%m%d}",
            "start": begin,
            "end": begin + datetime.timedelta(days=19),
        }
        return services.inmate_create(facility=facility, by=by, detention=detention, **data)
    detention = {
        "authority": "pengadilan_negeri",
        "warrant_number": f"PEN.HAN/{start:%Y%m%d}",
        "start": start,
        "end": start,
    }
    inmate = services.inmate_create(facility=facility, by=by, detention=detention, **data)
    services.verdict_record(
        inmate=inmate,
        by=by,
        court="pengadilan_negeri",
        court_name="Pengadilan Negeri Uji",
        number=f"{inmate.pk}/Pid.B/{start.year}/PN Uji",
        decided_on=start,
        final_on=start,
        sentence_kind=sentence.get("sentence_kind", "penjara"),
        years=sentence.get("sentence_years", 0),
        months=sentence.get("sentence_months", 0),
        days=sentence.get("sentence_days", 0),
    )
    if remisi := sentence.get("remission_days"):
        services.remisi_grant_create(
            inmate=inmate,
            by=by,
            kind="umum",
            decree_number=f"PAS-{inmate.pk}.PK.05.04",
            decree_date=start,
            days=remisi,
        )
    inmate.refresh_from_db()
    return inmate


def identity_data(**overrides) -> dict:
    """`inmate_data()` without the sentence: what the registration form asks for."""
    data = {k: v for k, v in inmate_data().items() if k not in SENTENCE_KEYS}
    data.update(overrides)
    return data


def warrant(**overrides) -> dict:
    """A first warrant: 20 days of penyidik detention in the rutan from 1 January 2025."""
    data = {
        "authority": "penyidik",
        "order": "penahanan",
        "kind": "rutan",
        "warrant_number": "SP.HAN/01/I/2025/Reskrim",
        "warrant_date": datetime.date(2025, 1, 1),
        "start": datetime.date(2025, 1, 1),
        "end": datetime.date(2025, 1, 20),
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


def authenticator(user):
    """The user's confirmed authenticator (TOTP device), made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Ponsel uji", confirmed=True)


def totp_code(device, *, at: float | None = None) -> str:
    """The six digits the device's authenticator app shows at `at` (a Unix time); without
    `at`, the first code not yet used (a code is accepted once, one step early or late)."""
    if at is None:
        device.refresh_from_db()
        step = max(int(time.time() - device.t0) // device.step, device.last_t + 1)
        at = device.t0 + step * device.step + 1
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():0{device.digits}d}"


# Django's own, kept before tests/conftest.py makes `force_login` verify the second factor.
_force_login = ClientMixin.force_login


def password_login(client, user) -> None:
    """Signed in with the password only: the second factor is still owed where due."""
    _force_login(client, user)


def verified_login(client, user) -> None:
    """Signed in completely: password and, where the user has or needs one, the code of
    their authenticator (made for them if they have none yet), as after
    /akun/dua-langkah/verifikasi/. The suite's `force_login` is this (tests/conftest.py)."""
    password_login(client, user)
    if second_factor_state(user) == SecondFactor.OPTIONAL:
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def api_token(user) -> str:
    """A new API token of `user` (the secret, as `/api/v1/auth/token/` answers it)."""
    _instance, token = api_token_create(user=user)
    return token
