"""Bulk import of the members of intern batches: preview judges with the interns services and
sends nothing; confirm opens the accounts as the "Tambah peserta" page does and e-mails each
new participant their one-time link only once the import is written."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from rest_framework.test import APIClient

from interns import services as intern_services
from interns.models import Batch, Intern
from rutan.accounts.models import Membership, User
from rutan.core.models import AuditEntry
from rutan.core.roles import Role
from rutan.imports import services
from rutan.imports.models import ImportMapping, ImportStatus
from tests.factories import member
from tests.imports import files

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"
HEADER = ["batch", "username", "full_name", "email", "campus", "study_programme", "unit", "mentor"]
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://rutan.example"


@pytest.fixture
def batch(balikpapan):
    return Batch.objects.create(
        facility=balikpapan,
        name="Magang Nasional Batch III",
        start_on=TODAY - datetime.timedelta(days=30),
        end_on=TODAY + datetime.timedelta(days=150),
    )


@pytest.fixture
def mentor(balikpapan):
    return member(Role.MENTOR, facility=balikpapan, username="mentor")


@pytest.fixture
def andi(batch, kepala, mentor):
    """A participant added by hand on the staff page's service."""
    return intern_services.intern_create(
        batch=batch,
        username="andi",
        full_name="Andi Pratama",
        email="andi@unmul.ac.id",
        campus="Universitas Mulawarman",
        study_programme="Psikologi",
        mentor=mentor,
        by=kepala,
        base_url="https://rutan.example",
    )


def row(username: str, **overrides) -> dict:
    data = {
        "batch": "Magang Nasional Batch III",
        "username": username,
        "full_name": f"Peserta {username.title()}",
        "email": f"{username}@kampus.ac.id",
        "campus": "Universitas Balikpapan",
        "study_programme": "Teknik Elektro",
        "unit": "",
        "mentor": "mentor",
    }
    data.update(overrides)
    return data


def andi_row(**overrides) -> dict:
    known = {
        "full_name": "Andi Pratama",
        "email": "andi@unmul.ac.id",
        "campus": "Universitas Mulawarman",
        "study_programme": "Psikologi",
    }
    return row("andi", **(known | overrides))


def csv_file(rows, **kwargs):
    return files.csv_file(rows, name="peserta.csv", **kwargs)


def preview(by, upload, facility):
    return files.preview("intern_members", facility, by, upload)


def intern_audit():
    return AuditEntry.objects.filter(object_type="interns.intern")


def test_preview_judges_every_row_sends_nothing_and_writes_nothing(
    balikpapan, kepala, kepala_ruteng, pembina, andi, django_capture_on_commit_callbacks
):
    rows = [
        andi_row(),
        row("budi", batch="magang nasional  BATCH III", mentor="MENTOR"),
        row("citra", batch="Batch IX"),
        row("dewi santoso", email="dewi@kampus.ac.id"),
        row("eko", mentor="pembina"),
        row("kepala_ruteng"),
        row("Budi"),
        row("fajar", email="fajar@"),
    ]
    before = (User.objects.count(), Membership.objects.count(), intern_audit().count())

    with django_capture_on_commit_callbacks(execute=True):
        result = preview(kepala, csv_file(rows), balikpapan)

    assert result.status == ImportStatus.PREVIEWED
    assert result.counts == {"create": 1, "update": 0, "unchanged": 1, "error": 6}
    by_line = {e["line"]: e for e in result.errors}
    assert by_line[4] == {
        "line": 4,
        "column": "batch",
        "field": "batch",
        "message": "Angkatan “Batch IX” tidak ada di UPT ini.",
    }
    assert by_line[5]["column"] == "username" and "slug" in by_line[5]["message"]
    assert by_line[6]["column"] == "mentor" and "pembina" in by_line[6]["message"]
    # A user of another facility: the same answer as the page gives, and nothing about them.
    assert by_line[7]["column"] == "username"
    assert by_line[7]["message"] == "Nama pengguna ini sudah dipakai."
    assert by_line[8]["column"] == "username" and "baris lain berkas ini" in by_line[8]["message"]
    assert by_line[9]["column"] == "email" and "email" in by_line[9]["message"]
    assert [r["action"] for r in result.rows[:2]] == ["unchanged", "create"]
    assert result.rows[1]["cells"] == ["magang nasional  BATCH III", "budi", "Peserta Budi"]
    assert mail.outbox == []
    assert (User.objects.count(), Membership.objects.count(), intern_audit().count()) == before


def test_confirm_opens_accounts_like_the_page_and_mails_after_commit(
    balikpapan, kepala, mentor, andi, django_capture_on_commit_callbacks
):
    rows = [andi_row(unit="Bimkemas"), row("budi"), row("citra", mentor="", unit="Dapur")]
    previewed = preview(kepala, csv_file(rows), balikpapan)
    assert previewed.counts == {"create": 2, "update": 1, "unchanged": 0, "error": 0}
    assert previewed.rows[0]["changes"] == ["unit"]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        written = files.confirm(previewed, kepala)
    assert mail.outbox == []  # nothing leaves before the import's transaction commits
    for callback in callbacks:
        callback()

    assert written.status == ImportStatus.DONE and written.counts == previewed.counts
    budi = Intern.objects.select_related("user", "batch").get(user__username="budi")
    assert (budi.batch.facility, budi.mentor, budi.campus) == (
        balikpapan,
        mentor,
        "Universitas Balikpapan",
    )
    assert not budi.user.has_usable_password()
    assert Membership.objects.get(user=budi.user).role == Role.INTERN
    citra = Intern.objects.get(user__username="citra")
    assert (citra.mentor, citra.unit) == (None, "Dapur")
    andi.refresh_from_db()
    assert andi.unit == "Bimkemas"
    assert sorted(m.to[0] for m in mail.outbox) == ["budi@kampus.ac.id", "citra@kampus.ac.id"]
    assert "https://rutan.example/magang/atur-sandi/" in mail.outbox[0].body
    assert set(intern_audit().filter(actor=kepala).values_list("object_id", "action")) == {
        (str(andi.pk), "create"),
        (str(andi.pk), "update"),
        (str(budi.pk), "create"),
        (str(citra.pk), "create"),
    }

    audit = intern_audit().count()
    with django_capture_on_commit_callbacks(execute=True):
        again = files.confirm(preview(kepala, csv_file(rows), balikpapan), kepala)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    assert intern_audit().count() == audit and len(mail.outbox) == 2


