"""/healthz and /readyz: public, cheap, JSON, each readiness check named with its status."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rutan.core import health
from rutan.core.models import AuditEntry, Heartbeat
from rutan.core.roles import Role
from tests.factories import member, password_login

ROOT = Path(__file__).resolve().parents[2]
CHECKS = {"database", "broker", "migrations", "storage"}


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_answers_without_touching_the_database(
    client, national_admin, django_assert_num_queries
):
    # Even a signed-in browser's session cookie costs nothing: the probe runs before sessions.
    client.force_login(national_admin)
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_probes_skip_host_check_csrf_and_audit(db):
    client = Client(enforce_csrf_checks=True)
    # A balancer probes by address, which is not in ALLOWED_HOSTS.
    assert client.get("/healthz", HTTP_HOST="10.9.8.7").status_code == 200
    assert client.post("/healthz").status_code == 200
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_readyz_is_ready_with_every_check_named(private_media):
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == dict.fromkeys(CHECKS, "ok")
    assert "no-cache" in response["Cache-Control"]
    # The storage check leaves no file behind.
    assert not [p for p in private_media.rglob("*") if p.is_file()]


def test_readyz_for_a_user_owing_the_second_factor_is_no_redirect(db, private_media):
    user = member(Role.NATIONAL_ADMIN, staff=True, username="belum2fa")
    client = Client()
    password_login(client, user)
    assert client.get(reverse("reports:jobs")).status_code == 302  # the second factor first
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_readyz_503_when_the_broker_is_down(settings, private_media):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_free_port()}/0"
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    # No host, port or error text of the setup in a public answer.
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_with_the_sqlalchemy_broker_of_make_run(settings, private_media, tmp_path):
    settings.CELERY_BROKER_URL = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    assert Client().get("/readyz").json()["checks"]["broker"] == "ok"
    settings.CELERY_BROKER_URL = f"sqla+sqlite:///{tmp_path / 'missing' / 'broker.sqlite3'}"
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"


@pytest.mark.django_db
def test_readyz_503_when_a_migration_is_not_applied(monkeypatch, private_media):
    targets = health.migration_targets()
    monkeypatch.setattr(
        health, "migration_targets", lambda: targets | {("core", "9999_not_applied")}
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {**dict.fromkeys(CHECKS, "ok"), "migrations": "unavailable"}


@pytest.mark.django_db
def test_readyz_503_when_private_storage_is_not_writable(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "unavailable"


@pytest.mark.django_db
def test_readyz_503_when_the_database_is_down(settings, private_media, monkeypatch):
    from django.db import connections

    port = _free_port()
    for alias in connections:
        monkeypatch.setitem(connections[alias].settings_dict, "PORT", port)
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "unavailable" and checks["migrations"] == "unavailable"


@pytest.mark.django_db
def test_readyz_reports_workers_and_beat_without_failing_on_them(private_media):
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["background"] == {
        "workers": 0,
        "beat": "stopped",
        "beat_seen_seconds_ago": None,
    }
    now = timezone.now()
    for name in ("celery@a/1", "celery@b/2"):
        Heartbeat.objects.create(kind="worker", name=name, started_at=now, seen_at=now)
    Heartbeat.objects.create(
        kind="worker",
        name="celery@old/3",
        started_at=now,
        seen_at=now - timezone.timedelta(hours=1),
    )
    Heartbeat.objects.create(
        kind="beat", name="host/4", started_at=now, seen_at=now, detail={"role": "leader"}
    )
    background = Client().get("/readyz").json()["background"]
    assert background["workers"] == 2
    assert background["beat"] == "ok"
    assert 0 <= background["beat_seen_seconds_ago"] <= 5


@pytest.mark.django_db
def test_probes_are_exempt_from_the_https_redirect(settings, private_media):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production_redirect_exempt()
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/akun/masuk/").status_code == 301


def production_redirect_exempt() -> list[str]:
    """SECURE_REDIRECT_EXEMPT as the production settings make it with no override."""
    env = {
        key: value for key, value in os.environ.items() if key != "DJANGO_SECURE_REDIRECT_EXEMPT"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="rutan.settings.production",
        DJANGO_SECRET_KEY="x",
        FIELD_ENCRYPTION_KEY="2yb6lX0Bqf1sH3H8rQ6jV1W2kN8gY5dC7pT4uE9aZ0M=",
        DJANGO_ALLOWED_HOSTS="localhost",
        DATABASE_URL="sqlite:////tmp/unused.db",
        REDIS_URL="redis://127.0.0.1:6379/9",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print('\\n'.join(settings.SECURE_REDIRECT_EXEMPT))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()
