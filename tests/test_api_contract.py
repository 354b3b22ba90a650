"""What every endpoint promises: optimistic concurrency, documented in the schema."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from assessments.api_urls import router as assessments_router
from rutan.api_urls import router
from rutan.core.api import ConcurrencyMixin


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