def test_a_known_participant_is_not_moved_or_renamed(balikpapan, kepala, andi):
    Batch.objects.create(
        facility=balikpapan,
        name="Batch IV",
        start_on=TODAY,
        end_on=TODAY + datetime.timedelta(days=180),
    )

    result = preview(
        kepala,
        csv_file([andi_row(batch="Batch IV", full_name="Andi P.", email="ANDI@unmul.ac.id")]),
        balikpapan,
    )

    assert result.counts["error"] == 1
    assert {e["column"] for e in result.errors} == {"batch", "full_name"}
    assert "Magang Nasional Batch III" in result.errors[0]["message"]


def test_cp1252_and_utf8_bom_files(balikpapan, kepala, batch, mentor):
    cp1252 = preview(
        kepala, csv_file([row("jose", full_name="José Müller")], encoding="cp1252"), balikpapan
    )
    bom = preview(
        kepala, csv_file([row("nono", full_name="Ñoño")], encoding="utf-8-sig"), balikpapan
    )

    assert cp1252.counts["create"] == 1 and cp1252.rows[0]["cells"][2] == "José Müller"
    assert bom.counts["create"] == 1 and bom.rows[0]["cells"][2] == "Ñoño"
    assert bom.ignored_columns == []


def test_missing_column_is_mapped_once_and_extra_columns_are_ignored(
    balikpapan, kepala, batch, mentor
):
    header = ["Universitas" if h == "campus" else h for h in HEADER] + ["NIM"]
    first = preview(
        kepala, csv_file([[*row("budi").values(), "H1A021001"]], header=header), balikpapan
    )
    assert first.status == ImportStatus.NEEDS_MAPPING
    assert first.missing_columns == ["campus"]

    mapped = services.import_map(
        data_import=first, by=kepala, columns={"Universitas": "campus"}, enqueue=False
    )
    mapped = services.import_preview(data_import=mapped)
    assert mapped.counts["create"] == 1 and mapped.ignored_columns == ["NIM"]
    assert ImportMapping.objects.get(kind="intern_members").columns == {"universitas": "campus"}

    second = preview(
        kepala, csv_file([[*row("citra").values(), "H1A021002"]], header=header), balikpapan
    )
    assert second.status == ImportStatus.PREVIEWED and second.counts["create"] == 1
    assert User.objects.filter(username__in=["budi", "citra"]).count() == 0


def test_formula_is_kept_as_text(
    balikpapan, kepala, batch, mentor, django_capture_on_commit_callbacks
):
    upload = files.xlsx_file([row("gita", full_name=FORMULA, campus=FORMULA)], name="peserta.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        files.run("intern_members", balikpapan, kepala, upload)

    intern = Intern.objects.select_related("user").get()
    assert (intern.user.full_name, intern.campus) == (FORMULA, FORMULA)


def test_api_and_other_facility(
    balikpapan, kepala, kepala_ruteng, mentor, batch, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(kepala)
    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/imports/",
            {
                "kind": "intern_members",
                "facility": balikpapan.pk,
                "file": csv_file([row("budi"), row("citra", batch="Batch IX")]),
            },
            format="multipart",
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    body = api.get(f"/api/v1/imports/{pk}/").json()
    assert body["status"] == "previewed" and body["counts"]["create"] == 1
    assert body["errors"][0]["line"] == 3 and body["errors"][0]["column"] == "batch"

    # The mentor reviews logs but does not add participants (INTERN_MANAGE), like on the page.
    files.assert_outsiders_refused(
        pk,
        "intern_members",
        balikpapan,
        (kepala_ruteng, mentor),
        lambda: csv_file([row("x")]),
    )
    assert not Intern.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/imports/{pk}/confirm/").status_code == 200
    assert api.get(f"/api/v1/imports/{pk}/").json()["status"] == "done"
    assert Intern.objects.get().user.username == "budi"
    assert [m.to for m in mail.outbox] == [["budi@kampus.ac.id"]]


def test_management_command(
    balikpapan, kepala, batch, mentor, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = tmp_path / "peserta.csv"
    path.write_bytes(csv_file([row("budi"), row("citra", mentor="tidak-ada")]).read())

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_data", "intern_members", str(path), facility=balikpapan.code, user="kepala"
        )

    out = capsys.readouterr().out
    assert "create: 1" in out and "line 3 [mentor]" in out
    assert Intern.objects.get().user.username == "budi"
    assert len(mail.outbox) == 1


def test_intern_pages_link_to_the_import_for_managers_only(
    client, balikpapan, kepala, mentor, batch
):
    start = f"/impor/intern_members/upt/{balikpapan.pk}/"
    summary = f"/magang/angkatan/{batch.pk}/ringkasan/"
    client.force_login(kepala)
    assert start in client.get("/magang/peserta/").content.decode()
    assert start in client.get(summary).content.decode()
    assert client.get(start).status_code == 200
    client.force_login(mentor)
    assert start not in client.get("/magang/peserta/").content.decode()
    assert start not in client.get(summary).content.decode()
    assert client.get(start).status_code == 404
