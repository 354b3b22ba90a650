import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from rutan.core.models import AuditEntry
from rutan.inmates.models import Inmate
from tests.factories import authenticator, identity_data, totp_code, warrant


@pytest.fixture
def api():
    return APIClient()


def test_token_auth(api, kepala):
    code = totp_code(authenticator(kepala))
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "kepala", "password": "sandi-uji-123", "otp": code},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/inmates/").status_code == 200
    bad = APIClient().post(
        "/api/v1/auth/token/", {"username": "kepala", "password": "x"}, format="json"
    )
    assert bad.status_code == 400


def test_anonymous_is_refused(api, db):
    assert api.get("/api/v1/inmates/").status_code == 401


def test_list_filters(api, kepala, balikpapan, make_inmate):
    make_inmate(balikpapan, name="Ahmad Fauzi", case_category="narkotika")
    make_inmate(balikpapan, name="Benny Tarigan")
    api.force_authenticate(kepala)
    assert [r["name"] for r in api.get("/api/v1/inmates/?search=fauzi").json()["results"]] == [
        "Ahmad Fauzi"
    ]
    assert api.get("/api/v1/inmates/?status=released").json()["count"] == 0
    assert api.get("/api/v1/inmates/?stage=lanjutan").json()["count"] in (0, 2)
    assert api.get("/api/v1/inmates/?facility=abc").status_code == 400


def _json(data: dict) -> dict:
    return {k: str(v) if hasattr(v, "isoformat") else v for k, v in data.items()}


