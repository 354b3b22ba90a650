"""Each right's proposal is a checklist of steps (as data per right): Litmas, sidang TPP,
surat jaminan, usulan, SK. Marking a step done is a service (audited) used by the inmate's
eligibility panel and the API; the worklist shows the checklist too."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import eligibility, services
from assessments.models import RightProposal, RightProposalStep
from partners import services as partner_services
from rutan.core.models import AuditEntry
from tests.html import assert_valid_html

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def napi(balikpapan, make_inmate):
    """2 years begun 400 days ago, no remisi: ½ (day 365) is behind, ⅔ (day 487) ahead."""
    start = TODAY() - 400 * DAY
    return make_inmate(
        balikpapan, sentence_start=start, admission_date=start, sentence_years=2, remission_days=0
    )


def _steps(inmate, kind="asimilasi"):
    return {s.code: s for s in eligibility.evaluate(inmate=inmate, kind=kind).steps}


def test_steps_are_data_per_right(napi):
    assert list(_steps(napi)) == ["litmas", "sidang_tpp", "sk"]
    assert list(_steps(napi, "pembebasan_bersyarat")) == [
        "litmas",
        "sidang_tpp",
        "surat_jaminan",
        "usulan",
        "sk",
    ]
    assert list(_steps(napi, "cuti_mengunjungi_keluarga"))[0] == "surat_jaminan"
    assert not any(s.done for s in _steps(napi).values())


def test_marking_steps_opens_audits_and_closes_the_proposal(napi, pembina):
    litmas_on = TODAY() - 20 * DAY
    record = services.right_step_done(
        inmate=napi,
        kind="asimilasi",
        step="litmas",
        done_on=litmas_on,
        reference="W18.PAS.PAS.10-PK.01.05.02-123",
        by=pembina,
    )
    proposal = RightProposal.objects.get()
    assert (proposal.inmate, proposal.kind, proposal.opened_on) == (napi, "asimilasi", litmas_on)
    assert proposal.closed_on is None and record.done_by == pembina
    assert AuditEntry.objects.filter(
        object_type="assessments.rightproposalstep", action="create", actor=pembina
    ).exists()
    litmas = _steps(napi)["litmas"]
    assert litmas.done and litmas.done_on == litmas_on
    assert litmas.reference == "W18.PAS.PAS.10-PK.01.05.02-123"

    # Recording it again corrects it (audited as a change).
    services.right_step_done(
        inmate=napi, kind="asimilasi", step="litmas", done_on=litmas_on + DAY, by=pembina
    )
    assert RightProposalStep.objects.count() == 1
    change = AuditEntry.objects.filter(
        object_type="assessments.rightproposalstep", action="update"
    ).get()
    assert change.before["done_on"] == litmas_on.isoformat()

    services.right_step_done(
        inmate=napi, kind="asimilasi", step="sidang_tpp", done_on=TODAY() - 5 * DAY, by=pembina
    )
    services.right_step_done(
        inmate=napi, kind="asimilasi", step="sk", done_on=TODAY(), reference="SK-1", by=pembina
    )
    proposal.refresh_from_db()
    assert proposal.closed_on == TODAY()
    # A closed proposal leaves room for a new one (e.g. the next CMK).
    services.right_step_done(
        inmate=napi, kind="asimilasi", step="litmas", done_on=TODAY(), by=pembina
    )
    assert RightProposal.objects.filter(closed_on__isnull=True).count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"step": "bogus"}, "step"),
        ({"step": "surat_jaminan"}, "step"),  # a PB step, not an asimilasi one
        ({"done_on": TODAY() + DAY}, "done_on"),
    ],
)
def test_bad_steps_change_nothing(napi, pembina, changes, field):
    data = {"step": "litmas", "done_on": TODAY(), **changes}
    with pytest.raises(ValidationError) as exc:
        services.right_step_done(inmate=napi, kind="asimilasi", by=pembina, **data)
    assert field in exc.value.message_dict
    assert not RightProposal.objects.exists() and not RightProposalStep.objects.exists()


def test_only_assessment_managers_mark_steps(napi, registrasi, kepala_ruteng):
    for user in (registrasi, kepala_ruteng):
        with pytest.raises(ValidationError, match="tidak berwenang"):
            services.right_step_done(
                inmate=napi, kind="asimilasi", step="litmas", done_on=TODAY(), by=user
            )
    assert not RightProposal.objects.exists()


def test_guarantee_letter_step_follows_the_guarantee(napi, kepala):
    assert not _steps(napi, "pembebasan_bersyarat")["surat_jaminan"].done
    partner_services.guarantee_create(
        inmate=napi,
        by=kepala,
        guarantor_kind="keluarga",
        name="Siti Aminah",
        relationship="istri",
        nik="6471054501900001",
        letter_number="07/SJ-KEL/2026",
        valid_from=TODAY() - 3 * DAY,
    )
    step = _steps(napi, "pembebasan_bersyarat")["surat_jaminan"]
    assert step.done and step.automatic and step.reference == "07/SJ-KEL/2026"
    assert step.done_on == TODAY() - 3 * DAY


def test_inmate_panel_shows_dates_how_and_checklist_and_marks_a_step(client, pembina, napi, sppn):
    sppn(napi, months=6)
    client.force_login(pembina)
    url = reverse("assessments:inmate", args=[napi.pk])
    html = client.get(url).content.decode()
    assert_valid_html(html)
    assert "Perhitungan masa pidana" in html and "Hari pertama penahanan" in html
    assert "Cara menghitung" in html and "1/2 × 730 hari" in html
    assert "Langkah usulan" in html and "Litmas (penelitian kemasyarakatan) dari Bapas" in html
    assert "Dasar: Permenkumham No. 3 Tahun 2018" in html and "Pasal 44" in html
    assert "Catat langkah selesai" in html
    assert "Cuti mengunjungi keluarga" in html
    post = reverse("assessments:right_step", args=[napi.pk, "asimilasi"])
    refused = client.post(post, {"step": "litmas", "done_on": (TODAY() + DAY).isoformat()})
    assert refused.status_code == 302 and not RightProposalStep.objects.exists()
    assert "masa depan" in client.get(url).content.decode()
    done = client.post(
        post, {"step": "litmas", "done_on": TODAY().isoformat(), "reference": "LITMAS-9"}
    )
    assert done.status_code == 302 and done["Location"].endswith("#hak-asimilasi")
    assert RightProposalStep.objects.get().reference == "LITMAS-9"
    assert "LITMAS-9" in client.get(url).content.decode()
    worklist = client.get(reverse("assessments:worklist"), {"kind": "asimilasi"})
    assert "LITMAS-9" in worklist.content.decode()
    assert_valid_html(worklist.content.decode())


def test_panel_step_form_is_scoped(client, registrasi, kepala_ruteng, napi):
    post = reverse("assessments:right_step", args=[napi.pk, "asimilasi"])
    for user in (registrasi, kepala_ruteng):
        client.force_login(user)
        assert client.post(post, {"step": "litmas", "done_on": TODAY()}).status_code == 404
    assert not RightProposalStep.objects.exists()


def test_api_shows_steps_and_marks_one(client, pembina, napi):
    client.force_login(pembina)
    body = client.get(f"/api/v1/inmates/{napi.pk}/eligibility/", {"kind": "asimilasi"}).json()
    right = body[0]
    assert right["applies"] and right["reckoning_steps"][0].startswith("Hari pertama penahanan")
    time = next(r for r in right["rules"] if r["code"] == "masa_pidana")
    assert "Pasal 44" in time["basis"] and time["how"][0].startswith("1/2 × 730 hari")
    assert [s["code"] for s in right["steps"]] == ["litmas", "sidang_tpp", "sk"]
    url = f"/api/v1/inmates/{napi.pk}/rights/asimilasi/steps/"
    response = client.post(
        url,
        {"step": "sidang_tpp", "done_on": TODAY().isoformat(), "reference": "BA-TPP-3"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    step = next(s for s in response.json()["steps"] if s["code"] == "sidang_tpp")
    assert step["done"] and step["reference"] == "BA-TPP-3"
    bad = client.post(
        url,
        {"step": "sidang_tpp", "done_on": (TODAY() + DAY).isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "done_on" in bad.json()["errors"]
    assert (
        client.post(
            f"/api/v1/inmates/{napi.pk}/rights/bogus/steps/",
            {"step": "x", "done_on": TODAY().isoformat()},
            content_type="application/json",
        ).status_code
        == 400
    )
