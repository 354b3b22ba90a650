"""What every endpoint promises: one error shape, optimistic concurrency, throttling, and a
schema that says so (and says what the answers really hold)."""

import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from jsonschema_rs import validator_for
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from assessments.api_urls import router as assessments_router
from programmes import services as programme_services
from rutan.api_urls import router
from rutan.core.api import ConcurrencyMixin
from rutan.core.throttling import TokenRateThrottle
from tests.factories import api_token


def test_every_viewset_uses_the_concurrency_mixin():
    missing = [v.__name__ for _p, v, _b in router.registry if not issubclass(v, ConcurrencyMixin)]

    missing += [
        v.__name__
        for _p, v, _b in assessments_router.registry
        if not issubclass(v, ConcurrencyMixin)
    ]
    assert missing == []


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_documents_etag_if_match_and_412(schema):
    update = schema["paths"]["/api/v1/inmates/{id}/"]["patch"]
    if_match = next(p for p in update["parameters"] if p["name"] == "If-Match")
    assert if_match["in"] == "header" and not if_match.get("required", False)
    assert "412" in update["responses"]
    assert "ETag" in update["responses"]["200"]["headers"]
    verdict = schema["paths"]["/api/v1/inmates/{id}/verdict/"]["post"]
    assert "412" in verdict["responses"] and "ETag" in verdict["responses"]["201"]["headers"]
    read = schema["paths"]["/api/v1/inmates/{id}/"]["get"]
    assert "ETag" in read["responses"]["200"]["headers"] and "412" not in read["responses"]
    assert not any(p["name"] == "If-Match" for p in read.get("parameters", []))
    listing = schema["paths"]["/api/v1/inmates/"]["get"]
    assert "headers" not in listing["responses"]["200"]


def test_a_user_over_the_rate_gets_429_with_the_error_shape(monkeypatch, kepala):
    # The rates are read once into the throttle class; tests run with them off.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/minute", "anon": None})
    cache.clear()
    api = APIClient()
    api.force_authenticate(kepala)
    assert [api.get("/api/v1/facilities/").status_code for _ in range(2)] == [200, 200]
    response = api.get("/api/v1/facilities/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and set(response.json()) == {"detail", "code"}
    assert int(response["Retry-After"]) > 0
    cache.clear()


ERROR_REF = "#/components/schemas/Error"
WRITES = {"post", "put", "patch", "delete"}


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in WRITES | {"get"}:
                yield path, method, operation


def _error_ref(response) -> str:
    return response["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_documents_its_refusals_in_one_shape(schema):
    missing, checked_writes = [], 0
    for path, method, operation in _operations(schema):
        query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        expected = {"401", "403", "429"}
        if method in WRITES or query:
            expected.add("400")
        if "{" in path or "page" in query:
            expected.add("404")
        if any(p["name"] == "If-Match" for p in operation.get("parameters", [])):
            expected.add("412")
            checked_writes += 1
        responses = operation["responses"]
        missing += [f"{method.upper()} {path} {code}" for code in expected - set(responses)]
        errors = {code for code in responses if code.startswith("4")}
        missing += [
            f"{method.upper()} {path} {code} not Error"
            for code in errors
            if _error_ref(responses[code]) != ERROR_REF
        ]
    assert missing == [] and checked_writes > 20
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"} and "errors" in error["properties"]


@pytest.fixture
def error_validator(schema):
    error = schema["components"]["schemas"]["Error"]
    return validator_for(error)


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/inmates/?facility=abc", 400, "invalid"),
        ("/api/v1/inmates/?status=active&status=all", 400, "invalid"),
        ("/api/v1/inmates/999999999/", 404, "not_found"),
        ("/api/v1/inmates/?page=99", 404, "not_found"),
        ("/api/v1/no-such-thing/", 404, "not_found"),
        ("/api/v1/intern-logs/", 403, "permission_denied"),
    ],
)
def test_refusals_have_the_documented_shape(api_kepala, error_validator, url, status, code):
    response = api_kepala.post(url) if url.endswith("intern-logs/") else api_kepala.get(url)
    assert response.status_code == status
    body = response.json()
    error_validator.validate(body)
    assert body["code"] == code and body["detail"]
    assert ("errors" in body) == (status == 400)


def test_a_bad_filter_names_the_field_and_a_general_message(api_kepala):
    body = api_kepala.get("/api/v1/inmates/?facility=abc&sex=X").json()
    assert set(body["errors"]) == {"facility", "sex"}
    assert all(isinstance(m, list) and m for m in body["errors"].values())
    assert body["detail"] == "Data yang dikirim tidak valid; lihat pesan untuk setiap isian."
    single = api_kepala.post("/api/v1/intern-attendance/check-out/")
    assert single.status_code == 403 and "errors" not in single.json()


