import datetime

import pytest
from rest_framework.test import APIClient

from programmes import services
from programmes.models import AssimilationPlacement, Attendance, Enrolment

D = datetime.timedelta


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def programme(balikpapan, pembina, make_programme, today):
    programme = make_programme(balikpapan, title="Kelas Literasi", capacity=1)
    services.schedule_slot_create(
        programme=programme,
        weekday=today.weekday(),
        start_time=datetime.time(9),
        end_time=datetime.time(10),
        by=pembina,
    )
    services.sessions_generate(programme=programme, date_from=today, date_to=today, by=pembina)
    return programme


def test_lists_are_scoped(api, programme, kepala_ruteng, pembina, make_programme, ruteng):
    make_programme(ruteng, title="Meubel Ruteng")
    api.force_authenticate(kepala_ruteng)
    assert [p["title"] for p in api.get("/api/v1/programmes/").json()["results"]] == [
        "Meubel Ruteng"
    ]
    assert api.get(f"/api/v1/programmes/{programme.pk}/").status_code == 404
    assert api.get("/api/v1/sessions/").json()["count"] == 0
    api.force_authenticate(pembina)
    assert api.get("/api/v1/programmes/").json()["count"] == 1
    assert api.get("/api/v1/sessions/").json()["count"] == 1


