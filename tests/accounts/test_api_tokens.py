"""API tokens: obtained with the password (and the second factor where the account has
one), stored as a digest, expiring, ended by sign-out, password change and reset."""

import datetime
import hashlib
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from rutan.core.throttling import TokenRateThrottle
from tests.factories import api_token, authenticator, totp_code

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "sandi-uji-123"


def _obtain(username, password=PASSWORD, **extra):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )


def _works(token) -> bool:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/v1/facilities/").status_code == 200


def test_a_token_is_shown_once_and_only_its_digest_is_stored(pembina):
    before = timezone.now()
    response = _obtain("pembina")
    after = timezone.now()
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    token = body["token"]
    row = AuthToken.objects.get(user=pembina)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest() and token not in row.digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        assert not any(token in str(value) for value in cursor.fetchone())
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    eight_hours = datetime.timedelta(hours=8)
    assert before + eight_hours <= expiry <= after + eight_hours
    assert _works(token)


def test_the_clear_token_table_is_gone(db):
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_token_expires_after_api_token_ttl(pembina):
    token = api_token(pembina)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=7, minutes=50)):
        assert _works(token)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=8, minutes=1)):
        assert not _works(token)
    assert not AuthToken.objects.filter(user=pembina).exists()  # an expired token is deleted


def test_a_user_with_an_authenticator_must_give_its_code(pembina):
    device = authenticator(pembina)
    missing = _obtain("pembina")
    assert missing.status_code == 400 and "otp" in missing.json()["errors"]
    wrong = _obtain("pembina", otp="000000")
    assert wrong.status_code == 400 and wrong.json()["errors"]["otp"]
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    assert _obtain("pembina", otp=totp_code(device)).status_code == 200
    assert not AuthToken.objects.filter(user=pembina).count() > 1


def test_a_required_user_without_authenticator_gets_no_token(kepala):
    response = _obtain("kepala")
    assert response.status_code == 400 and "verifikasi dua langkah" in response.json()["detail"]
    assert not AuthToken.objects.exists()


def test_a_wrong_password_gets_no_token(pembina):
    response = _obtain("pembina", password="salah")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not AuthToken.objects.exists()


def test_api_logout_ends_that_token_only(pembina):
    first, second = api_token(pembina), api_token(pembina)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert not _works(first) and _works(second)


def test_signing_out_of_the_site_ends_every_token(pembina):
    token = api_token(pembina)
    client = Client()
    client.force_login(pembina)
    assert client.post("/akun/keluar/").status_code == 302
    assert not _works(token)


def test_a_password_change_ends_every_token(pembina, client):
    token = api_token(pembina)
    client.force_login(pembina)
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "sandi-baru-yang-panjang-9",
            "new_password2": "sandi-baru-yang-panjang-9",
        },
    )
    assert response.status_code == 302
    assert not _works(token)
    assert client.get("/").status_code == 200  # this session stays signed in


def test_a_password_reset_ends_every_token(pembina):
    pembina.email = "pembina@rutan.invalid"
    pembina.save()
    token = api_token(pembina)
    client = Client()
    client.post("/akun/kata-sandi/lupa/", {"email": "pembina@rutan.invalid"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/kata-sandi/atur/" in line)
    form = client.get(urlparse(link.strip()).path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "sandi-baru-yang-panjang-9",
            "new_password2": "sandi-baru-yang-panjang-9",
        },
    )
    assert not _works(token)


def test_a_hash_upgraded_at_sign_in_keeps_the_tokens(pembina, settings):
    token = api_token(pembina)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert _obtain("pembina").status_code == 200  # rehashes the MD5 password
    pembina.refresh_from_db()
    assert pembina.password.startswith("pbkdf2_")
    assert _works(token)


def test_the_token_throttle_counts_per_token_without_its_secret(pembina, rf):
    token = api_token(pembina)
    request = rf.get("/")
    request.auth = AuthToken.objects.get(user=pembina)
    key = TokenRateThrottle().get_cache_key(request, None)
    assert request.auth.digest in key and token not in key


@pytest.fixture
def schema(db):
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_documents_the_token_answer(schema):
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(body["properties"]) == {"token", "expiry"}
    assert "shown only in this answer" in operation["description"]
    assert "/api/v1/auth/logout/" in schema["paths"]
