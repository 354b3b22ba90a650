"""`make bench`'s own parts: the hello view and the stock admin it compares with answer
through the product's middleware, and the targets are judged as the issue states them."""

import pytest
from django.test import override_settings

from bench.national import targets


@override_settings(ROOT_URLCONF="bench.urls")
def test_hello_and_the_stock_admin_answer(client, db):
    from rutan.accounts.models import User

    response = client.get("/bench/hello/")
    assert response.status_code == 200 and response.content == b"hello"
    admin = User.objects.create_superuser("bench_su", password="x-bench-1")
    client.force_login(admin)
    assert client.get("/bench/stock-admin/inmates/inmate/").status_code == 200
    assert client.get("/admin/inmates/inmate/").status_code == 200


def _figures(**overrides):
    figures = {"admin_inmates_stock_ratio": 0.001}
    for name in ("dashboard_facility", "dashboard_regional", "dashboard_national"):
        figures |= {f"{name}_ratio": 0.09, f"{name}_p95_ms": 80, f"{name}_growth": 1.1}
    for name in (
        "register_facility",
        "register_national",
        "register_search_national",
        "api_inmates_facility",
        "api_inmates_national",
        "admin_inmates",
    ):
        figures |= {f"{name}_ratio": 0.07, f"{name}_p95_ms": 90, f"{name}_growth": 1.2}
    for name in ("inmate_detail", "programme_roster", "attendance_save"):
        figures |= {f"{name}_growth": 1.0}
    figures |= {
        "attendance_save_p95_ms": 60,
        "report_overhead": 1.2,
        "batch_minutes": 4.5,
        "worker_rss_mb": 250,
        "seed_national_minutes": 6,
    }
    return figures | overrides


def test_every_target_holds_on_figures_that_meet_them():
    assert [label for label, ok, _ in targets(_figures()) if not ok] == []


@pytest.mark.parametrize(
    "overrides, failing",
    [
        ({"dashboard_national_ratio": 0.07}, "dashboard_national_ratio ≥ 0.08"),
        ({"register_national_p95_ms": 101}, "register_national_p95_ms ≤ 100"),
        ({"admin_inmates_stock_ratio": 0.008}, "admin_inmates ≥ 10× stock"),
        ({"inmate_detail_growth": 1.6}, "inmate_detail_growth ≤ 1.5"),
        ({"report_overhead": None}, "report_overhead ≤ 1.3"),
    ],
)
def test_a_missed_or_missing_figure_fails(overrides, failing):
    failed = [label for label, ok, _ in targets(_figures(**overrides)) if not ok]
    assert failing in failed


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bench_urls_answer_a_database_outage_with_the_products_503(kepala):
    """The fault stack serves bench.urls: without the product's handler500 there, a
    PostgreSQL restart answered Django's bare 500 (found by tests/faults)."""
    from unittest import mock

    from django.db import OperationalError
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(kepala)
    down = OperationalError("connection refused")
    with mock.patch("django.contrib.auth.middleware.auth.get_user", side_effect=down):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"]
