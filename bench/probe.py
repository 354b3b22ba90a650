"""The in-process half of `make bench` (bench/national.py runs it once per database).

Signs the bench users in (sessions and API tokens kept in the database, so gunicorn serves
them too), picks each page's URL from the data, checks the page answers, counts its queries
(with nothing cached, and from the cache) and times its service: the fastest of sequential
requests through the whole middleware stack, and the median of a few with nothing cached.
Prints one JSON line: {"pages": {name: {path, method, headers, body, queries,
cached_queries, service_ms, service_ms_median, cold_ms}}}.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rutan.settings.bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assessments import standings  # noqa: E402
from programmes.models import Programme, Session  # noqa: E402
from rutan.accounts.models import Membership, User  # noqa: E402
from rutan.core.roles import Role  # noqa: E402
from rutan.facilities.models import Facility, RegionalOffice  # noqa: E402
from rutan.inmates.choices import InmateStatus, LegalStatus  # noqa: E402
from rutan.inmates.models import Inmate  # noqa: E402
from tests.factories import api_token, verified_login  # noqa: E402


def bench_users() -> dict:
    """The facility head of the fullest facility, the regional officer of the region with
    most facilities, a national admin and a superuser (the admin pages)."""
    facility = (
        Facility.objects.annotate(
            held=Count("inmates", filter=Q(inmates__status=InmateStatus.ACTIVE))
        )
        .order_by("-held", "pk")
        .first()
    )
    head = Membership.objects.filter(role=Role.FACILITY_HEAD, facility=facility).first().user
    region = (
        RegionalOffice.objects.annotate(n=Count("facilities"))
        .filter(memberships__role=Role.REGIONAL_OFFICER)
        .order_by("-n", "pk")
        .first()
    )
    regional = (
        Membership.objects.filter(role=Role.REGIONAL_OFFICER, regional_office=region).first().user
    )
    national = Membership.objects.filter(role=Role.NATIONAL_ADMIN).order_by("pk").first().user
    superuser, created = User.objects.get_or_create(
        username="bench_superuser",
        defaults={"is_superuser": True, "is_staff": True, "first_name": "Bench"},
    )
    if created:
        superuser.set_unusable_password()
        superuser.save()
    return {
        "facility": facility,
        "region": region,
        "head": head,
        "regional": regional,
        "national": national,
        "superuser": superuser,
    }


def session_cookie(user) -> dict:
    client = Client()
    verified_login(client, user)
    name = settings.SESSION_COOKIE_NAME
    return {"Cookie": f"{name}={client.cookies[name].value}"}


def token_header(user) -> dict:
    return {"Authorization": f"Token {api_token(user)}"}


def pages(users: dict) -> dict:
    facility = users["facility"]
    today = facility.today()
    inmate = (
        Inmate.objects.filter(
            facility=facility, status=InmateStatus.ACTIVE, legal_status=LegalStatus.NARAPIDANA
        )
        .annotate(n=Count("remisi_grants"))
        .order_by("-n", "pk")
        .first()
    )
    programme = (
        Programme.objects.filter(facility=facility)
        .annotate(n=Count("enrolments"))
        .order_by("-n", "pk")
        .first()
    )
    session = (
        Session.objects.filter(programme=programme, date__lte=today, cancelled_at__isnull=True)
        .order_by("-date", "-start_time")
        .first()
    )
    # A surname-like fragment that finds some, not all, of the country's inmates.
    term = inmate.name.split()[-1][:5]
    head, national = session_cookie(users["head"]), session_cookie(users["national"])
    regional, superuser = session_cookie(users["regional"]), session_cookie(users["superuser"])
    head_token, national_token = token_header(users["head"]), token_header(users["national"])
    json_body = {"Content-Type": "application/json"}
    return {
        "dashboard_facility": {"path": "/", "headers": head},
        "dashboard_regional": {"path": "/", "headers": regional},
        "dashboard_national": {"path": "/", "headers": national},
        "register_facility": {"path": "/wbp/", "headers": head},
        "register_national": {"path": "/wbp/", "headers": national},
        "register_search_national": {"path": f"/wbp/?q={term}", "headers": national},
        "inmate_detail": {"path": f"/wbp/{inmate.pk}/", "headers": head},
        "programme_roster": {"path": f"/program/{programme.pk}/", "headers": head},
        "api_inmates_facility": {"path": "/api/v1/inmates/", "headers": head_token},
        "api_inmates_national": {"path": "/api/v1/inmates/", "headers": national_token},
        "admin_inmates_stock": {
            "path": "/bench/stock-admin/inmates/inmate/",
            "headers": superuser,
        },
        "admin_inmates": {"path": "/admin/inmates/inmate/", "headers": superuser},
        "attendance_save": {
            "path": "/api/v1/attendance/",
            "method": "POST",
            "headers": {**head_token, **json_body},
            "body": json.dumps({"session": session.pk, "absences": []}),
        },
    }


def request(client: Client, page: dict):
    headers = dict(page.get("headers", {}))
    cookie = headers.pop("Cookie", None)
    client.cookies.clear()
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    content_type = headers.pop("Content-Type", None)
    extra = {"headers": headers}
    if page.get("method") == "POST":
        return client.post(page["path"], page["body"], content_type=content_type, **extra)
    return client.get(page["path"], **extra)


def timed(client: Client, page: dict, *, cold: bool = False) -> float:
    if cold:
        cache.clear()
    started = time.perf_counter()
    response = request(client, page)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code in (200, 201), (page["path"], response.status_code)
    return elapsed


def measure(page: dict, samples: int, cold_samples: int = 3) -> dict:
    """The page's queries with nothing cached (the work it does when its data changed) and
    from the cache; its service time from the cache (the fastest of `samples` sequential
    requests: a shared machine only ever adds time) and with nothing cached (the median of
    `cold_samples`)."""
    client = Client()
    response = request(client, page)  # warm: templates, connection
    if response.status_code not in (200, 201):
        raise SystemExit(f"{page['path']} answered {response.status_code}")
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        request(client, page)
    queries = len(captured)  # now: the next request resets the connection's query log
    with CaptureQueriesContext(connection) as captured:
        request(client, page)
    cached_queries = len(captured)
    cold = [timed(client, page, cold=True) for _ in range(cold_samples)]
    request(client, page)
    times = [timed(client, page) for _ in range(samples)]
    return {
        **page,
        "queries": queries,
        "cached_queries": cached_queries,
        "service_ms": min(times),
        "service_ms_median": statistics.median(times),
        "cold_ms": statistics.median(cold),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    users = bench_users()
    # The bench facility's stored eligibility, judged as the sweep would after the seed
    # (the facility dashboard counts it); its time is the nightly cost of one facility.
    book = standings.refresh(users["facility"])
    print(
        f"  standings of {users['facility'].name}: {book.inmates} WBP in {book.seconds:.2f} s",
        file=sys.stderr,
        flush=True,
    )
    result = {}
    for name, page in pages(users).items():
        result[name] = measure(page, args.samples)
        print(
            f"  {name:<26} {result[name]['queries']:3d} queries "
            f"({result[name]['cached_queries']} cached)  {result[name]['service_ms']:8.1f} ms "
            f"(median {result[name]['service_ms_median']:.1f}, nothing cached "
            f"{result[name]['cold_ms']:.1f})",
            file=sys.stderr,
            flush=True,
        )
    facility = users["facility"]
    print(
        json.dumps(
            {
                "pages": result,
                "facility": facility.name,
                "facility_code": facility.code,
                "standings_s": book.seconds,
                "standings_inmates": book.inmates,
            }
        )
    )


if __name__ == "__main__":
    main()
