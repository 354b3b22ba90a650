import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import services
from rutan.core.models import AuditEntry

TODAY = timezone.localdate


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def assessment(psikolog, wanita):
    return services.psych_create(
        inmate=wanita,
        by=psikolog,
        assessed_on=TODAY(),
        instrument="DASS-21",
        findings="Temuan rahasia API",
        notes="Catatan rahasia API",
        finalise=True,
    )


def test_psychological_confidential_by_role(api, assessment, psikolog, pembina, kanwil, kepala):
    url = f"/api/v1/assessments/psychological/{assessment.pk}/"
    for user in (psikolog, kepala):
        api.force_authenticate(user)
        body = api.get(url).json()
        assert body["findings"] == "Temuan rahasia API" and body["notes"]
    assert AuditEntry.objects.filter(action="read", via="api").count() == 2
    for user in (pembina, kanwil):
        api.force_authenticate(user)
        body = api.get(url).json()
        assert "findings" not in body and "notes" not in body and body["instrument"] == "DASS-21"
        listed = api.get("/api/v1/assessments/psychological/").json()["results"]
        assert "findings" not in listed[0]


def test_out_of_scope_is_404(api, assessment, kepala_ruteng):
    api.force_authenticate(kepala_ruteng)
    assert api.get(f"/api/v1/assessments/psychological/{assessment.pk}/").status_code == 404
    assert api.get("/api/v1/assessments/psychological/").json()["count"] == 0
    assert api.get(f"/api/v1/inmates/{assessment.inmate_id}/eligibility/").status_code == 404


def test_create_literacy_interest_and_behaviour(api, pembina, wanita):
    api.force_authenticate(pembina)
    response = api.post(
        "/api/v1/assessments/literacy/",
        {
            "inmate": wanita.pk,
            "assessed_on": TODAY().isoformat(),
            "script": "latin",
            "level": "buta_aksara",
            "reading_score": 10,
            "writing_score": 5,
            "numeracy_score": 20,
            "finalise": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "final"
    response = api.post(
        "/api/v1/assessments/interest/",
        {"inmate": wanita.pk, "assessed_on": TODAY().isoformat(), "areas": ["barbershop", "x"]},
        format="json",
    )
    assert response.status_code == 400
    month = TODAY().replace(day=1).isoformat()
    payload = {
        "inmate": wanita.pk,
        "month": month,
        "kepribadian": 70,
        "kemandirian": 70,
        "sikap": 70,
        "kondisi_mental": 70,
    }
    assert api.post("/api/v1/assessments/behaviour/", payload, format="json").status_code == 201
    again = api.post("/api/v1/assessments/behaviour/", payload, format="json")
    assert again.status_code == 400 and "sudah memiliki nilai SPPN" in str(again.json())
    reco = api.get(f"/api/v1/inmates/{wanita.pk}/recommendations/").json()
    assert reco[0]["area"] == "literasi" and "Kelas Literasi" in reco[0]["reason"]


def test_psychological_create_refused_for_programme_officer(api, pembina, wanita):
    api.force_authenticate(pembina)
    response = api.post(
        "/api/v1/assessments/psychological/",
        {"inmate": wanita.pk, "assessed_on": TODAY().isoformat(), "findings": "x"},
        format="json",
    )
    assert response.status_code == 400


def test_eligibility_endpoint(api, pembina, wanita):
    api.force_authenticate(pembina)
    body = api.get(f"/api/v1/inmates/{wanita.pk}/eligibility/").json()
    assert [r["kind"] for r in body] == [
        "asimilasi",
        "pembebasan_bersyarat",
        "cuti_bersyarat",
        "cuti_menjelang_bebas",
        "cuti_mengunjungi_keluarga",
    ]
    time_rule = next(r for r in body[0]["rules"] if r["code"] == "masa_pidana")
    assert time_rule["date"] == wanita.asimilasi_from.isoformat()
    one = api.get(f"/api/v1/inmates/{wanita.pk}/eligibility/?kind=asimilasi&on=2020-01-01")
    assert one.status_code == 200 and len(one.json()) == 1
    assert api.get(f"/api/v1/inmates/{wanita.pk}/eligibility/?kind=bogus").status_code == 400


def test_list_query_count(api, pembina, balikpapan, make_inmate, django_assert_max_num_queries):
    def add(n):
        for _ in range(n):
            services.behaviour_score_create(
                inmate=make_inmate(balikpapan),
                month=TODAY(),
                by=pembina,
                kepribadian=60,
                kemandirian=60,
                sikap=60,
                kondisi_mental=60,
            )

    add(1)
    api.force_authenticate(pembina)
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/assessments/behaviour/")
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/assessments/behaviour/").json()["count"] == 31


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/api/v1/assessments/behaviour/?date_from=99999-01-01", "date_from", "Masukkan"),
        (
            "/api/v1/assessments/interest/?inmate=123456789012345678901234567890",
            "inmate",
            "Pastikan",
        ),
        ("/api/v1/assessments/psychological/?status=x", "status", "pilihan yang valid"),
        ("/api/v1/assessments/literacy/?script=x", "script", "Aksara tidak dikenal."),
        ("/api/v1/assessments/literacy/?level=paket_z", "level", "Tingkat literasi tidak dikenal."),
    ],
)
def test_bad_filter_is_a_400_in_indonesian(api, kepala, url, field, message):
    api.force_authenticate(kepala)
    response = api.get(url)
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])


def test_literacy_filters_are_documented(api, kepala):
    api.force_authenticate(kepala)
    paths = api.get("/api/schema/?format=json").json()["paths"]
    names = {p["name"] for p in paths["/api/v1/assessments/literacy/"]["get"]["parameters"]}
    assert {"search", "inmate", "facility", "status", "date_from", "script", "level"} <= names
