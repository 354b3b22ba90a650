"""Verification in two steps (TOTP): required for national admins, facility heads and
psychologists, optional for others; codes computed here as the phone's app would."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rutan.accounts.selectors import SECOND_FACTOR_ROLES
from rutan.core.models import AuditEntry
from rutan.core.roles import Role
from tests.factories import authenticator, member, password_login, totp_code

SETUP = "/akun/dua-langkah/siapkan/"
VERIFY = "/akun/dua-langkah/verifikasi/"


@pytest.fixture
def psikolog(balikpapan):
    return member(Role.PSYCHOLOGIST, facility=balikpapan, username="psikolog")


def _set_up(client):
    """Open the set-up page, read the secret as a person types it, enter its code."""
    page = client.get(SETUP + "?next=/wbp/")
    assert page.status_code == 200
    html = page.content.decode()
    secret = re.search(r'<code class="otp-secret"[^>]*>([A-Z2-7 ]+)</code>', html)[1]
    device = TOTPDevice.objects.get(confirmed=False)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    return client.post(SETUP, {"token": totp_code(device), "next": "/wbp/"}), device


def test_the_roles_that_require_it():
    assert {Role.NATIONAL_ADMIN, Role.FACILITY_HEAD, Role.PSYCHOLOGIST} == SECOND_FACTOR_ROLES


@pytest.mark.parametrize("who", ["kepala", "national_admin", "psikolog"])
def test_a_required_user_without_device_reaches_only_the_set_up(request, who, balikpapan):
    user = request.getfixturevalue(who)
    client = Client()
    password_login(client, user)
    for path in ("/", "/wbp/", "/admin/", "/akun/kata-sandi/", "/reports/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP + "?next=")
    page = client.get(SETUP).content.decode()
    assert "Register WBP" not in page and "Ganti kata sandi" not in page  # no menu yet
    api = client.get("/api/v1/facilities/")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    assert client.get(SETUP).status_code == 200


def test_set_up_shows_a_qr_code_and_the_secret_then_backup_codes_once(kepala):
    client = Client()
    password_login(client, kepala)
    page = client.get(SETUP)
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "<script" not in html.split("<footer")[0]
    wrong = client.post(SETUP, {"token": "000000"})
    assert wrong.status_code == 200 and "Kode tidak cocok" in wrong.content.decode()
    TOTPDevice.objects.filter(user=kepala).update(throttling_failure_count=0)

    done, device = _set_up(client)
    assert done.status_code == 302 and done["Location"].startswith(
        "/akun/dua-langkah/kode-cadangan/"
    )
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    stored = set(StaticToken.objects.filter(device__user=kepala).values_list("token", flat=True))
    assert len(codes) == 8 and set(codes) == stored
    assert 'href="/wbp/"' in codes_page
    again = client.get(done["Location"]).content.decode()
    assert not re.findall(r"<li><code>", again)
    assert client.get("/wbp/").status_code == 200
    assert client.get("/api/v1/facilities/").status_code == 200
    assert AuditEntry.objects.filter(object_type="accounts.user", object_id=str(kepala.pk)).exists()


def test_every_new_session_asks_for_a_code(kepala):
    device = authenticator(kepala)
    client = Client()
    password_login(client, kepala)
    response = client.get("/wbp/?status=active")
    assert response.status_code == 302
    assert response["Location"] == VERIFY + "?next=%2Fwbp%2F%3Fstatus%3Dactive"
    wrong = client.post(VERIFY, {"token": "123456", "next": "/wbp/"})
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    assert client.get("/wbp/").status_code == 302
    # Right after a wrong code the device waits a second: a right one is refused too.
    early = client.post(VERIFY, {"token": totp_code(device), "next": "/wbp/"})
    assert "Terlalu banyak kode salah" in early.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    ok = client.post(VERIFY, {"token": totp_code(device), "next": "/wbp/"})
    assert ok.status_code == 302 and ok["Location"] == "/wbp/"
    assert client.get("/wbp/").status_code == 200
    assert client.get("/admin/").status_code == 200

    other = Client()
    password_login(other, kepala)
    assert other.get("/").status_code == 302  # verification is per session


def test_a_code_is_accepted_once_and_the_next_url_stays_on_the_site(kepala):
    device = authenticator(kepala)
    code = totp_code(device)
    first, second = Client(), Client()
    password_login(first, kepala)
    password_login(second, kepala)
    assert first.post(VERIFY, {"token": code, "next": "https://evil.example/"})["Location"] == "/"
    assert "Kode salah" in second.post(VERIFY, {"token": code}).content.decode()
    assert second.get("/").status_code == 302


def test_a_backup_code_works_once(kepala):
    client = Client()
    password_login(client, kepala)
    _set_up(client)
    code = StaticToken.objects.filter(device__user=kepala).first().token
    for attempt in range(2):
        fresh = Client()
        password_login(fresh, kepala)
        response = fresh.post(VERIFY, {"token": code.upper()})
        if attempt == 0:
            assert response.status_code == 302
            assert fresh.get("/").status_code == 200
        else:
            assert response.status_code == 200 and "Kode salah" in response.content.decode()
    assert StaticToken.objects.filter(device__user=kepala).count() == 7


def test_an_optional_user_may_set_it_up_and_remove_it(pembina):
    client = Client()
    password_login(client, pembina)
    assert client.get("/").status_code == 200
    overview = client.get("/akun/dua-langkah/").content.decode()
    assert "Belum aktif" in overview and "Siapkan sekarang" in overview
    _set_up(client)
    assert "Matikan verifikasi dua langkah" in client.get("/akun/dua-langkah/").content.decode()

    later = Client()
    password_login(later, pembina)
    assert later.get("/")["Location"].startswith(VERIFY)  # a device means a code every time

    wrong = client.post("/akun/dua-langkah/hapus/", {"password": "salah"})
    assert wrong.status_code == 200 and "Kata sandi salah" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=pembina).exists()
    removed = client.post("/akun/dua-langkah/hapus/", {"password": "sandi-uji-123"})
    assert removed.status_code == 302
    assert not TOTPDevice.objects.filter(user=pembina).exists()
    assert client.get("/").status_code == 200
    again = Client()
    password_login(again, pembina)
    assert again.get("/").status_code == 200


def test_a_required_user_cannot_remove_it(kepala, client):
    client.force_login(kepala)
    page = client.get("/akun/dua-langkah/").content.decode()
    assert "tidak bisa dimatikan" in page and "/akun/dua-langkah/hapus/" not in page
    refused = client.post("/akun/dua-langkah/hapus/", {"password": "sandi-uji-123"}, follow=True)
    assert "mewajibkan verifikasi dua langkah" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=kepala, confirmed=True).exists()


def test_new_backup_codes_replace_the_old(kepala, client):
    client.force_login(kepala)
    old = StaticToken.objects.create(
        device=kepala.staticdevice_set.create(name="lama", confirmed=True), token="lamalama"
    )
    response = client.post("/akun/dua-langkah/kode-cadangan/baru/", follow=True)
    assert len(re.findall(r"<li><code>", response.content.decode())) == 8
    assert not StaticToken.objects.filter(pk=old.pk).exists()


def test_a_national_admin_resets_a_lost_phone(national_admin, kepala, client):
    authenticator(kepala)
    client.force_login(national_admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "second_factor_reset", "_selected_action": [kepala.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "disetel ulang" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=kepala).exists()
    fresh = Client()
    password_login(fresh, kepala)
    assert fresh.get("/")["Location"].startswith(SETUP)


def test_the_admin_site_lists_no_device_secrets(national_admin, client):
    client.force_login(national_admin)
    index = client.get("/admin/").content.decode()
    assert "otp_totp" not in index and "otp_static" not in index and "knox" not in index


def test_without_enforcement_a_required_user_signs_in_with_the_password(settings, kepala):
    settings.TWO_FACTOR_REQUIRED = False
    client = Client()
    password_login(client, kepala)
    assert client.get("/").status_code == 200
    page = client.get("/akun/dua-langkah/").content.decode()
    assert "mewajibkannya di server produksi" in page


def test_the_verify_page_is_indonesian_and_has_no_inline_script(kepala):
    authenticator(kepala)
    client = Client()
    password_login(client, kepala)
    page = client.get(VERIFY).content.decode()
    assert "masukkan kode enam angka untuk Rutan" in page
    assert "Verifikasi dua langkah" in page and 'autocomplete="one-time-code"' in page
    assert "<script>" not in page and " style=" not in page
