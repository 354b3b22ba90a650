"""The lockout (django-axes) by username and address: a stranger elsewhere cannot lock a
colleague out, a lockout ends after its cool-off, and the address is read safely."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from rest_framework.throttling import AnonRateThrottle

from rutan.accounts.addresses import client_ip

A, B, PROXY = "203.0.113.10", "198.51.100.20", "192.0.2.1"
LOGIN = "/akun/masuk/"


def _try(password, address, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(LOGIN, {"username": "pembina", "password": password})
    return response


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def test_with_no_trusted_proxy_a_forwarded_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR=A, HTTP_X_FORWARDED_FOR=B)
    assert client_ip(request) == A
    assert AnonRateThrottle().get_ident(request) == A


def test_behind_one_proxy_the_address_it_saw_counts(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote B itself; the proxy appended the address it received from (A).
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{B}, {A}")
    assert client_ip(request) == A
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY


def test_a_spoofed_header_does_not_move_a_lockout(pembina, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _try("salah", A, HTTP_X_FORWARDED_FOR=f"203.0.113.{100 + n}")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [A]
    assert not _signed_in(_try("sandi-uji-123", A, HTTP_X_FORWARDED_FOR=B))


def test_a_lockout_at_one_address_leaves_the_user_free_at_another(pembina, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try("salah", A)
    locked = _try("sandi-uji-123", A)
    assert locked.status_code == 429 and "Akun dikunci sementara" in locked.content.decode()
    assert _signed_in(_try("sandi-uji-123", B))


def test_a_lockout_ends_after_the_cool_off_even_if_the_stranger_keeps_trying(pembina, settings):
    start = timezone.now()
    cool_off = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _try("salah", A)
    with time_machine.travel(start + cool_off / 2, tick=False):
        assert _try("salah", A).status_code == 429  # still locked, and the end stays put
    with time_machine.travel(start + cool_off + datetime.timedelta(minutes=1), tick=False):
        assert _signed_in(_try("sandi-uji-123", A))


@pytest.mark.parametrize("count", [0, 1])
def test_the_api_token_view_reads_the_address_the_same_way(pembina, settings, count):
    from rest_framework.test import APIClient

    settings.TRUSTED_PROXY_COUNT = count
    api = APIClient(REMOTE_ADDR=PROXY)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post(
            "/api/v1/auth/token/",
            {"username": "pembina", "password": "salah"},
            format="json",
            HTTP_X_FORWARDED_FOR=A,
        )
    expected = PROXY if count == 0 else A
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [expected]
