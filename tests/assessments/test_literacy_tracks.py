"""Literacy per script: Latin and Al-Qur'an are separate tracks with their own levels."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments import selectors, services
from assessments.models import LiteracyAssessment
from programmes import eligibility
from programmes import services as programme_services
from programmes.models import Enrolment
from rutan.core import providers
from rutan.core.models import AuditEntry, LiteracyLevel
from tests.factories import LiteracyAssessmentFactory, literacy_level
from tests.html import parse, text

TODAY = timezone.localdate
D = datetime.timedelta


def _literacy(inmate, by, script, level, *, on=None, finalise=True):
    return services.literacy_create(
        inmate=inmate,
        by=by,
        assessed_on=on or TODAY(),
        script=script,
        level=level,
        reading_score=50,
        writing_score=50,
        numeracy_score=50,
        finalise=finalise,
    )


@pytest.fixture
def reader(balikpapan, make_inmate):
    """A man who finished Paket B and is only starting to read the Qur'an."""
    return make_inmate(balikpapan, name="Andi Saputra", admission_date=TODAY() - D(days=200))


@pytest.fixture
def programme(national_admin, balikpapan):
    def make(title, area, minimum=None, **extra):
        return programme_services.programme_create(
            facility=balikpapan,
            by=national_admin,
            status="running",
            title=title,
            pillar="kepribadian",
            area=area,
            capacity=10,
            start_date=TODAY() - D(days=30),
            min_literacy_level=minimum,
            **extra,
        )

    return make


def test_each_script_has_its_own_seeded_track(db):
    latin = list(LiteracyLevel.objects.filter(script="latin").order_by("rank"))
    quran = list(LiteracyLevel.objects.filter(script="arab_quran").order_by("rank"))
    assert [lv.code for lv in latin] == [
        "buta_aksara",
        "keaksaraan_dasar",
        "keaksaraan_usaha_mandiri",
        "multikeaksaraan",
        "paket_a",
        "paket_b",
        "paket_c",
    ]
    assert [lv.code for lv in quran] == [
        "quran_buta_aksara",
        "quran_iqra",
        "quran_terbata",
        "quran_lancar",
        "quran_tartil",
    ]
    assert all(lv.basis and lv.label for lv in latin + quran)
    assert "Permendikbud No. 86 Tahun 2014" in latin[0].basis
    assert "Iqra" in quran[1].basis
    assert [t[0] for t in LiteracyLevel.objects.tracks()] == ["latin", "arab_quran"]


def test_later_quran_assessment_leaves_the_latin_level_and_eligibility(reader, pembina, programme):
    _literacy(reader, pembina, "latin", "paket_b", on=TODAY() - D(days=60))
    _literacy(reader, pembina, "arab_quran", "quran_buta_aksara", on=TODAY() - D(days=5))

    assert selectors.latest_literacy_level(inmate=reader).code == "paket_b"
    assert selectors.latest_literacy_level(inmate=reader, script="latin").code == "paket_b"
    quran = selectors.latest_literacy_level(inmate=reader, script="arab_quran")
    assert quran.code == "quran_buta_aksara"
    provide = providers.get("inmate_literacy_level")
    assert provide(inmate=reader).code == "paket_b"
    assert eligibility.inmate_literacy_level(reader).code == "paket_b"

    paket_c = programme("Kelas kesetaraan Paket C", "literasi", literacy_level("paket_b"))
    checks = eligibility.programme_eligibility(programme=paket_c, inmate=reader)
    literacy = next(r for r in checks if r.rule == "literacy")
    assert literacy.passed and literacy.reason == "Literasi Latin Paket B; minimal Paket B."
    enrolment = programme_services.enrolment_create(programme=paket_c, inmate=reader, by=pembina)
    assert enrolment.status == "active"

    tahsin = programme("Kelas tahsin", "keagamaan", literacy_level("quran_lancar"))
    with pytest.raises(ValidationError) as exc:
        programme_services.enrolment_create(programme=tahsin, inmate=reader, by=pembina)
    assert (
        "Literasi Arab / Al-Qur'an Buta aksara Al-Qur'an; minimal Lancar membaca Al-Qur'an."
        in exc.value.messages[0]
    )
    assert not Enrolment.objects.filter(programme=tahsin).exists()


def test_a_programme_minimum_names_its_script(reader, pembina, programme):
    iqra = programme("Kelas Iqra lanjutan", "keagamaan", "quran_iqra")
    assert iqra.min_literacy_level.script == "arab_quran"
    _literacy(reader, pembina, "latin", "paket_c")
    checks = eligibility.programme_eligibility(programme=iqra, inmate=reader)
    literacy = next(r for r in checks if r.rule == "literacy")
    assert not literacy.passed
    assert literacy.reason == (
        "Belum ada asesmen literasi aksara Arab / Al-Qur'an; minimal "
        "Mengenal huruf hijaiyah (Iqra jilid 1–3)."
    )
    _literacy(reader, pembina, "arab_quran", "quran_terbata")
    checks = eligibility.programme_eligibility(programme=iqra, inmate=reader)
    assert next(r for r in checks if r.rule == "literacy").passed
    with pytest.raises(ValidationError) as exc:
        programme("Kelas lain", "keagamaan", "tidak_ada")
    assert exc.value.message_dict == {"min_literacy_level": ["Tingkat literasi tidak dikenal."]}


