"""Bulk SPPN scores: each row goes through `behaviour_scores_save`, the service of the SPPN
page, so a score imported is recorded (assessor, audit) like one typed in."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from assessments import services as assessment_services
from assessments.imports import parse_month
from assessments.models import BehaviourScore
from rutan.core.models import AuditEntry
from rutan.imports import engine
from rutan.imports.models import ImportStatus
from tests.imports import files

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def months(balikpapan):
    current = balikpapan.today().replace(day=1)
    return {
        "last": current - relativedelta(months=1),
        "before": current - relativedelta(months=2),
        "next": current + relativedelta(months=1),
    }


@pytest.fixture
def men(balikpapan, pembina, make_inmate, months):
    inmates = [
        make_inmate(balikpapan, registration_number=f"BI.{n:03d}/2025", name=f"Warga {n}")
        for n in range(1, 4)
    ]
    assessment_services.behaviour_score_create(
        inmate=inmates[0],
        month=months["before"],
        by=pembina,
        kepribadian=75,
        kemandirian=75,
        sikap=75,
        kondisi_mental=75,
    )
    return inmates


def row(number, month, scores=(80, 70, 75, 90), note="", **extra) -> dict:
    aspects = ("kepribadian", "kemandirian", "sikap", "kondisi_mental")
    return {
        "registration_number": number,
        "month": month,
        **dict(zip(aspects, scores, strict=True)),
        "note": note,
        **extra,
    }


def preview(facility, by, upload):
    return files.preview("sppn", facility, by, upload)


def test_preview_then_confirm_then_reimport(balikpapan, pembina, men, months):
    last, before, later = months["last"], months["before"], months["next"]
    rows = [
        row("BI.001/2025", f"{before:%m/%Y}", (75, 75, 75, 75)),
        row("BI.001/2025", f"{last:%Y-%m}", note=FORMULA),
        row("BI.002/2025", f"15/{last:%m/%Y}"),
        row("BI.002/2025", f"{before:%Y-%m}", (101, 70, 75, 90)),
        row("BI.003/2025", f"{later:%Y-%m}"),
        row("BI.003/2025", "Mei 2026"),
        row("XX.999/2025", f"{last:%Y-%m}"),
        row("BI.001/2025", f"{last:%m/%Y}"),
        row("BI.001/2025", f"{last:%Y-%m}"),
        row("BI.003/2025", f"{last:%Y-%m}", (80, "", 75, 90)),
    ]
    audits = AuditEntry.objects.count()

    result = preview(balikpapan, pembina, files.csv_file(rows))

    assert result.status == ImportStatus.PREVIEWED
    assert result.counts == {"create": 2, "update": 0, "unchanged": 1, "error": 7}
    assert BehaviourScore.objects.count() == 1 and AuditEntry.objects.count() == audits + 1
    by_line = {e["line"]: e for e in result.errors}
    assert by_line[5] == {
        "line": 5,
        "column": "kepribadian",
        "field": "kepribadian",
        "message": "Nilai paling besar 100.",
    }
    assert by_line[6]["column"] == "month"
    assert by_line[6]["message"] == "Bulan penilaian tidak boleh di masa depan."
    assert by_line[7]["column"] == "month" and "“Mei 2026” tidak dikenal" in by_line[7]["message"]
    assert by_line[8]["column"] == "registration_number"
    assert "sama dengan baris lain" in by_line[9]["message"]
    assert "baris 3" in by_line[10]["message"]
    assert by_line[11]["column"] == "kemandirian" and by_line[11]["message"] == "Wajib diisi."

    written = files.confirm(result, pembina)

    assert written.counts == result.counts
    score = BehaviourScore.objects.get(inmate=men[0], month=last)
    assert (score.kepribadian, score.kemandirian, score.sikap, score.kondisi_mental) == (
        80,
        70,
        75,
        90,
    )
    assert score.note == FORMULA and score.assessor == pembina and score.status == "final"
    assert BehaviourScore.objects.get(inmate=men[1]).month == last
    assert AuditEntry.objects.filter(
        object_type="assessments.behaviourscore", object_id=str(score.pk), actor=pembina
    ).exists()

    audited = AuditEntry.objects.filter(object_type="assessments.behaviourscore").count()
    again = files.confirm(preview(balikpapan, pembina, files.csv_file(rows)), pembina)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 7}
    assert BehaviourScore.objects.count() == 3
    assert AuditEntry.objects.filter(object_type="assessments.behaviourscore").count() == audited


def test_changed_scores_are_an_update_listing_the_aspects(balikpapan, pembina, men, months):
    before = months["before"]
    result = files.confirm(
        preview(
            balikpapan,
            pembina,
            files.csv_file([row("BI.001/2025", f"{before:%Y-%m}", (75, 75, 60, 75))]),
        ),
        pembina,
    )

    assert result.counts["update"] == 1 and result.rows[0]["changes"] == ["sikap"]
    assert BehaviourScore.objects.get(inmate=men[0], month=before).sikap == 60


def test_months_in_every_form(balikpapan, pembina, men, months):
    last = months["last"]
    serial = (last.replace(day=20) - engine.EXCEL_EPOCH).days
    rows = [
        row("BI.001/2025", f"{last:%Y-%m}", note=FORMULA),
        row("BI.002/2025", datetime.datetime.combine(last.replace(day=9), datetime.time())),
        row("BI.003/2025", serial),
    ]

    result = files.confirm(preview(balikpapan, pembina, files.xlsx_file(rows)), pembina)

    assert result.counts["create"] == 3
    assert set(BehaviourScore.objects.values_list("month", flat=True)) == {
        last,
        months["before"],
    }
    assert BehaviourScore.objects.get(inmate=men[0], month=last).note == FORMULA
    assert parse_month(f"{last:%m/%Y}") == parse_month(f"{last:%d/%m/%Y}") == last


def test_cp1252_and_utf8_bom_files(balikpapan, pembina, men, months):
    last = f"{months['last']:%Y-%m}"
    cp1252 = files.confirm(
        preview(
            balikpapan,
            pembina,
            files.csv_file(
                [row("BI.001/2025", last, note="Rajin – sopan, José")], encoding="cp1252"
            ),
        ),
        pembina,
    )
    bom = preview(
        balikpapan, pembina, files.csv_file([row("BI.002/2025", last)], encoding="utf-8-sig")
    )

    assert cp1252.counts["create"] == 1
    assert BehaviourScore.objects.get(inmate=men[0], month=months["last"]).note == (
        "Rajin – sopan, José"
    )
    assert bom.counts["create"] == 1 and bom.ignored_columns == []


def test_missing_column_needs_mapping_and_extra_columns_are_ignored(
    balikpapan, pembina, men, months
):
    data = row("BI.001/2025", f"{months['last']:%Y-%m}")
    del data["sikap"]

    missing = preview(balikpapan, pembina, files.csv_file([data]))
    extra = preview(
        balikpapan,
        pembina,
        files.csv_file([{**row("BI.001/2025", f"{months['last']:%Y-%m}"), "Rata-rata": 79}]),
    )

    assert missing.status == ImportStatus.NEEDS_MAPPING and missing.missing_columns == ["sikap"]
    assert extra.counts["create"] == 1 and extra.ignored_columns == ["Rata-rata"]


def test_other_facilities_and_roles_cannot_import(
    balikpapan, pembina, registrasi, kepala_ruteng, men, months, client
):
    last = f"{months['last']:%Y-%m}"
    data_import = preview(balikpapan, pembina, files.csv_file([row("BI.001/2025", last)]))
    outsiders = (kepala_ruteng, registrasi)
    files.assert_outsiders_refused(
        data_import.pk,
        "sppn",
        balikpapan,
        outsiders,
        lambda: files.csv_file([row("BI.002/2025", last)]),
    )
    for outsider in outsiders:
        client.force_login(outsider)
        assert client.get(f"/impor/sppn/upt/{balikpapan.pk}/").status_code == 404
        with pytest.raises(ValidationError):
            preview(balikpapan, outsider, files.csv_file([row("BI.002/2025", last)]))
    assert BehaviourScore.objects.count() == 1


def test_api_preview_then_confirm(
    balikpapan, pembina, men, months, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(pembina)
    upload = files.csv_file([row("BI.002/2025", f"{months['last']:%Y-%m}")])

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/",
            {"kind": "sppn", "facility": balikpapan.pk, "file": upload},
            format="multipart",
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api.get(f"/api/v1/imports/{pk}/").json()["counts"]["create"] == 1
    assert not BehaviourScore.objects.filter(inmate=men[1]).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/imports/{pk}/confirm/").status_code == 200
    assert api.get(f"/api/v1/imports/{pk}/").json()["status"] == "done"
    assert BehaviourScore.objects.get(inmate=men[1]).assessor == pembina


def test_management_command_needs_an_assessor(balikpapan, pembina, men, months, tmp_path, capsys):
    path = tmp_path / "sppn.csv"
    path.write_bytes(files.csv_file([row("BI.002/2025", f"{months['last']:%Y-%m}")]).read())

    with pytest.raises(CommandError, match="perlu penilai"):
        call_command("import_data", "sppn", str(path), facility=balikpapan.code)
    call_command("import_data", "sppn", str(path), facility=balikpapan.code, user="pembina")

    assert "create: 1" in capsys.readouterr().out
    assert BehaviourScore.objects.get(inmate=men[1]).assessor == pembina


def test_import_links_on_the_sppn_pages(client, balikpapan, pembina, kanwil):
    start = f"/impor/sppn/upt/{balikpapan.pk}/"
    client.force_login(pembina)
    assert start in client.get("/asesmen/sppn/").content.decode()
    assert start in client.get("/asesmen/?kind=sppn").content.decode()
    assert client.get(start).status_code == 200
    client.force_login(kanwil)
    listing = client.get("/asesmen/?kind=sppn")
    assert listing.status_code == 200 and start not in listing.content.decode()
    assert client.get(start).status_code == 404