def test_an_unknown_or_missing_token_is_a_401_in_the_same_shape(db, error_validator):
    api = APIClient()
    anonymous = api.get("/api/v1/facilities/")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    api.credentials(HTTP_AUTHORIZATION="Token nope")
    wrong = api.get("/api/v1/facilities/")
    assert wrong.status_code == 401 and wrong.json()["code"] == "authentication_failed"
    error_validator.validate(wrong.json())


@pytest.fixture
def api_kepala(kepala):
    api = APIClient()
    api.force_authenticate(kepala)
    return api


def test_read_only_choices_include_the_blank_they_answer(
    schema, api_kepala, make_inmate, balikpapan
):
    components = schema["components"]["schemas"]
    for name in ("release_kind", "sentence_kind"):
        refs = [r["$ref"] for r in components["Inmate"]["properties"][name]["oneOf"]]
        assert "#/components/schemas/BlankEnum" in refs
    assert components["BlankEnum"]["enum"] == [""]
    inmate = make_inmate(balikpapan)
    assert api_kepala.get(f"/api/v1/inmates/{inmate.pk}/").json()["release_kind"] == ""


def test_times_and_decimals_are_described_as_they_are_written(schema):
    components = schema["components"]["schemas"]
    start = components["Session"]["properties"]["start_time"]
    assert start["format"] == "partial-time"
    assert re.fullmatch(start["pattern"].strip("^$"), "09:30:00")
    assert not re.fullmatch(start["pattern"].strip("^$"), "09:30:00Z")
    value = components["Product"]["properties"]["unit_value"]
    assert value["format"] == "decimal" and value["pattern"] == r"^\d{1,14}$"
    score = components["EnrolmentEvaluationRequest"]["properties"]["score"]
    assert re.fullmatch(score["pattern"][1:-1], "87.5")
    assert not re.fullmatch(score["pattern"][1:-1], "")


def test_a_time_with_an_offset_is_refused_not_silently_dropped(api_kepala, kepala, balikpapan):
    programme = programme_services.programme_create(
        facility=balikpapan,
        by=kepala,
        title="Kelas",
        pillar="kepribadian",
        area="literasi",
        start_date="2025-01-01",
    )
    body = {"programme": programme.pk, "date": "2025-02-01", "end_time": "11:00"}
    refused = api_kepala.post("/api/v1/sessions/", {**body, "start_time": "09:00Z"}, "json")
    assert refused.status_code == 400 and "start_time" in refused.json()["errors"]
    made = api_kepala.post("/api/v1/sessions/", {**body, "start_time": "9:00"}, "json")
    assert made.status_code == 201 and made.json()["start_time"] == "09:00:00"


def test_actions_answer_unpaginated_lists_without_list_filters(schema):
    periods = schema["paths"]["/api/v1/inmates/{id}/detention-periods/"]["get"]
    assert periods["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert not [p for p in periods.get("parameters", []) if p["in"] == "query"]


def test_filters_say_that_an_empty_value_does_not_filter(schema):
    parameters = schema["paths"]["/api/v1/inmates/"]["get"]["parameters"]
    query = [p for p in parameters if p["in"] == "query"]
    assert query and all(p["allowEmptyValue"] for p in query)
    search = next(p for p in query if p["name"] == "search")["schema"]
    assert search["maxLength"] == 100 and search["pattern"] == r"^[^\u0000]*$"


def test_agreement_in_force_filter_reads_1_and_refuses_garbage(api_kepala):
    assert api_kepala.get("/api/v1/agreements/?in_force=1").status_code == 200
    refused = api_kepala.get("/api/v1/agreements/?in_force=0.5")
    assert refused.status_code == 400 and "in_force" in refused.json()["errors"]


def test_a_token_over_its_rate_gets_429_even_below_the_users_rate(monkeypatch, kepala):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    cache.clear()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token(kepala)}")
    assert [api.get("/api/v1/facilities/").status_code for _ in range(2)] == [200, 200]
    throttled = api.get("/api/v1/facilities/")
    assert throttled.status_code == 429 and throttled.json()["code"] == "throttled"
    session = APIClient()
    session.force_login(kepala)
    assert session.get("/api/v1/facilities/").status_code == 200  # the user is not limited
    cache.clear()


def test_the_description_tells_about_the_limits_and_the_error_shape(schema):
    description = schema["info"]["description"]
    assert "per API token" in description and "Error" in description


SNAPSHOT = Path(__file__).resolve().parents[1] / "docs" / "openapi.yaml"
REFRESH = (
    "DJANGO_SETTINGS_MODULE=rutan.settings.test "
    "uv run --frozen python manage.py spectacular --lang en --file docs/openapi.yaml"
)


def test_schema_snapshot_is_current(tmp_path):
    """A change to the API shows in review as a change to docs/openapi.yaml."""
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--lang", "en", "--file", str(generated))
    assert generated.read_text() == SNAPSHOT.read_text(), (
        f"The API schema differs from {SNAPSHOT.name}; if the change is intended, refresh the "
        f"snapshot with `{REFRESH}` and commit it."
    )