@pytest.mark.parametrize(
    ("script", "level", "message"),
    [
        (
            "latin",
            "quran_iqra",
            "Tingkat Mengenal huruf hijaiyah (Iqra jilid 1–3) termasuk aksara Arab / Al-Qur'an, "
            "bukan aksara Latin; pilih tingkat aksara Latin.",
        ),
        (
            "arab_quran",
            "paket_b",
            "Tingkat Paket B termasuk aksara Latin, bukan aksara Arab / Al-Qur'an; "
            "pilih tingkat aksara Arab / Al-Qur'an.",
        ),
        ("latin", "paket_z", "Tingkat literasi tidak dikenal."),
    ],
)
def test_a_level_of_another_track_is_refused_and_nothing_written(
    reader, pembina, script, level, message
):
    with pytest.raises(ValidationError) as exc:
        _literacy(reader, pembina, script, level)
    assert exc.value.message_dict == {"level": [message]}
    assert not LiteracyAssessment.objects.exists()
    assert not AuditEntry.objects.filter(object_type="assessments.literacyassessment").exists()


def test_model_clean_and_update_keep_level_in_its_track(reader, pembina):
    record = LiteracyAssessment(
        inmate=reader,
        facility=reader.facility,
        assessor=pembina,
        assessed_on=TODAY(),
        script="arab_quran",
        level=literacy_level("paket_a"),
        reading_score=1,
        writing_score=1,
        numeracy_score=1,
    )
    with pytest.raises(ValidationError) as exc:
        record.full_clean()
    assert list(exc.value.message_dict) == ["level"]
    draft = _literacy(reader, pembina, "arab_quran", "quran_iqra", finalise=False)
    with pytest.raises(ValidationError, match="bukan aksara Latin"):
        services.literacy_update(assessment=draft, by=pembina, script="latin")
    draft.refresh_from_db()
    assert draft.script == "arab_quran" and draft.level.code == "quran_iqra"
    services.literacy_update(assessment=draft, by=pembina, level="quran_lancar")
    draft.refresh_from_db()
    assert draft.level.code == "quran_lancar"


def test_recommendations_per_track(reader, pembina, programme):
    literacy_class = programme("Kelas Literasi", "literasi")
    paket_c = programme("Kelas kesetaraan Paket C", "literasi", literacy_level("paket_b"))
    iqra = programme("Kelas Iqra", "keagamaan")
    tahsin = programme("Kelas tahsin", "keagamaan", literacy_level("quran_lancar"))
    programme("Pengajian Blok Wanita", "keagamaan", eligible_sex="P")
    _literacy(reader, pembina, "latin", "keaksaraan_dasar", on=TODAY() - D(days=40))
    _literacy(reader, pembina, "arab_quran", "quran_iqra", on=TODAY() - D(days=3))
    latin, quran = selectors.recommendations(inmate=reader)
    assert (latin.area, latin.pillar) == ("literasi", "kepribadian")
    assert latin.reason == (
        f"literasi Latin: Keaksaraan dasar (asesmen {(TODAY() - D(days=40)):%d-%m-%Y}) "
        "→ Kelas keaksaraan usaha mandiri"
    )
    # Only classes the inmate may join: Paket C needs Paket B in Latin, tahsin a fluent
    # Qur'an reader, and the Blok Wanita pengajian is for women.
    assert latin.programmes == [literacy_class]
    assert quran.area == "keagamaan"
    assert quran.reason.startswith("literasi Arab / Al-Qur'an: Mengenal huruf hijaiyah")
    assert quran.reason.endswith("→ Kelas Iqra lanjutan (jilid 4–6)")
    assert quran.programmes == [iqra]
    assert paket_c not in latin.programmes and tahsin not in quran.programmes


def test_top_levels_need_no_literacy_class(reader, pembina):
    _literacy(reader, pembina, "latin", "paket_c")
    _literacy(reader, pembina, "arab_quran", "quran_tartil")
    assert selectors.recommendations(inmate=reader) == []


def test_inmate_page_shows_latest_literacy_per_script(client, reader, pembina):
    _literacy(reader, pembina, "latin", "paket_b", on=TODAY() - D(days=60))
    _literacy(reader, pembina, "arab_quran", "quran_buta_aksara", on=TODAY() - D(days=5))
    client.force_login(pembina)
    response = client.get(reverse("inmates:detail", args=[reader.pk]))
    literacy = dict(response.context["summary"]["literacy"])
    assert literacy["Latin"].level.code == "paket_b"
    assert literacy["Arab / Al-Qur'an"].level.code == "quran_buta_aksara"
    html = " ".join(response.content.decode().split())
    assert "<dt>Literasi Latin</dt><dd>Paket B (" in html
    assert "<dt>Literasi Arab / Al-Qur&#x27;an</dt><dd>Buta aksara Al-Qur&#x27;an (" in html


