"""Importing the remisi ledger: each decree through `remisi_grant_create`, nothing overwritten."""

import datetime

import pytest

from rutan.core.models import AuditEntry
from rutan.imports.models import ImportStatus
from rutan.inmates.models import RemisiGrant
from tests.imports import files

pytestmark = pytest.mark.django_db

HEADER = ["registration_number", "kind", "decree_number", "decree_date", "months", "days"]


def test_preview_writes_nothing_then_confirm_adds_grants_and_release_moves(
    balikpapan, registrasi, make_inmate
):
    inmate = make_inmate(balikpapan, remission_days=0)
    detainee = make_inmate(balikpapan, register_type="A.II", legal_status="tahanan")
    release = inmate.expected_release_date
    rows = [
        [inmate.registration_number, "umum", "PAS-1.PK.05.04/2025", "17/08/2025", 1, 0],
        [
            inmate.registration_number,
            "Remisi khusus (hari besar keagamaan)",
            "PAS-2",
            "2025-12-25",
            0,
            15,
        ],
        [inmate.registration_number, "umum", "PAS-1.PK.05.04/2025", "17/08/2025", 1, 0],
        ["XX.404", "umum", "PAS-3", "17/08/2025", 1, 0],
        [detainee.registration_number, "umum", "PAS-4", "17/08/2025", 1, 0],
        [inmate.registration_number, "umum", "PAS-5", "17/08/2099", 1, 0],
    ]

    previewed = files.preview("remisi", balikpapan, registrasi, files.csv_file(rows, HEADER))

    assert previewed.status == ImportStatus.PREVIEWED
    assert previewed.counts == {"create": 2, "update": 0, "unchanged": 0, "error": 4}
    reasons = {e["line"]: (e["column"], e["message"]) for e in previewed.errors}
    assert "baris 2" in reasons[4][1]
    assert reasons[5][0] == "registration_number" and "XX.404" in reasons[5][1]
    assert "narapidana" in reasons[6][1]
    assert reasons[7][0] == "decree_date" and "masa depan" in reasons[7][1]
    assert not RemisiGrant.objects.filter(inmate=inmate).exists()

    written = files.confirm(previewed, registrasi)

    assert written.counts["create"] == 2
    assert set(
        RemisiGrant.objects.filter(inmate=inmate).values_list("decree_number", flat=True)
    ) == {
        "PAS-1.PK.05.04/2025",
        "PAS-2",
    }
    inmate.refresh_from_db()
    assert inmate.expected_release_date == release - datetime.timedelta(days=30 + 15)
    assert AuditEntry.objects.filter(object_type="inmates.remisigrant").count() == 2

    again = files.preview("remisi", balikpapan, registrasi, files.csv_file(rows, HEADER))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "error": 4}


def test_a_recorded_decree_with_other_figures_is_refused_not_overwritten(
    balikpapan, registrasi, make_inmate
):
    inmate = make_inmate(balikpapan)
    grant = inmate.remisi_grants.get()
    rows = [[inmate.registration_number, "umum", grant.decree_number, "01/01/2025", 2, 0]]

    result = files.preview("remisi", balikpapan, registrasi, files.csv_file(rows, HEADER))

    assert result.counts["error"] == 1
    assert "hapus remisi itu" in result.errors[0]["message"]
    grant.refresh_from_db()
    assert (grant.months, grant.days) == (0, 5)


def test_other_facility_rows_and_users_are_refused(
    balikpapan, ruteng, registrasi, kepala_ruteng, make_inmate
):
    inmate = make_inmate(balikpapan, remission_days=0)
    rows = [
        [inmate.registration_number, "umum", "PAS-9", "17/08/2025", 1, 0, ruteng.code],
        [inmate.registration_number, "umum", "PAS-8", "17/08/2025", 1, 0, balikpapan.code],
    ]
    upload = files.csv_file(rows, [*HEADER, "facility_code"])

    result = files.preview("remisi", balikpapan, registrasi, upload)

    assert result.counts == {"create": 1, "update": 0, "unchanged": 0, "error": 1}
    assert result.errors[0]["column"] == "facility_code"
    assert ruteng.code in result.errors[0]["message"]
    with pytest.raises(Exception, match="berwenang"):
        files.preview(
            "remisi", balikpapan, kepala_ruteng, files.csv_file(rows, [*HEADER, "facility_code"])
        )
