import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.utils import translation

from rutan.core import exports
from rutan.core.models import AuditAction, AuditEntry
from rutan.core.services import audit_record
from rutan.inmates.models import Inmate


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