def test_create_verdict_remisi_and_read_audit(api, registrasi, balikpapan):
    api.force_authenticate(registrasi)
    payload = _json(identity_data())
    payload["facility"] = balikpapan.pk
    payload["detention"] = _json(warrant())
    response = api.post("/api/v1/inmates/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["legal_status"], body["register_type"], body["stage"]) == ("tahanan", "A.I", None)
    pk = body["id"]
    verdict = {
        "court": "pengadilan_negeri",
        "court_name": "Pengadilan Negeri Balikpapan",
        "number": "55/Pid.B/2025/PN Bpp",
        "decided_on": "2025-01-15",
        "final_on": "2025-01-20",
        "sentence_kind": "penjara",
        "years": 3,
    }
    response = api.post(f"/api/v1/inmates/{pk}/verdict/", verdict, format="json")
    assert response.status_code == 201, response.json()
    response = api.post(
        f"/api/v1/inmates/{pk}/remisi/",
        {
            "kind": "khusus",
            "decree_number": "PAS-99.PK.05.04",
            "decree_date": "2025-03-31",
            "days": 15,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = api.get(f"/api/v1/inmates/{pk}/").json()
    # 3 years from the first day of detention (1 Jan 2025) less 15 days of remisi.
    assert body["expected_release_date"] == "2027-12-17" and body["stage"] is not None
    assert (body["register_type"], body["remission_days"]) == ("B.I", 15)
    response = api.patch(f"/api/v1/inmates/{pk}/", {"remission_days": 35}, format="json")
    assert response.status_code == 200 and response.json()["remission_days"] == 15
    assert len(api.get(f"/api/v1/inmates/{pk}/remisi/").json()) == 1
    assert api.get(f"/api/v1/inmates/{pk}/detention-periods/").json()[0]["days"] == 20
    # The record, its remisi and its warrants: three reads of personal data.
    assert AuditEntry.objects.filter(action="read", via="api", object_id=str(pk)).count() == 3


def test_create_refuses_bad_input_in_indonesian(api, registrasi, balikpapan, ruteng):
    api.force_authenticate(registrasi)
    payload = _json(identity_data())
    payload["facility"] = balikpapan.pk
    response = api.post("/api/v1/inmates/", payload, format="json")
    assert response.status_code == 400
    assert "surat penahanan pertama" in str(response.json()["errors"]["detention"])
    payload["detention"] = _json(warrant(end="2025-03-01"))
    response = api.post("/api/v1/inmates/", payload, format="json")
    assert response.status_code == 400
    assert "paling lama 20 hari" in str(response.json()["errors"]["detention"])
    payload["facility"] = ruteng.pk
    payload["detention"] = _json(warrant())
    response = api.post("/api/v1/inmates/", payload, format="json")
    assert response.status_code == 400 and "facility" in response.json()["errors"]
    assert not Inmate.objects.exists()


def test_verdict_and_remisi_refused_with_reasons(api, registrasi, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan, register_type="A.I", legal_status="tahanan")
    api.force_authenticate(registrasi)
    url = f"/api/v1/inmates/{inmate.pk}/"
    life = {
        "court": "pengadilan_negeri",
        "court_name": "PN Balikpapan",
        "number": "1/Pid.Sus/2025/PN Bpp",
        "decided_on": str(inmate.admission_date),
        "final_on": str(inmate.admission_date),
        "sentence_kind": "seumur_hidup",
        "years": 5,
    }
    response = api.post(url + "verdict/", life, format="json")
    assert response.status_code == 400
    assert "seumur hidup" in str(response.json())
    response = api.post(
        url + "remisi/",
        {
            "kind": "umum",
            "decree_number": "X",
            "decree_date": str(inmate.admission_date),
            "days": 5,
        },
        format="json",
    )
    assert response.status_code == 400 and "putusan" in str(response.json())
    inmate.refresh_from_db()
    assert inmate.legal_status == "tahanan" and not inmate.remisi_grants.exists()


def test_list_query_count_is_bounded(
    api, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    make_inmate(balikpapan)
    api.force_authenticate(kepala)
    api.get("/api/v1/inmates/")
    cache.clear()  # the page is serialised, not read from the cache
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/inmates/")
    for _ in range(30):
        make_inmate(balikpapan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/inmates/").json()["count"] == 31
    # From the cache: the page is not read again, only its versions; audited all the same.
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/inmates/").json()["count"] == 31
    make_inmate(balikpapan, name="Citra Lestari")
    body = api.get("/api/v1/inmates/?q=Citra").json()
    assert [row["name"] for row in body["results"]] == ["Citra Lestari"]
    assert api.get("/api/v1/inmates/").json()["count"] == 32
    pages = AuditEntry.objects.filter(action="read", actor=kepala, via="api", object_id="")
    assert pages.count() == 6


def test_schema_and_docs_for_signed_in_users(api, kepala):
    assert api.get("/api/schema/").status_code == 401
    api.force_authenticate(kepala)
    schema = api.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/inmates/" in schema.content


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("facility=abc", "facility"),
        ("facility=123456789012345678901234567890", "facility"),
        ("block=-1", "block"),
        ("integrasi_within=3000000", "integrasi_within"),
        ("integrasi_within=-5", "integrasi_within"),
        ("status=dead", "status"),
        ("stage=x", "stage"),
        ("sex=X", "sex"),
    ],
)
def test_bad_filter_is_a_400_in_indonesian(api, kepala, query, field):
    api.force_authenticate(kepala)
    response = api.get(f"/api/v1/inmates/?{query}")
    assert response.status_code == 400
    message = " ".join(response.json()["errors"][field])
    assert any(word in message for word in ("Masukkan", "Pastikan", "Pilih")), message


def test_filters_with_bounds_in_schema_and_counts(
    api, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    for i in range(3):
        make_inmate(balikpapan, name=f"Warga {i}")
    api.force_authenticate(kepala)
    with django_assert_max_num_queries(8):
        body = api.get(
            f"/api/v1/inmates/?facility={balikpapan.pk}&integrasi_within=366&status=all"
        ).json()
    assert body["count"] == 3
    schema = api.get("/api/schema/?format=json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/inmates/"]["get"]["parameters"]}
    assert params["integrasi_within"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 366}
    assert params["facility"]["schema"]["maximum"] == 2**63 - 1
    assert set(params["status"]["schema"]["enum"]) >= {"active", "all", "released"}
    assert {"search", "stage", "case_category", "legal_status", "sex", "block"} <= set(params)
