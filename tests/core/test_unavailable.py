"""A database that does not answer gives a clean 503 with Retry-After (JSON under /api/),
never Django's bare 500; any other uncaught error gives the project's own 500 page."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

DOWN = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


def _client(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _db_down(exc=DOWN):
    # The first thing a signed-in request reads from the database is its user.
    return mock.patch("django.contrib.auth.middleware.auth.get_user", side_effect=exc)


@pytest.mark.parametrize("exc", [DOWN, InterfaceError("connection already closed")])
def test_page_answers_503_with_retry_after_when_the_database_is_down(kepala, exc, settings):
    client = _client(kepala)
    with _db_down(exc):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.SERVICE_UNAVAILABLE_RETRY_AFTER)
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Layanan sedang tidak tersedia" in body
    assert "Tidak ada data yang berubah" in body
    assert "Traceback" not in body and "connection to server" not in body
    assert response["X-Request-ID"] and response["X-Request-ID"] in body


def test_api_answers_503_json_when_the_database_is_down(kepala):
    client = _client(kepala)
    with _db_down():
        response = client.get("/api/v1/inmates/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "service_unavailable"
    assert "connection to server" not in response.json()["detail"]


def test_a_wrapped_database_error_is_still_unavailable(kepala):
    def raise_wrapped(*args, **kwargs):
        try:
            raise DOWN
        except OperationalError as exc:
            raise RuntimeError("while loading the user") from exc

    with mock.patch("django.contrib.auth.middleware.auth.get_user", side_effect=raise_wrapped):
        response = _client(kepala).get("/")
    assert response.status_code == 503


def test_other_errors_give_the_own_500_page_without_details(kepala):
    with mock.patch(
        "django.contrib.auth.middleware.auth.get_user", side_effect=ValueError("secret detail")
    ):
        page = _client(kepala).get("/")
        api = _client(kepala).get("/api/v1/inmates/")
    assert page.status_code == 500 and "Retry-After" not in page
    assert "Terjadi kesalahan" in page.content.decode()
    assert "secret detail" not in page.content.decode()
    assert api.status_code == 500 and api.json()["code"] == "error"


def test_the_error_page_reads_nothing_from_the_database(kepala, django_assert_num_queries):
    from django.test import RequestFactory

    from rutan.core.views import server_error

    request = RequestFactory().get("/wbp/")
    with django_assert_num_queries(0):
        try:
            raise DOWN
        except OperationalError:
            response = server_error(request)
    assert response.status_code == 503