def test_enrol_via_api_uses_the_service(api, programme, pembina, balikpapan, make_inmate):
    api.force_authenticate(pembina)
    first, second = make_inmate(balikpapan), make_inmate(balikpapan)
    response = api.post(
        "/api/v1/enrolments/", {"programme": programme.pk, "inmate": first.pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == "active"
    response = api.post(
        "/api/v1/enrolments/", {"programme": programme.pk, "inmate": second.pk}, format="json"
    )
    assert response.json()["status"] == "waitlisted" and response.json()["waitlist_position"] == 1
    again = api.post(
        "/api/v1/enrolments/", {"programme": programme.pk, "inmate": first.pk}, format="json"
    )
    assert again.status_code == 400 and "sudah terdaftar" in str(again.json())
    assert Enrolment.objects.count() == 2


def test_enrol_refuses_out_of_scope_inmate(api, programme, pembina, ruteng, make_inmate):
    api.force_authenticate(pembina)
    response = api.post(
        "/api/v1/enrolments/",
        {"programme": programme.pk, "inmate": make_inmate(ruteng).pk},
        format="json",
    )
    assert response.status_code == 400 and "inmate" in response.json()["errors"]


def test_attendance_bulk_per_session(api, programme, pembina, balikpapan, make_inmate, today):
    programme.capacity = 5
    programme.save()
    enrolments = [
        services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=pembina)
        for _ in range(3)
    ]
    session = programme.sessions.get()
    api.force_authenticate(pembina)
    response = api.post(
        "/api/v1/attendance/",
        {
            "session": session.pk,
            "absences": [{"enrolment": enrolments[0].pk, "reason": "visit", "note": "Keluarga"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert sorted(r["status"] for r in response.json()) == ["absent", "present", "present"]
    bad = api.post(
        "/api/v1/attendance/",
        {"session": session.pk, "absences": [{"enrolment": enrolments[1].pk, "reason": "x"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert Attendance.objects.filter(status="absent").count() == 1
    listed = api.get(f"/api/v1/attendance/?session={session.pk}").json()
    assert listed["count"] == 3


def test_api_list_query_counts(
    api, programme, pembina, balikpapan, make_inmate, django_assert_max_num_queries
):
    programme.capacity = 50
    programme.save()
    api.force_authenticate(pembina)
    services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=pembina)
    services.attendance_record(session=programme.sessions.get(), absences={}, by=pembina)
    counts = {}
    for url in ("/api/v1/enrolments/", "/api/v1/programmes/", "/api/v1/attendance/"):
        api.get(url)
        with django_assert_max_num_queries(12) as few:
            api.get(url)
        counts[url] = len(few.captured_queries)
    for _ in range(30):
        services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=pembina)
    services.attendance_record(session=programme.sessions.get(), absences={}, by=pembina)
    for url, count in counts.items():
        with django_assert_max_num_queries(count):
            api.get(url)


def test_certificate_and_products_api(api, programme, pembina, balikpapan, make_inmate, today):
    enrolment = services.enrolment_create(
        programme=programme, inmate=make_inmate(balikpapan), by=pembina
    )
    api.force_authenticate(pembina)
    refused = api.post(
        "/api/v1/certificates/",
        {"enrolment": enrolment.pk, "competence": "Membaca", "issuer": "SKB"},
        format="json",
    )
    assert refused.status_code == 400 and "selesai" in str(refused.json())
    api.post(f"/api/v1/enrolments/{enrolment.pk}/complete/", {"post_score": 70}, format="json")
    made = api.post(
        "/api/v1/certificates/",
        {"enrolment": enrolment.pk, "competence": "Membaca", "issuer": "SKB"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["verify_url"].endswith(f"/verify/{made.json()['code']}/")
    product = api.post(
        "/api/v1/products/",
        {
            "programme": programme.pk,
            "name": "Buku cerita",
            "made_on": today.isoformat(),
            "quantity": 3,
            "unit_value": "15000",
        },
        format="json",
    )
    assert product.status_code == 201 and product.json()["total_value"] == "45000"


def test_assimilation_api(api, pembina, assimilation_inmate, early_inmate, today):
    api.force_authenticate(pembina)
    payload = {
        "workplace": "Kafe",
        "supervisor": "Pengawas",
        "decree_reference": "SK-9",
        "start_date": today.isoformat(),
    }
    refused = api.post(
        "/api/v1/assimilation-placements/", {**payload, "inmate": early_inmate.pk}, format="json"
    )
    assert refused.status_code == 400
    assert "Telah menjalani 1/2 masa pidana: Terpenuhi pada" in str(refused.json())
    assert not AssimilationPlacement.objects.exists()
    made = api.post(
        "/api/v1/assimilation-placements/",
        {**payload, "inmate": assimilation_inmate.pk},
        format="json",
    )
    assert made.status_code == 201, made.json()
    checks = made.json()["checks"]
    assert [c["rule"] for c in checks] == ["status", "masa_pidana", "register_f", "sppn"]
    assert all(c["passed"] for c in checks)
    pk = made.json()["id"]
    assert api.post(f"/api/v1/assimilation-placements/{pk}/check-out/").status_code == 201
    assert api.post(f"/api/v1/assimilation-placements/{pk}/check-in/").status_code == 200


def test_schema_lists_the_endpoints(api, national_admin):
    api.force_authenticate(national_admin)
    schema = api.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/programmes/",
        "/api/v1/sessions/",
        "/api/v1/enrolments/",
        "/api/v1/attendance/",
        "/api/v1/certificates/",
        "/api/v1/products/",
        "/api/v1/assimilation-placements/",
    ):
        assert path in schema["paths"]


def test_state_action_on_a_stale_tag_is_refused(api, pembina, programme):
    api.force_authenticate(pembina)
    url = f"/api/v1/programmes/{programme.pk}/"
    tag = api.get(url)["ETag"]
    services.programme_update(programme=programme, by=pembina, facilitator="Petugas Lain")
    response = api.post(f"{url}status/", {"status": "cancelled"}, HTTP_IF_MATCH=tag)
    assert response.status_code == 412 and response.json()["detail"]
    programme.refresh_from_db()
    assert programme.status == "running"
    fresh = api.get(url)["ETag"]
    response = api.post(f"{url}status/", {"status": "cancelled"}, HTTP_IF_MATCH=fresh)
    assert response.status_code == 200 and response["ETag"] != fresh


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/sessions/?date_from=10000-01-01", "date_from"),
        ("/api/v1/sessions/?date_to=2025-13-40", "date_to"),
        ("/api/v1/sessions/?programme=123456789012345678901234567890", "programme"),
        ("/api/v1/programmes/?pillar=x", "pillar"),
        ("/api/v1/enrolments/?inmate=abc", "inmate"),
        ("/api/v1/attendance/?session=0", "session"),
        ("/api/v1/certificates/?programme=-1", "programme"),
        ("/api/v1/products/?programme=1.5", "programme"),
        ("/api/v1/assimilation-placements/?status=x", "status"),
    ],
)
def test_bad_filter_is_a_400_in_indonesian(api, pembina, url, field):
    api.force_authenticate(pembina)
    response = api.get(url)
    assert response.status_code == 400
    message = " ".join(response.json()["errors"][field])
    assert any(word in message for word in ("Masukkan", "Pastikan", "Pilih")), message


def test_session_filters_are_documented(api, pembina):
    api.force_authenticate(pembina)
    paths = api.get("/api/schema/?format=json").json()["paths"]
    params = {p["name"]: p for p in paths["/api/v1/sessions/"]["get"]["parameters"]}
    assert params["date_from"]["schema"] == {"type": "string", "format": "date"}
    assert params["programme"]["schema"]["minimum"] == 1
    assert {"session", "enrolment"} <= {
        p["name"] for p in paths["/api/v1/attendance/"]["get"]["parameters"]
    }
