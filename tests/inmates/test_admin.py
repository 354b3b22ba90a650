import datetime

from django.urls import reverse

from rutan.core.models import AuditEntry
from rutan.inmates.models import Inmate, Placement
from tests.factories import identity_data


def test_admin_add_goes_through_the_service(client, kepala, balikpapan, ruteng):
    client.force_login(kepala)
    url = reverse("admin:inmates_inmate_add")
    form = client.get(url).content.decode()
    # Only the user's own facility is offered.
    assert balikpapan.name in form and ruteng.name not in form
    response = client.post(
        url,
        {
            "name": "Teguh Saputra",
            "sex": "L",
            "birth_date": "1988-02-03",
            "religion": "islam",
            "education_level": "sma",
            "facility": balikpapan.pk,
            "registration_number": "AII.0500/2025",
            "admission_date": "2025-02-01",
            "block": balikpapan.blocks.get(name="Blok A").pk,
            "case_category": "pidana_umum",
            "case_article": "",
            "detention_authority": "penuntut_umum",
            "detention_order": "penahanan",
            "detention_kind": "rutan",
            "detention_warrant_number": "PRINT-12/O.4.10/2025",
            "detention_start": "2025-01-20",
            "detention_end": "2025-02-08",
            **{
                f"{prefix}-{key}": "0"
                for prefix in ("placements", "detention_periods", "verdict", "remisi_grants")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inmate = Inmate.objects.get(name="Teguh Saputra")
    assert (inmate.register_type, inmate.custody_start) == ("A.II", datetime.date(2025, 1, 20))
    assert inmate.detention_periods.get().warrant_number == "PRINT-12/O.4.10/2025"
    assert Placement.objects.filter(inmate=inmate, start_reason="admission").exists()
    assert AuditEntry.objects.filter(
        action="create", object_id=str(inmate.pk), actor=kepala
    ).exists()


def test_admin_change_view_logs_a_read(client, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    client.force_login(kepala)
    assert client.get(reverse("admin:inmates_inmate_change", args=[inmate.pk])).status_code == 200
    assert AuditEntry.objects.filter(action="read", via="admin", object_id=str(inmate.pk)).exists()


def test_admin_changelist_query_count(
    client, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    make_inmate(balikpapan)
    client.force_login(kepala)
    url = reverse("admin:inmates_inmate_changelist")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(25):
        make_inmate(balikpapan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_facility_staff_cannot_change_national_stage_rules(client, kepala):
    from rutan.inmates.models import StageRule

    rule = StageRule.objects.get(facility=None, stage="lanjutan")
    client.force_login(kepala)
    url = reverse("admin:inmates_stagerule_change", args=[rule.pk])
    response = client.post(
        url, {"stage": "lanjutan", "numerator": 1, "denominator": 4, "legal_basis": "x"}
    )
    assert response.status_code == 404
    rule.refresh_from_db()
    assert rule.denominator == 3


def test_audit_log_opens_in_the_admin_for_the_facility_head(
    client, kepala, balikpapan, make_inmate
):
    make_inmate(balikpapan, name="Audit Terbaca")
    client.force_login(kepala)
    changelist = client.get(reverse("admin:core_auditentry_changelist"))
    assert changelist.status_code == 200 and "Audit Terbaca" in changelist.content.decode()
    entry = AuditEntry.objects.filter(facility_id=balikpapan.pk).first()
    assert client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200


def test_admin_facility_filter_lists_only_own_facilities(
    client, kepala_ruteng, balikpapan, ruteng, make_inmate
):
    make_inmate(ruteng)
    client.force_login(kepala_ruteng)
    html = client.get(reverse("admin:inmates_inmate_changelist")).content.decode()
    assert ruteng.name in html and balikpapan.name not in html


def test_custody_rules_are_read_by_staff_and_changed_nationally_with_audit(
    client, kepala, national_admin, balikpapan, registrasi, django_capture_on_commit_callbacks
):
    from rutan.inmates import services
    from rutan.inmates.models import DetentionCredit

    # 30 days of house arrest before the verdict became final: ⅓ = 10 days deducted.
    inmate = services.inmate_create(
        facility=balikpapan,
        by=registrasi,
        detention={
            "authority": "pengadilan_negeri",
            "kind": "rumah",
            "warrant_number": "PEN/1",
            "start": datetime.date(2025, 1, 1),
            "end": datetime.date(2025, 1, 30),
        },
        **identity_data(admission_date=datetime.date(2025, 1, 1)),
    )
    services.verdict_record(
        inmate=inmate,
        by=registrasi,
        court="pengadilan_negeri",
        court_name="PN Balikpapan",
        number="9/Pid.B/2025/PN Bpp",
        decided_on=datetime.date(2025, 1, 25),
        final_on=datetime.date(2025, 1, 31),
        sentence_kind="penjara",
        years=1,
    )
    inmate.refresh_from_db()
    assert inmate.sentence_start == datetime.date(2025, 1, 21)

    house = DetentionCredit.objects.get(kind="rumah")
    url = reverse("admin:inmates_detentioncredit_change", args=[house.pk])
    client.force_login(kepala)
    listing = client.get(reverse("admin:inmates_detentioncredit_changelist")).content.decode()
    assert "Pasal 22 ayat (5)" in listing
    page = client.get(url)
    assert page.status_code == 200 and 'name="numerator"' not in page.content.decode()
    assert client.post(url, {"kind": "rumah", "numerator": 1, "denominator": 1}).status_code == 404
    client.force_login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"kind": "rumah", "numerator": 1, "denominator": 2, "legal_basis": "uji perubahan"},
        )
    assert response.status_code == 302
    inmate.refresh_from_db()
    # Now ½ of the 30 days: 15 days deducted, the term counts from 16 January.
    assert inmate.sentence_start == datetime.date(2025, 1, 16)
    entry = AuditEntry.objects.get(object_type="inmates.detentioncredit", action="update")
    assert entry.before == {"denominator": 3, "legal_basis": house.legal_basis}
    assert entry.after["denominator"] == 2