def test_entry_form_groups_levels_and_refuses_a_mismatch(client, reader, pembina):
    client.force_login(pembina)
    url = reverse("assessments:create", args=["literasi"])
    html = client.get(url, {"wbp": reader.pk}).content.decode()
    assert '<optgroup label="Latin">' in html and '<optgroup label="Arab / Al-Qur&#x27;an">' in html
    response = client.post(
        f"{url}?wbp={reader.pk}",
        {
            "inmate": reader.pk,
            "assessed_on": TODAY().isoformat(),
            "script": "latin",
            "level": "quran_iqra",
            "reading_score": 50,
            "writing_score": 50,
            "numeracy_score": 50,
        },
    )
    assert response.status_code == 200
    assert "bukan aksara Latin; pilih tingkat aksara Latin." in response.content.decode()
    assert not LiteracyAssessment.objects.exists()
    draft = _literacy(reader, pembina, "arab_quran", "quran_terbata", finalise=False)
    edit = client.get(reverse("assessments:update", args=["literasi", draft.pk])).content
    assert b'<option value="quran_terbata" selected>' in edit


def test_list_page_filters_by_script_and_level(client, reader, pembina):
    _literacy(reader, pembina, "latin", "paket_b")
    _literacy(reader, pembina, "arab_quran", "quran_buta_aksara")
    client.force_login(pembina)
    url = reverse("assessments:list")

    def count(**query):
        response = client.get(url, {"kind": "literasi", **query})
        return response.context["page_obj"].paginator.count

    assert count() == 2
    assert count(script="arab_quran") == 1
    assert count(level="paket_b") == 1
    assert count(script="latin", level="quran_buta_aksara") == 0
    assert "script" not in client.get(url, {"kind": "minat"}).context["form"].fields


def test_api_level_per_script(reader, pembina, django_assert_max_num_queries):
    api = APIClient()
    api.force_authenticate(pembina)
    body = {
        "inmate": reader.pk,
        "assessed_on": TODAY().isoformat(),
        "script": "arab_quran",
        "level": "paket_b",
        "reading_score": 40,
        "writing_score": 30,
        "numeracy_score": 0,
    }
    response = api.post("/api/v1/assessments/literacy/", body, format="json")
    assert response.status_code == 400
    assert "bukan aksara Arab / Al-Qur'an" in response.json()["errors"]["level"][0]
    assert not LiteracyAssessment.objects.exists()
    response = api.post(
        "/api/v1/assessments/literacy/", body | {"level": "quran_iqra"}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["level"] == "quran_iqra" and created["level_rank"] == 2
    assert created["level_label"] == "Mengenal huruf hijaiyah (Iqra jilid 1–3)"
    url = "/api/v1/assessments/literacy/"
    for n in range(5):
        LiteracyAssessmentFactory(
            inmate=reader, assessor=pembina, level=literacy_level("paket_a" if n else "paket_b")
        )
    with django_assert_max_num_queries(10) as few:
        assert api.get(url).json()["count"] == 6
    LiteracyAssessmentFactory.create_batch(20, inmate=reader, assessor=pembina)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(url).json()["count"] == 26
    assert api.get(url, {"script": "arab_quran"}).json()["count"] == 1
    assert api.get(url, {"level": "paket_b"}).json()["count"] == 1
    assert api.get(url, {"script": "kawi"}).status_code == 400
    assert api.get(url, {"level": "paket_z"}).status_code == 400


def test_the_tabs_choose_the_kind_and_the_filters_keep_it(client, reader, pembina):
    """One filter pattern: the kind is the tab, not also a "Jenis" select; applying the
    filters stays on the tab, and the filters other than the search fold until one is set."""
    _literacy(reader, pembina, "latin", "paket_b")
    client.force_login(pembina)
    url = reverse("assessments:list")
    page = parse(client.get(url, {"kind": "literasi"}).content)
    form = page.find(".//form[@class='filters']")
    assert form.find(".//select[@name='kind']") is None
    assert form.find(".//input[@name='kind']").attrib == {
        "type": "hidden",
        "name": "kind",
        "value": "literasi",
        "id": "id_kind",
    }
    assert "open" not in form.find(".//details[@class='filter-more']").attrib
    response = client.get(url, {"kind": "literasi", "script": "latin"})
    assert response.context["kind"] == "literasi"
    form = parse(response.content).find(".//form[@class='filters']")
    assert "open" in form.find(".//details[@class='filter-more']").attrib
    assert text(form.find(".//details/summary")) == "Saringan lain (1 aktif)"
    # An address without a kind gets the first tab's, kept by the form too.
    form = parse(client.get(url, {"q": "x"}).content).find(".//form[@class='filters']")
    assert form.find(".//input[@name='kind']").attrib["value"] == "psikologis"
