from assessments.demo import seed_assessments
from assessments.eligibility import evaluate
from partners.demo import seed_partners
from programmes.demo import seed_programmes
from programmes.models import (
    AssimilationPlacement,
    Attendance,
    Certificate,
    Product,
    Programme,
)
from rutan.accounts.demo import seed_organisation
from rutan.core.demo import DemoContext
from rutan.inmates.demo import seed_inmates


def test_demo_programmes_are_seeded_once(db):
    ctx = DemoContext(password="rutan-demo-2026", log=lambda msg: None)
    seed_organisation(ctx)
    seed_inmates(ctx)
    seed_partners(ctx)
    seed_assessments(ctx)
    seed_programmes(ctx)
    titles = set(Programme.objects.values_list("title", flat=True))
    assert "Pengajian rutin Qonita" in titles and "Pertukangan meubel" in titles
    assert Programme.objects.filter(facility__code="rutan-ruteng", status="finished").count() == 2
    assert Attendance.objects.exists() and Certificate.objects.exists()
    cafe = AssimilationPlacement.objects.filter(
        workplace__startswith="Kafe", address__contains="Sudirman No. 533"
    ).select_related("inmate", "inmate__facility")
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
    counts = (Programme.objects.count(), Attendance.objects.count(), cafe.count())
    seed_programmes(ctx)
    assert (Programme.objects.count(), Attendance.objects.count(), cafe.count()) == counts
