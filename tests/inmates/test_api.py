import pytest
from rest_framework.test import APIClient

from rutan.core.models import AuditEntry
from rutan.inmates.models import Inmate
from tests.factories import inmate_data


@pytest.fixture
def api():
    return APIClient()


def test_token_auth(api, kepala):
    response = api.post(
        "/api/v1/auth/token/", {"username": "kepala", "password": "sandi-uji-123"}, format="json"
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


def test_create_update_and_read_audit(api, registrasi, balikpapan):
    api.force_authenticate(registrasi)
    payload = {k: str(v) if hasattr(v, "isoformat") else v for k, v in inmate_data().items()}
    payload["facility"] = balikpapan.pk
    response = api.post("/api/v1/inmates/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["expected_release_date"] == "2027-12-27" and body["stage"] is not None
    pk = body["id"]
    response = api.patch(f"/api/v1/inmates/{pk}/", {"remission_days": 35}, format="json")
    assert response.status_code == 200 and response.json()["expected_release_date"] == "2027-11-27"
    api.get(f"/api/v1/inmates/{pk}/")
    assert AuditEntry.objects.filter(action="read", via="api", object_id=str(pk)).count() == 1


def test_create_refuses_bad_input_in_indonesian(api, registrasi, balikpapan, ruteng):
    api.force_authenticate(registrasi)
    payload = {
        k: str(v) if hasattr(v, "isoformat") else v
        for k, v in inmate_data(sentence_years=0).items()
    }
    payload["facility"] = balikpapan.pk
    response = api.post("/api/v1/inmates/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["sentence_years"] == ["Lama pidana harus lebih dari nol."]
    payload["facility"] = ruteng.pk
    payload["sentence_years"] = 2
    response = api.post("/api/v1/inmates/", payload, format="json")
    assert response.status_code == 400 and "facility" in response.json()
    assert not Inmate.objects.exists()


def test_list_query_count_is_bounded(
    api, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    make_inmate(balikpapan)
    api.force_authenticate(kepala)
    api.get("/api/v1/inmates/")
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/inmates/")
    for _ in range(30):
        make_inmate(balikpapan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/inmates/").json()["count"] == 31


def test_schema_and_docs(api, db):
    schema = api.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/inmates/" in schema.content
    assert api.get("/api/docs/").status_code == 200
