import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import authenticator, totp_code

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_file_is_valid():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "compose-check",
        "POSTGRES_PASSWORD": "check",
        "RUTAN_DB_OWNER_PASSWORD": "check",
        "RUTAN_DB_PASSWORD": "check",
        "FIELD_ENCRYPTION_KEY": "check",
    }
    result = subprocess.run(
        ["docker-compose", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr


def test_axes_locks_after_repeated_failures(client, kepala):
    for _ in range(3):
        client.post(reverse("login"), {"username": "kepala", "password": "salah"})
    response = client.post(reverse("login"), {"username": "kepala", "password": "sandi-uji-123"})
    assert "Akun dikunci sementara" in response.content.decode()


def test_login_logout_and_password_change(client, kepala):
    device = authenticator(kepala)
    response = client.post(reverse("login"), {"username": "kepala", "password": "sandi-uji-123"})
    assert response.status_code == 302
    # A facility head gives the authenticator's code before anything else.
    assert client.get(reverse("password_change"))["Location"].startswith("/akun/dua-langkah/")
    client.post(reverse("second_factor_verify"), {"token": totp_code(device)})
    assert "Ganti kata sandi" in client.get(reverse("password_change")).content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "sandi-uji-123",
            "new_password1": "Lapas-Baru-2026!",
            "new_password2": "Lapas-Baru-2026!",
        },
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_passwords_hashed_with_argon2():
    from rutan.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_longest_first_modules_exist():
    from tests.conftest import LONGEST_FIRST

    root = Path(__file__).resolve().parents[1]
    assert [p for p in LONGEST_FIRST if not (root / p).exists()] == []
