"""Password reset by e-mail: Indonesian, one answer for known and unknown addresses, a link
that works once, limited per address."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

RESET = "/akun/kata-sandi/lupa/"
DONE = "/akun/kata-sandi/lupa/terkirim/"
NEW = "sandi-baru-yang-panjang-9"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pembina_with_mail(pembina):
    pembina.email = "dewi@rutan.invalid"
    pembina.save()
    return pembina


def _link(message) -> str:
    return urlparse(re.search(r"https?://\S+/akun/kata-sandi/atur/\S+", message.body)[0]).path


def test_the_login_page_links_to_the_reset(db, client):
    page = client.get("/akun/masuk/").content.decode()
    assert f'href="{RESET}"' in page and "Lupa kata sandi?" in page


def test_a_known_and_an_unknown_address_get_the_same_answer(pembina_with_mail, client):
    known = client.post(RESET, {"email": "DEWI@rutan.invalid"})
    unknown = client.post(RESET, {"email": "tidak-ada@rutan.invalid"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == DONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dewi@rutan.invalid"]
    assert message.subject == "Atur ulang kata sandi Rutan"
    assert "Kami menerima permintaan" in message.body and "pembina" in message.body
    # The link points at SITE_URL, never at the Host the request named.
    assert "http://127.0.0.1:8000/akun/kata-sandi/atur/" in message.body
    done = client.get(DONE).content.decode()
    assert "Bila alamat itu terdaftar" in done


def test_the_link_sets_a_new_password_once(pembina_with_mail):
    client = Client()
    client.post(RESET, {"email": "dewi@rutan.invalid"})
    link = _link(mail.outbox[0])
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    assert (
        "Buat kata sandi baru" in form.content.decode() and "new_password1" in form.content.decode()
    )
    mismatch = client.post(set_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert mismatch.status_code == 200
    pembina_with_mail.refresh_from_db()
    assert pembina_with_mail.check_password("sandi-uji-123")
    saved = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert saved.status_code == 302 and saved["Location"] == "/akun/kata-sandi/atur/selesai/"
    pembina_with_mail.refresh_from_db()
    assert pembina_with_mail.check_password(NEW)
    again = Client().get(link, follow=True).content.decode()
    assert "Tautan ini tidak berlaku lagi" in again and "new_password1" not in again


def test_requests_are_limited_per_address_whether_known_or_not(pembina_with_mail, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    client = Client()
    for email in ("dewi@rutan.invalid", "lain@rutan.invalid"):
        assert client.post(RESET, {"email": email}).status_code == 302
    for email in ("dewi@rutan.invalid", "lain@rutan.invalid"):
        refused = client.post(RESET, {"email": email})
        assert refused.status_code == 429
        assert "Terlalu banyak permintaan" in refused.content.decode()
    assert len(mail.outbox) == 1
    other_office = Client(REMOTE_ADDR="198.51.100.7")
    assert other_office.post(RESET, {"email": "lain@rutan.invalid"}).status_code == 302


def test_requests_are_limited_per_email(pembina_with_mail, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 1
    Client(REMOTE_ADDR="198.51.100.1").post(RESET, {"email": "dewi@rutan.invalid"})
    refused = Client(REMOTE_ADDR="198.51.100.2").post(RESET, {"email": "dewi@rutan.invalid"})
    assert refused.status_code == 429 and len(mail.outbox) == 1


def test_a_bad_address_gets_an_indonesian_message(db, client):
    response = client.post(RESET, {"email": "bukan-email"})
    assert response.status_code == 200 and "Alamat e-mail tidak valid" in response.content.decode()
    assert not mail.outbox
