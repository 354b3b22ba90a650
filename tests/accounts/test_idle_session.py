"""Idle sessions end after SESSION_IDLE_TIMEOUT (30 minutes by default) with a message; the
page warns before and "Tetap masuk" keeps the session."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

START = timezone.now().replace(microsecond=0)


def _at(minutes):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


@pytest.fixture
def signed_in(client, pembina):
    with _at(0):
        client.force_login(pembina)
    return client


def test_the_default_is_thirty_minutes():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_activity_keeps_the_session_and_idleness_ends_it(signed_in):
    with _at(29):
        assert signed_in.get("/").status_code == 200
    with _at(58):
        assert signed_in.get("/").status_code == 200  # 29 minutes after the last request
    with _at(89):
        response = signed_in.get("/wbp/", follow=True)
    assert response.redirect_chain[0][0].startswith("/akun/masuk/?next=/wbp/")
    page = response.content.decode()
    assert "Sesi Anda berakhir karena tidak ada aktivitas selama 30 menit" in page
    with _at(90):
        assert signed_in.get("/").status_code == 302


def test_the_api_by_session_answers_401_once_idle(signed_in):
    with _at(31):
        response = signed_in.get("/api/v1/facilities/")
    assert response.status_code == 401


def test_a_session_ends_twelve_hours_after_sign_in_however_active(signed_in):
    for minutes in range(20, 12 * 60, 20):
        with _at(minutes):
            assert signed_in.get("/").status_code == 200, minutes
    with _at(12 * 60 + 5):
        response = signed_in.get("/", follow=True)
    assert "Sesi Anda sudah terlalu lama" in response.content.decode()


def test_pages_carry_the_warning_and_its_script(signed_in):
    with _at(10):
        page = signed_in.get("/").content.decode()
    assert '<dialog id="session-timeout" data-remaining="1800" data-warn="120"' in page
    assert '<script src="/static/js/session-timeout.js" defer></script>' in page
    assert "Tetap masuk" in page


def test_the_remaining_time_counts_from_the_last_request(signed_in):
    with _at(10):
        signed_in.get("/")
    with _at(10.5):
        page = signed_in.get("/").content.decode()
    assert 'data-remaining="1770"' in page  # written once a minute at most


def test_keep_alive_restarts_the_clock(signed_in):
    with _at(28):
        response = signed_in.post("/akun/sesi/tetap-masuk/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"remaining": 1800}
    with _at(57):
        assert signed_in.get("/").status_code == 200
    with _at(57.5):
        plain = signed_in.post("/akun/sesi/tetap-masuk/", {"next": "/wbp/"})
    assert plain.status_code == 302 and plain["Location"] == "/wbp/"


def test_keep_alive_after_the_end_answers_401(signed_in):
    with _at(40):
        response = signed_in.post("/akun/sesi/tetap-masuk/", HTTP_ACCEPT="application/json")
    assert response.status_code == 401


def test_the_login_page_has_no_warning(db, client):
    assert "session-timeout" not in client.get("/akun/masuk/").content.decode()


def test_the_timeout_is_a_setting(signed_in, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with _at(6):
        response = signed_in.get("/", follow=True)
    assert "selama 5 menit" in response.content.decode()
