"""The deployment files: docker-compose.yml's structure and the Dockerfile's user and paths."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ENV = {
    "DJANGO_SECRET_KEY": "compose-check",
    "FIELD_ENCRYPTION_KEY": "compose-check",
    "POSTGRES_PASSWORD": "compose-check",
    "RUTAN_DB_OWNER_PASSWORD": "compose-check",
    "RUTAN_DB_PASSWORD": "compose-check",
}


@pytest.fixture(scope="module")
def compose():
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose not installed")
    done = subprocess.run(
        ["docker-compose", "config"],
        cwd=ROOT,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_services_healthchecks_and_volumes(compose):
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat", "migrate", "backup"} <= set(services)
    for name in ("db", "redis", "web", "worker", "beat"):
        assert services[name]["healthcheck"]["test"], name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert {"pgdata", "media", "backups"} <= set(compose["volumes"])
    worker = services["worker"]["command"]
    assert worker[worker.index("-Q") + 1] == "interactive,batch"
    assert not services["beat"].get("deploy", {}).get("replicas", 1) > 1
    migrate = services["migrate"]
    command = migrate["command"]
    command = command if isinstance(command, str) else " ".join(command)
    assert "manage.py migrate" in command and "grant_app_role rutan" in command
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://rutan_owner:")
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_application_role_is_not_the_superuser(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        url = services[name]["environment"]["DATABASE_URL"]
        assert re.match(r"postgres://rutan:", url), (name, url)
        assert "postgres:" not in url.split("@")[0].replace("postgres://", "")
    init = (ROOT / "docs/deploy/postgres-init.sh").read_text()
    assert re.search(r"CREATE ROLE rutan LOGIN NOSUPERUSER", init)


def test_dockerfile_runs_as_non_root_and_copies_existing_paths():
    text = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*?/healthz", text, re.M)
    assert "--no-dev" in text and "collectstatic" in text and "compilemessages" in text
    for line in re.findall(r"^COPY (?!--from)(?:--\S+ )*(.+)$", text, re.M):
        for src in line.split()[:-1]:
            assert (ROOT / src).exists(), src


def test_web_runs_threaded_gunicorn_from_the_project_config(monkeypatch):
    import importlib
    import subprocess
    import sys

    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "6")
    conf = importlib.reload(importlib.import_module("rutan.gunicorn_conf"))
    assert (conf.worker_class, conf.workers, conf.threads) == ("gthread", 3, 6)
    root = Path(__file__).resolve().parent.parent
    assert '"python:rutan.gunicorn_conf"' in (root / "Dockerfile").read_text()
    assert '"python:rutan.gunicorn_conf"' in (root / "docker-compose.yml").read_text()
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:rutan.gunicorn_conf",
            "--check-config",
            "rutan.wsgi:application",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr


def test_the_demo_web_server_shows_the_product_pages_not_the_debug_ones(client, settings):
    """`make run` (rundemo) runs the web server without DEBUG, static files from the source
    folders: a wrong address shows Rutan's own 404, not Django's list of URLs."""
    from rutan.core.management.commands.rundemo import demo_web_env

    env = demo_web_env({"PATH": "/bin"})
    assert env["DJANGO_DEBUG"] == "false" and env["WHITENOISE_USE_FINDERS"] == "true"
    assert env["PATH"] == "/bin"
    assert demo_web_env({"DJANGO_DEBUG": "true"})["DJANGO_DEBUG"] == "true"
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Halaman tidak ditemukan" in page and "URLconf" not in page
