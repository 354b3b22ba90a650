"""Psychometric scores are confidential like findings: encrypted at rest, read in full only by
the psychologist and the facility head (each read audited), and nowhere else: not the list,
the export, the API list, the admin, the inmate panel or the audit snapshots."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments import crypto, services
from rutan.core.models import AuditEntry
from tests.exports import csv_rows

SCALE, VALUE = "skala_kecemasan_uji", 37
PSYCH = "assessments.psychologicalassessment"


@pytest.fixture
def assessment(psikolog, wanita):
    return services.psych_create(
        inmate=wanita,
        by=psikolog,
        assessed_on=timezone.localdate(),
        instrument="DASS-21",
        scores={SCALE: VALUE, "stres": 12.5},
        findings="Temuan uji",
        finalise=True,
    )


def _reads(user, via):
    """Reads of the confidential parts (scores, findings, notes) by `user` through `via`."""
    return AuditEntry.objects.filter(
        object_type=PSYCH, action="read", actor=user, via=via, after__confidential=True
    ).count()


def test_scores_are_encrypted_at_rest_and_kept_out_of_audit_snapshots(assessment):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT scores_encrypted FROM assessments_psychologicalassessment WHERE id = %s",
            [assessment.pk],
        )
        (stored,) = cursor.fetchone()
    assert stored.startswith("gAAAA") and SCALE not in stored
    assert crypto.decrypt_json(stored) == {SCALE: VALUE, "stres": 12.5}
    for entry in AuditEntry.objects.filter(object_type=PSYCH):
        assert SCALE not in str(entry.before) + str(entry.after)


def test_bad_scores_change_nothing(psikolog, wanita):
    from django.core.exceptions import ValidationError

    for bad in ({"stres": "tinggi"}, {"stres": True}, {"": 3}, ["stres", 3]):
        with pytest.raises(ValidationError) as exc:
            services.psych_create(
                inmate=wanita, by=psikolog, assessed_on=timezone.localdate(), scores=bad
            )
        assert exc.value.message_dict["scores"] == [
            "Skor harus berupa pasangan nama skala dan angka."
        ]
    assert not wanita.psychologicalassessment_set.exists()


def test_the_psychologist_and_the_head_read_them_audited(client, assessment, psikolog, kepala):
    url = reverse("assessments:detail", args=["psikologis", assessment.pk])
    for user in (psikolog, kepala):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert SCALE in html and f"<strong>{VALUE}</strong>" in html
        assert "<strong>12.5</strong>" in html or "<strong>12,5</strong>" in html
        assert _reads(user, "web") == 1


@pytest.mark.parametrize("who", ["pembina", "kanwil", "national_admin", "kepala_ruteng"])
def test_others_see_no_score_on_any_page(client, assessment, wanita, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    pages = [
        reverse("assessments:detail", args=["psikologis", assessment.pk]),
        reverse("assessments:list") + "?kind=psikologis",
        reverse("inmates:detail", args=[wanita.pk]),
        reverse("assessments:inmate", args=[wanita.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert SCALE not in response.content.decode(), url
    detail = client.get(pages[0])
    if detail.status_code == 200:
        assert "Skor, temuan dan catatan hanya dapat dibaca psikolog dan Kepala UPT." in (
            detail.content.decode()
        )
    # Their reads of the record are audited; none of them is a read of the confidential parts.
    confidential = {"object_type": PSYCH, "action": "read", "after__confidential": True}
    assert not AuditEntry.objects.filter(actor=user, **confidential).exists()


def test_the_export_has_no_scores(client, assessment, psikolog):
    client.force_login(psikolog)
    response = client.get(reverse("assessments:list"), {"kind": "psikologis", "unduh": "csv"})
    rows = csv_rows(response)
    assert any("DASS-21" in cell for row in rows for cell in row)
    assert not any(SCALE in cell or str(VALUE) == cell for row in rows for cell in row)


def test_api_lists_never_carry_scores_and_one_record_does_only_for_the_entitled(
    client, assessment, psikolog, pembina, kanwil
):
    client.force_login(psikolog)
    listed = client.get("/api/v1/assessments/psychological/").json()["results"]
    assert listed and all("scores" not in row for row in listed)
    one = client.get(f"/api/v1/assessments/psychological/{assessment.pk}/").json()
    assert one["scores"] == {SCALE: VALUE, "stres": 12.5}
    assert _reads(psikolog, "api") == 1
    for user in (pembina, kanwil):
        client.force_login(user)
        body = client.get(f"/api/v1/assessments/psychological/{assessment.pk}/").json()
        assert "scores" not in body and "findings" not in body, user


def test_api_writes_scores_encrypted(client, psikolog, wanita):
    client.force_login(psikolog)
    response = client.post(
        "/api/v1/assessments/psychological/",
        {
            "inmate": wanita.pk,
            "assessed_on": timezone.localdate().isoformat(),
            "instrument": "SRQ-20",
            "scores": {"depresi": 8},
            "findings": "uji",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert "scores" not in response.json()
    record = wanita.psychologicalassessment_set.get()
    assert services.psych_confidential_read(assessment=record, by=psikolog, via="test")[
        "scores"
    ] == {"depresi": 8}
    bad = client.post(
        "/api/v1/assessments/psychological/",
        {
            "inmate": wanita.pk,
            "assessed_on": timezone.localdate().isoformat(),
            "scores": {"x": "a"},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "scores" in bad.json()["errors"]


def test_the_admin_shows_scores_to_the_head_only(client, assessment, kepala, national_admin):
    url = reverse("admin:assessments_psychologicalassessment_change", args=[assessment.pk])
    client.force_login(national_admin)
    html = client.get(url).content.decode()
    assert SCALE not in html and "Hanya dapat dibaca psikolog dan Kepala UPT." in html
    client.force_login(kepala)
    html = client.get(url).content.decode()
    assert f"{SCALE}: {VALUE}" in html and _reads(kepala, "admin") == 1


def test_a_draft_keeps_its_scores_through_the_edit_form(client, psikolog, wanita):
    draft = services.psych_create(
        inmate=wanita,
        by=psikolog,
        assessed_on=timezone.localdate() - datetime.timedelta(days=1),
        scores={"stres": 14},
        findings="awal",
    )
    client.force_login(psikolog)
    url = reverse("assessments:update", args=["psikologis", draft.pk])
    form = client.get(url).context["form"]
    assert form.initial["scores"] == "stres: 14"
    assert _reads(psikolog, "web") == 1
