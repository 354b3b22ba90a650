import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from assessments import selectors, services
from assessments.models import BehaviourScore, PsychologicalAssessment
from rutan.core.models import AuditEntry
from tests.html import parse, text

TODAY = timezone.localdate


def _psych_post(client, inmate, **extra):
    data = {
        "inmate": inmate.pk,
        "assessed_on": TODAY().isoformat(),
        "instrument": "SRQ-20",
        "scores": "stres: 14\ncemas: 9",
        "findings": "Riwayat kekerasan dalam rumah tangga.",
        "notes": "Perlu pendampingan.",
        "recommendation": "Konseling kelompok.",
        "finalise": "on",
    }
    data.update(extra)
    return client.post(reverse("assessments:create", args=["psikologis"]), data)


def test_done_when_journey(client, psikolog, pembina, wanita, sppn):
    """As psikolog write an assessment; as pembina see it exists but not its findings; see
    the inmate on the asimilasi worklist with the date and every rule's reason."""
    client.force_login(psikolog)
    response = _psych_post(client, wanita)
    assessment = PsychologicalAssessment.objects.get()
    assert response.status_code == 302 and assessment.status == "final"
    detail = client.get(reverse("assessments:detail", args=["psikologis", assessment.pk]))
    assert "Riwayat kekerasan" in detail.content.decode()
    assert AuditEntry.objects.filter(action="read", actor=psikolog, via="web").exists()

    client.force_login(pembina)
    page = client.get(reverse("assessments:inmate", args=[wanita.pk])).content.decode()
    assert "SRQ-20" in page and "Riwayat kekerasan" not in page
    detail = client.get(reverse("assessments:detail", args=["psikologis", assessment.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200 and "Riwayat kekerasan" not in html
    assert "hanya dapat dibaca psikolog" in html
    summary = selectors.inmate_assessment_summary(user=pembina, inmate=wanita)
    include = render_to_string("assessments/includes/inmate_assessments.html", {"summary": summary})
    assert "SRQ-20" in include and "temuan rahasia" in include and "kekerasan" not in include

    sppn(wanita, months=6)
    worklist = client.get(reverse("assessments:worklist"), {"kind": "asimilasi"})
    html = worklist.content.decode()
    assert wanita.name in html
    result = next(r for r in worklist.context["page_obj"] if r.inmate == wanita)
    assert result.eligible and result.time_date == wanita.asimilasi_from
    for rule in result.rules:
        assert rule.reason in html


def test_psychological_form_errors_in_indonesian(client, psikolog, wanita):
    client.force_login(psikolog)
    response = _psych_post(
        client, wanita, scores="stres tinggi", assessed_on=(TODAY() + datetime.timedelta(1))
    )
    html = response.content.decode()
    assert response.status_code == 200 and "format" in html
    assert not PsychologicalAssessment.objects.exists()
    response = _psych_post(client, wanita, assessed_on=(TODAY() + datetime.timedelta(1)))
    assert "masa depan" in response.content.decode()
    assert not PsychologicalAssessment.objects.exists()


def test_intern_draft_and_sign_off_on_pages(client, magang, psikolog, wanita):
    client.force_login(magang)
    response = _psych_post(client, wanita, registration_number=wanita.registration_number)
    draft = PsychologicalAssessment.objects.get()
    assert response.status_code == 302 and draft.status == "draft" and draft.by_intern
    html = client.get(reverse("assessments:detail", args=["psikologis", draft.pk])).content
    assert "Tandatangani" not in html.decode()
    client.force_login(psikolog)
    client.post(reverse("assessments:finalise", args=["psikologis", draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "final" and draft.finalised_by == psikolog


def test_other_facility_and_regional_cannot_read(client, psikolog, kanwil, kepala_ruteng, wanita):
    a = services.psych_create(
        inmate=wanita, by=psikolog, assessed_on=TODAY(), findings="Rahasia sekali", finalise=True
    )
    client.force_login(kepala_ruteng)
    url = reverse("assessments:detail", args=["psikologis", a.pk])
    assert client.get(url).status_code == 404
    client.force_login(kanwil)
    response = client.get(url)
    assert response.status_code == 200 and "Rahasia sekali" not in response.content.decode()


def test_admin_hides_confidential_from_non_psychologists(
    client, psikolog, kepala, wanita, registrasi
):
    a = services.psych_create(
        inmate=wanita, by=psikolog, assessed_on=TODAY(), findings="Rahasia admin", finalise=True
    )
    url = reverse("admin:assessments_psychologicalassessment_change", args=[a.pk])
    client.force_login(kepala)
    response = client.get(url)
    assert response.status_code == 200 and "Rahasia admin" in response.content.decode()
    assert AuditEntry.objects.filter(action="read", actor=kepala, via="admin").exists()
    client.force_login(registrasi)
    assert client.get(url).status_code == 404


def test_list_filters_and_query_count(
    client, pembina, balikpapan, make_inmate, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            inmate = make_inmate(balikpapan, name=f"Warga {i:02d}")
            services.literacy_create(
                inmate=inmate,
                by=pembina,
                assessed_on=TODAY(),
                script="latin",
                level="buta_aksara",
                reading_score=10,
                writing_score=10,
                numeracy_score=10,
            )

    add(1)
    client.force_login(pembina)
    url = reverse("assessments:list")
    client.get(url, {"kind": "literasi"})
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"kind": "literasi"})
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"kind": "literasi"})
    assert len(response.context["page_obj"]) == 25
    assert response.context["page_obj"].paginator.count == 31
    filtered = client.get(url, {"kind": "literasi", "status": "final"})
    assert filtered.context["page_obj"].paginator.count == 0
    filtered = client.get(url, {"kind": "literasi", "q": "Warga 07"})
    assert filtered.context["page_obj"].paginator.count == 1


def test_sppn_block_page(client, pembina, balikpapan, make_inmate):
    block = balikpapan.blocks.get(name="Blok A")
    a = make_inmate(balikpapan, name="Agus", block=block)
    b = make_inmate(balikpapan, name="Bayu", block=block)
    month = TODAY().replace(day=1)
    client.force_login(pembina)
    url = reverse("assessments:sppn")
    page = client.get(url, {"block": block.pk, "month": month.strftime("%Y-%m")})
    assert "Agus" in page.content.decode() and "Bayu" in page.content.decode()
    data = {"block": block.pk, "month": month.strftime("%Y-%m")}
    for inmate, value in ((a, "70"), (b, "abc")):
        for aspect in BehaviourScore.ASPECTS:
            data[f"s-{inmate.pk}-{aspect}"] = value
    response = client.post(url, data)
    assert response.status_code == 200 and "angka 0–100" in response.content.decode()
    assert not BehaviourScore.objects.exists()
    for aspect in BehaviourScore.ASPECTS:
        data[f"s-{b.pk}-{aspect}"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(BehaviourScore.objects.values_list("inmate", flat=True)) == [a.pk]


def test_sppn_page_opens_on_the_month_due_with_one_compact_row_per_inmate(
    client, pembina, balikpapan, make_inmate
):
    """Without a choice the page shows last month (the month due, as the dashboard counts
    it), the block select names the block first (the facility only for a user with more),
    and each inmate is one row: the name, then the four aspects, each input labelled."""
    block = balikpapan.blocks.order_by("name").first()
    inmate = make_inmate(balikpapan, name="Agus Baris", block=block)
    client.force_login(pembina)
    response = client.get(reverse("assessments:sppn"))
    today = balikpapan.today()
    due = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    assert response.context["month"] == due
    page = parse(response.content)
    options = [text(o) for o in page.iterfind(".//select[@name='block']/option")]
    assert block.name in options and not [o for o in options if balikpapan.name in o]
    row = page.find(f".//div[@aria-labelledby='sppn-name-{inmate.pk}']")
    assert text(row.find(".//div[@class='sppn-name']")).startswith("Agus Baris")
    labels = [text(label) for label in row.iterfind(".//label[@class='sppn-cell']")]
    assert labels == ["Kepribadian", "Kemandirian", "Sikap", "Kondisi mental"]
    names = [i.get("name") for i in row.iterfind(".//input[@type='number']")]
    assert names == [f"s-{inmate.pk}-{a}" for a in BehaviourScore.ASPECTS]


def test_survey_pages_create_follow_up(client, magang, balikpapan):
    from rutan.facilities.models import FollowUpItem

    client.force_login(magang)
    response = client.post(
        reverse("assessments:survey_create", args=[balikpapan.pk]),
        {
            "kind": "pemeriksaan_listrik",
            "title": "Pemeriksaan kelistrikan",
            "surveyed_on": TODAY().isoformat(),
            "lead": magang.pk,
            "summary": "Panel blok B panas.",
        },
    )
    assert response.status_code == 302
    detail = response.url
    response = client.post(detail, {"title": "Panel blok B", "severity": "tinggi"})
    assert response.status_code == 302
    assert FollowUpItem.objects.get().source == "survey"
    assert "Panel blok B" in client.get(detail).content.decode()


def test_inmate_page_recommendations_without_programmes(client, pembina, wanita):
    services.interest_create(
        inmate=wanita, by=pembina, assessed_on=TODAY(), areas=["tata_rias"], finalise=True
    )
    client.force_login(pembina)
    html = client.get(reverse("assessments:inmate", args=[wanita.pk])).content.decode()
    assert "minat: tata rias (pilihan 1) → Pelatihan Tata rias" in html


def test_one_click_enrolment_through_programmes(client, pembina, kepala, balikpapan, wanita):
    from programmes.models import Enrolment, Programme

    programme = Programme.objects.create(
        facility=balikpapan,
        title="Pelatihan Tata Rias",
        pillar="kemandirian",
        area="tata_rias",
        start_date=TODAY(),
        status="running",
    )
    Programme.objects.create(
        facility=balikpapan,
        title="Kelas Barbershop",
        pillar="kemandirian",
        area="barbershop",
        start_date=TODAY(),
        status="cancelled",
    )
    services.interest_create(
        inmate=wanita,
        by=pembina,
        assessed_on=TODAY(),
        areas=["tata_rias", "barbershop"],
        finalise=True,
    )
    suggestions = selectors.recommendations(inmate=wanita)
    assert [p.title for p in suggestions[0].programmes] == ["Pelatihan Tata Rias"]
    assert suggestions[1].programmes == []
    client.force_login(pembina)
    url = reverse("assessments:inmate", args=[wanita.pk])
    assert "Daftarkan" in client.get(url).content.decode()
    response = client.post(
        reverse("assessments:enrol", args=[wanita.pk]), {"programme": programme.pk}
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(inmate=wanita, programme=programme).exists()
    # Once enrolled, the programme is no longer offered.
    assert selectors.recommendations(inmate=wanita)[0].programmes == []


def test_sppn_page_lists_the_facility_inmates_still_due(
    client, pembina, balikpapan, make_inmate, django_assert_max_num_queries
):
    month = TODAY().replace(day=1)
    blocks = list(balikpapan.blocks.order_by("name"))
    scored = make_inmate(balikpapan, name="Sudah Dinilai", block=blocks[0])
    make_inmate(balikpapan, name="Belum Dinilai", block=blocks[1])
    make_inmate(
        balikpapan,
        name="Tahanan Saja",
        register_type="A.II",
        legal_status="tahanan",
        sentence_start=None,
        sentence_years=0,
    )
    services.behaviour_score_create(
        inmate=scored, month=month, by=pembina, **dict.fromkeys(BehaviourScore.ASPECTS, 70)
    )
    client.force_login(pembina)
    url = reverse("assessments:sppn")
    query = {"facility": balikpapan.pk, "month": month.strftime("%Y-%m")}
    with django_assert_max_num_queries(20) as few:
        page = client.get(url, query)
    assert [row["inmate"].name for row in page.context["rows"]] == ["Belum Dinilai"]
    for i in range(10):
        make_inmate(balikpapan, name=f"Warga {i}", block=blocks[i % 2])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url, query)
    assert len(page.context["rows"]) == 11
    data = {
        **query,
        **{f"s-{page.context['rows'][0]['inmate'].pk}-{a}": "75" for a in BehaviourScore.ASPECTS},
    }
    response = client.post(url, data)
    assert response.status_code == 302 and "facility=" in response.url
    assert len(client.get(response.url).context["rows"]) == 10
