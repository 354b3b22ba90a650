from django.urls import reverse
from rest_framework.test import APIClient

from interns.models import ActivityLog, LogStatus
from tests.factories import api_token


def _client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def test_intern_token_sees_only_own_logs(intern, make_intern, make_log):
    own = make_log(intern)
    other = make_intern("magang2")
    theirs = make_log(other, submit=True)
    api = _client(intern.user)
    data = api.get("/api/v1/intern-logs/").json()
    assert [row["id"] for row in data["results"]] == [own.pk]
    assert api.get(f"/api/v1/intern-logs/{theirs.pk}/").status_code == 404
    assert (
        api.patch(f"/api/v1/intern-logs/{theirs.pk}/", {"place": "X"}, format="json").status_code
        == 404
    )
    assert api.post(f"/api/v1/intern-logs/{theirs.pk}/submit/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.place == "Ruang pembinaan"


def test_create_submit_and_review_via_api(intern, mentor):
    api = _client(intern.user)
    response = api.post(
        "/api/v1/intern-logs/",
        {
            "log_type": "konseling",
            "hours": "1.5",
            "description": "Konseling kelompok di Blok Wanita.",
            "people_reached": 6,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    response = api.post(f"/api/v1/intern-logs/{pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    # The intern may read the log but not review it: not found, as for a stranger.
    assert api.post(f"/api/v1/intern-logs/{pk}/approve/").status_code == 404

    mentor_api = _client(mentor)
    response = mentor_api.post(f"/api/v1/intern-logs/{pk}/return/", {"comment": ""})
    assert response.status_code == 400 and "comment" in response.json()["errors"]
    response = mentor_api.post(f"/api/v1/intern-logs/{pk}/approve/", {"comment": "Baik."})
    assert response.json()["status"] == "approved"
    response = api.patch(f"/api/v1/intern-logs/{pk}/", {"hours": "2"}, format="json")
    assert response.status_code == 400
    assert ActivityLog.objects.get(pk=pk).status == LogStatus.APPROVED


def test_submit_incomplete_via_api_explains(intern):
    api = _client(intern.user)
    pk = api.post("/api/v1/intern-logs/", {"place": "Dapur"}, format="json").json()["id"]
    response = api.post(f"/api/v1/intern-logs/{pk}/submit/")
    assert response.status_code == 400
    assert response.json()["errors"]["description"] == ["Tuliskan uraian kegiatan."]


def test_attendance_api(intern, make_intern, mentor):
    api = _client(intern.user)
    assert api.post("/api/v1/intern-attendance/check-in/").status_code == 201
    assert api.post("/api/v1/intern-attendance/check-in/").status_code == 400
    assert api.post("/api/v1/intern-attendance/check-out/").status_code == 200
    other = make_intern("magang2")
    _client(other.user).post("/api/v1/intern-attendance/check-in/")
    assert len(api.get("/api/v1/intern-attendance/").json()["results"]) == 1
    assert len(_client(mentor).get("/api/v1/intern-attendance/").json()["results"]) == 2
    assert _client(mentor).post("/api/v1/intern-attendance/check-in/").status_code == 403


def test_api_list_query_count(intern, mentor, make_log, django_assert_max_num_queries):
    make_log(intern, submit=True)
    api = _client(mentor)
    api.get("/api/v1/intern-logs/")
    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/intern-logs/")
    for _ in range(29):
        make_log(intern, submit=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/intern-logs/").json()["count"] == 30


def test_endpoints_in_schema(client, kepala):
    client.force_login(kepala)
    schema = client.get(reverse("api-schema")).content.decode()
    for path in [
        "/api/v1/intern-logs/",
        "/api/v1/intern-logs/{id}/submit/",
        "/api/v1/intern-logs/{id}/return/",
        "/api/v1/intern-attendance/check-in/",
    ]:
        assert path in schema


def test_log_filters_refuse_bad_values_and_are_documented(mentor):
    api = _client(mentor)
    for query, field in [
        ("start=20250-01-01", "start"),
        ("status=x", "status"),
        ("intern=0", "intern"),
    ]:
        response = api.get(f"/api/v1/intern-logs/?{query}")
        assert response.status_code == 400 and field in response.json()["errors"]
    paths = api.get("/api/schema/?format=json").json()["paths"]
    names = {p["name"] for p in paths["/api/v1/intern-logs/"]["get"]["parameters"]}
    assert {"intern", "status", "log_type", "start", "end"} <= names
