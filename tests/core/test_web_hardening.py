"""Web hardening: production's deploy check is clean, personal responses are never cached,
and an oversized body is refused before it is read."""

import base64
import io
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from rutan.core.middleware import RequestSizeLimitMiddleware

ROOT = Path(__file__).resolve().parent.parent.parent
NO_STORE = "no-store, private"


def test_production_deploy_check_reports_nothing():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))} | {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "rutan.example",
        "DATABASE_URL": "postgres://rutan@127.0.0.1:5432/rutan",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--settings=rutan.settings.production"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_settings_turn_https_on_by_default(monkeypatch):
    import importlib

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEY", base64.urlsafe_b64encode(b"k" * 32).decode())
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "rutan.example")
    monkeypatch.setenv("DATABASE_URL", "postgres://rutan@127.0.0.1:5432/rutan")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DJANGO_SECURE_REDIRECT_EXEMPT", r"^healthz/$")
    production = importlib.import_module("rutan.settings.production")
    production = importlib.reload(production)
    assert production.SECURE_HSTS_SECONDS == 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS and production.SECURE_SSL_REDIRECT
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_REDIRECT_EXEMPT == [r"^healthz/$"]
    monkeypatch.setenv("DJANGO_SSL_REDIRECT", "false")
    assert importlib.reload(production).SECURE_SSL_REDIRECT is False


def test_pages_and_api_answers_are_not_stored(client, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan, name="Yohanes Bria")
    assert client.get(reverse("login"))["Cache-Control"] == NO_STORE
    client.force_login(kepala)
    for url in (
        reverse("dashboard:home"),
        reverse("inmates:detail", args=[inmate.pk]),
        "/api/v1/inmates/",
        f"/api/v1/inmates/{inmate.pk}/",
        "/api/docs/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url
        assert response["Pragma"] == "no-cache", url
    missing = client.get("/api/v1/inmates/999999/")
    assert missing.status_code == 404 and missing["Cache-Control"] == NO_STORE


def test_static_files_stay_cacheable(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response


class _Exploding(io.RawIOBase):
    def read(self, size=-1):
        pytest.fail("the body was read")

    readline = read


class _Counting(io.BytesIO):
    given = 0

    def read(self, size=-1):
        data = super().read(size)
        self.given += len(data)
        return data


def _middleware(view):
    return RequestSizeLimitMiddleware(convert_exception_to_response(view))


def test_a_declared_length_over_the_cap_is_refused_unread(settings):
    settings.MAX_REQUEST_BYTES = 25 * 1024 * 1024
    request = RequestFactory().post(
        "/kemitraan/perjanjian/1/", data=b"", content_type="application/pdf"
    )
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)
    request._stream = _Exploding()
    response = _middleware(lambda r: pytest.fail("the view ran"))(request)
    assert response.status_code == 413
    assert response.content.decode() == "Kiriman terlalu besar; batasnya 25,0\xa0MB."


def test_over_the_cap_the_api_answers_json(client, kepala, settings):
    settings.MAX_REQUEST_BYTES = 1000
    client.force_login(kepala)
    body = b'{"name": "' + b"x" * 2000 + b'"}'
    response = client.post("/api/v1/inmates/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {
        "detail": "Kiriman terlalu besar; batasnya 1000\xa0bita.",
        "code": "too_large",
    }
    small = client.post("/api/v1/inmates/", data={}, content_type="application/json")
    assert small.status_code == 400


def test_a_body_of_no_declared_length_stops_past_the_cap(settings):
    settings.MAX_REQUEST_BYTES = 1000
    stream = _Counting(b"x" * 50_000)
    request = RequestFactory().post("/api/v1/inmates/", data=b"", content_type="application/json")
    request.META.pop("CONTENT_LENGTH", None)
    request._stream = stream

    def view(request):
        return HttpResponse(len(request.body))

    response = _middleware(view)(request)
    assert response.status_code == 413 and json.loads(response.content)["code"] == "too_large"
    assert stream.given == 1001  # one byte past the cap, not the 50 kB

    within = RequestFactory().post("/api/v1/inmates/", data=b"", content_type="application/json")
    within.META.pop("CONTENT_LENGTH", None)
    within._stream = io.BytesIO(b"y" * 1000)
    response = _middleware(view)(within)
    assert response.status_code == 200 and response.content == b"1000"
