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
    seed_programmes(ctx)
    titles = set(Programme.objects.values_list("title", flat=True))
    assert "Pengajian rutin Qonita" in titles and "Pertukangan meubel" in titles
    assert Programme.objects.filter(facility__code="rutan-ruteng", status="finished").count() == 2
    assert Attendance.objects.exists() and Certificate.objects.exists()
    assert AssimilationPlacement.objects.filter(
        workplace__startswith="Kafe", address__contains="Sudirman No. 533"
    ).exists()
    assert Product.objects.filter(programme__area="meubel").count() == 5
    qonita = Programme.objects.get(title="Pengajian rutin Qonita")
    assert set(qonita.enrolments.values_list("inmate__sex", flat=True)) == {"P"}
    counts = (Programme.objects.count(), Attendance.objects.count())
    seed_programmes(ctx)
    assert (Programme.objects.count(), Attendance.objects.count()) == counts
