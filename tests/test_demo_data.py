"""The demo data: `make run` loads it, so it is seeded once here and checked whole, then
seeded again to prove the command is idempotent (one seed, not one per app: it takes a
minute and a half on PostgreSQL)."""

import io

from django.core.management import call_command

from assessments.eligibility import evaluate
from partners.models import Signatory
from programmes.models import (
    AssimilationPlacement,
    Attendance,
    Certificate,
    Product,
    Programme,
)
from rutan.accounts.models import User
from rutan.accounts.selectors import head_of
from rutan.facilities.models import RegionalOffice
from rutan.inmates.models import Inmate

USERNAMES = {
    "admin",
    "kanwil",
    "kakanwil",
    "kepala",
    "pembina",
    "psikolog",
    "registrasi",
    "mentor",
    "magang",
    "kepala_ruteng",
    "dpo",
}


def _cafe():
    return AssimilationPlacement.objects.filter(
        workplace__startswith="Kafe", address__contains="Sudirman No. 533"
    ).select_related("inmate", "inmate__facility")


def _counts():
    return (
        Inmate.objects.count(),
        User.objects.count(),
        Programme.objects.count(),
        Attendance.objects.count(),
        _cafe().count(),
    )


def test_seed_demo_loads_the_seeds_once(db):
    call_command("seed_demo", password="uji-demo-123", stdout=io.StringIO())

    assert 280 <= Inmate.objects.count() <= 320
    assert set(User.objects.values_list("username", flat=True)) >= USERNAMES
    assert Inmate.objects.filter(
        facility__code="rutan-balikpapan", block__name="Blok Wanita", sex="P"
    ).exists()
    assert User.objects.get(username="kepala").check_password("uji-demo-123")

    titles = set(Programme.objects.values_list("title", flat=True))
    assert "Pengajian rutin Qonita" in titles and "Pertukangan meubel" in titles
    assert Programme.objects.filter(facility__code="rutan-ruteng", status="finished").count() == 2
    assert Attendance.objects.exists() and Certificate.objects.exists()
    cafe = _cafe()
    assert cafe.count() >= 3
    for placement in cafe:
        # Placed through the service: every real rule passed on the start date.
        assert [c["rule"] for c in placement.checks] == [
            "status",
            "masa_pidana",
            "register_f",
            "sppn",
        ]
        assert all(c["passed"] for c in placement.checks)
        assert evaluate(inmate=placement.inmate, kind="asimilasi", on=placement.start_date).eligible
    assert Product.objects.filter(programme__area="meubel").count() == 5
    qonita = Programme.objects.get(title="Pengajian rutin Qonita")
    assert set(qonita.enrolments.values_list("inmate__sex", flat=True)) == {"P"}
    rehab = Programme.objects.get(area="napza")
    assert rehab.agreement.partner.name.startswith("Yayasan SEKATA")
    assert Programme.objects.get(title="Pertukangan meubel").agreement.partner.name == (
        "Elite Jaya Meubel"
    )

    # One person per office: whoever signs for a facility is its Kepala in the system, who
    # signs its certificates and reports with a NIP; the Kepala Kanwil signs the regional one.
    for signatory in Signatory.objects.filter(side="facility", role="signatory"):
        facility = signatory.agreement.facility
        assert signatory.name == head_of(facility).display_name, signatory
    for certificate in Certificate.objects.all():
        assert certificate.head_name == head_of(certificate.facility).display_name
        assert len(certificate.head_nip) == 18
    assert head_of(RegionalOffice.objects.get(code="kaltim")).username == "kakanwil"

    counts = _counts()
    call_command("seed_demo", password="uji-demo-123", stdout=io.StringIO())
    assert _counts() == counts
