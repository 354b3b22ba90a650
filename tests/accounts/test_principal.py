"""A signed-in request reads its session, user and memberships from the cache
(rutan.accounts.principal, rutan.accounts.session_store): no query for them, every change
seen at the next request, and a failing cache answered by the database."""

import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rutan.accounts import principal
from rutan.accounts.models import Membership
from rutan.core.roles import Role

KEEPALIVE = "/akun/sesi/tetap-masuk/"
READ_PER_REQUEST = ('FROM "django_session"', 'FROM "accounts_user"', 'FROM "accounts_membership"')


def _reads(client, path):
    """The answer to GET `path` (POST for the keep-alive) and the per-request rows it read."""
    call = client.post if path == KEEPALIVE else client.get
    with CaptureQueriesContext(connection) as queries:
        response = call(path, HTTP_ACCEPT="application/json")
    return response, [q["sql"] for q in queries if any(t in q["sql"] for t in READ_PER_REQUEST)]


@pytest.fixture
def signed_in(client, pembina):
    client.force_login(pembina)
    return client


def test_a_signed_in_request_reads_no_session_user_or_membership_row(signed_in):
    first, _ = _reads(signed_in, KEEPALIVE)
    assert first.status_code == 200
    response, reads = _reads(signed_in, "/wbp/")
    assert response.status_code == 200
    assert reads == []


def test_a_deactivated_user_is_signed_out_at_the_next_request(signed_in, pembina):
    assert signed_in.get("/wbp/").status_code == 200
    pembina.is_active = False
    pembina.save()
    response = signed_in.get("/wbp/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")


def test_a_new_password_ends_the_session_at_the_next_request(signed_in, pembina):
    assert signed_in.get("/wbp/").status_code == 200
    pembina.set_password("a-new-password-2026")
    pembina.save()
    assert signed_in.get("/wbp/").status_code == 302


def test_a_moved_membership_moves_the_scope_at_the_next_request(
    signed_in, pembina, make_inmate, balikpapan, ruteng
):
    inmate = make_inmate(balikpapan)
    page = f"/wbp/{inmate.pk}/"
    assert signed_in.get(page).status_code == 200
    membership = Membership.objects.get(user=pembina)
    membership.facility = ruteng
    membership.save()
    assert signed_in.get(page).status_code == 404
    Membership.objects.filter(user=pembina).delete()
    Membership.objects.create(user=pembina, role=Role.PROGRAMME_OFFICER, facility=balikpapan)
    assert signed_in.get(page).status_code == 200


def test_a_facility_timezone_change_reaches_its_members(pembina, balikpapan):
    assert principal.load(pembina.pk)._rutan_home == (balikpapan.pk, balikpapan.timezone)
    balikpapan.timezone = "Asia/Jayapura"
    balikpapan.save()
    assert principal.load(pembina.pk)._rutan_home == (balikpapan.pk, "Asia/Jayapura")


def test_cached_copies_live_no_longer_than_their_settings(signed_in, pembina, settings):
    signed_in.post(KEEPALIVE, HTTP_ACCEPT="application/json")
    store = caches["default"]
    session_key = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    session_entry = "django.contrib.sessions.cached_db" + session_key
    user_entry = principal.KEY.format(pembina.pk)
    for key, bound in (
        (store.make_and_validate_key(session_entry), settings.SESSION_CACHE_SECONDS),
        (store.make_and_validate_key(user_entry), settings.PRINCIPAL_CACHE_SECONDS),
    ):
        assert key in store._expire_info
        assert store._expire_info[key] - time.time() <= bound + 1


class _Down(Exception):
    pass


def _fail(*args, **kwargs):
    raise _Down("cache unreachable")


def test_a_failing_cache_is_answered_by_the_database(signed_in, monkeypatch):
    backend = type(caches["default"])
    for name in ("get", "set", "add", "delete", "delete_many", "has_key", "get_many"):
        monkeypatch.setattr(backend, name, _fail)
    response, reads = _reads(signed_in, KEEPALIVE)
    assert response.status_code == 200 and response.json()["remaining"] > 0
    assert len(reads) == 3  # the session, the user and the memberships, from the database
    response = signed_in.post("/akun/keluar/")
    assert response.status_code == 302
    monkeypatch.undo()
    assert signed_in.post(KEEPALIVE, HTTP_ACCEPT="application/json").status_code == 401


def test_signing_out_drops_the_cached_session(signed_in):
    signed_in.post(KEEPALIVE, HTTP_ACCEPT="application/json")
    signed_in.post("/akun/keluar/")
    assert signed_in.post(KEEPALIVE, HTTP_ACCEPT="application/json").status_code == 401
