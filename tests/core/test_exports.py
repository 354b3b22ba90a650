import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from rutan.core import exports
from rutan.core.models import AuditAction, AuditEntry
from rutan.core.services import audit_record
from rutan.inmates.models import Inmate
from tests.exports import csv_rows, xlsx_rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+62 812", "'+62 812"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Budi = Santoso", "Budi = Santoso"),
        ("", ""),
    ],
)
def test_neutralise_quotes_what_a_spreadsheet_would_run(text, expected):
    assert exports.neutralise(text) == expected


def test_csv_text_writes_dates_day_first_in_the_facility_timezone():
    wita = zoneinfo.ZoneInfo("Asia/Makassar")
    moment = datetime.datetime(2026, 12, 1, 17, 30, tzinfo=datetime.UTC)
    assert exports.csv_text(datetime.date(2026, 12, 2)) == "02-12-2026"
    assert exports.csv_text(moment, wita) == "02-12-2026 01:30"
    assert exports.csv_text(None) == ""
    assert exports.csv_text(Decimal("2.50")) == "2.50"
    assert exports.csv_text(-3) == "-3"
    with translation.override("id"):
        assert exports.csv_text(True) == "Ya"
    with translation.override("en"):
        assert exports.csv_text(False) == "No"


def test_filename_is_safe(settings):
    name = exports.export_filename("Register WBP/../é", "csv")
    assert name.endswith(".csv")
    assert "/" not in name and ".." not in name
    assert name.startswith("register-wbp")


def test_filters_for_audit_keeps_only_what_was_set(balikpapan):
    plain = exports.filters_for_audit(
        {"q": "budi", "facility": balikpapan, "block": None, "on": datetime.date(2026, 1, 2)}
    )
    assert plain == {"q": "budi", "facility": balikpapan.pk, "on": "2026-01-02"}


@pytest.mark.django_db
def test_audit_record_of_many_rows_names_the_model_without_an_object(kepala):
    entry = audit_record(
        actor=kepala, action=AuditAction.READ, instance=Inmate, after={"rows": 3}, via="export"
    )
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.object_type, entry.object_id, entry.after) == ("inmates.inmate", "", {"rows": 3})


AUDIT_EXPORT = "admin:core_auditentry_export"


def _entries(n, *, facility, actor):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="inmates.inmate",
            object_id=str(i),
            object_repr=f"=Warga {i}",
            facility_id=facility.pk,
        )
        for i in range(n)
    )


def test_audit_log_export_follows_the_changelist_filters_and_scope(
    client, kepala, balikpapan, ruteng, kepala_ruteng
):
    _entries(3, facility=balikpapan, actor=kepala)
    _entries(2, facility=ruteng, actor=kepala_ruteng)
    AuditEntry.objects.create(
        actor=kepala,
        action=AuditAction.READ,
        object_type="inmates.inmate",
        object_id="9",
        object_repr="Baca",
        facility_id=balikpapan.pk,
    )
    client.force_login(kepala)
    changelist = client.get(reverse("admin:core_auditentry_changelist"), {"action": "update"})
    assert reverse(AUDIT_EXPORT, args=["csv"]) + "?action=update" in changelist.content.decode()
    url = reverse(AUDIT_EXPORT, args=["csv"])
    response = client.get(url, {"action": "update"})
    assert response["Content-Disposition"].startswith('attachment; filename="catatan-audit-')
    header, *rows = csv_rows(response)
    assert header[:3] == ["Waktu", "Pelaku", "Tindakan"]
    assert sorted(r[5] for r in rows) == ["'=Warga 0", "'=Warga 1", "'=Warga 2"]
    entry = AuditEntry.objects.get(via="export")
    assert entry.object_type == "core.auditentry" and entry.facility_id == balikpapan.pk
    assert entry.after == {"format": "csv", "filters": {"action": "update"}, "rows": 3}
    assert client.get(url, {"at__gte": "kemarin"}).status_code == 400
    assert client.get(reverse(AUDIT_EXPORT, args=["pdf"])).status_code == 404


def test_audit_log_export_queries_do_not_grow(
    client, kepala, balikpapan, django_assert_max_num_queries
):
    client.force_login(kepala)
    counts = []
    for total in (5, 30):
        _entries(total - (len(counts) and 5), facility=balikpapan, actor=kepala)
        with django_assert_max_num_queries(14) as captured:
            rows = xlsx_rows(client.get(reverse(AUDIT_EXPORT, args=["xlsx"]), {"via": ""}))
        counts.append(len(captured))
        assert len([r for r in rows[1:] if r[2] != "baca"]) == total
    assert counts[0] == counts[1]
