import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from assessments import selectors, services
from assessments.models import BehaviourScore, PsychologicalAssessment
from rutan.core.models import AuditEntry
from rutan.facilities.models import FollowUpItem

TODAY = timezone.localdate


def _psych(inmate, by, **kw):
    data = {
        "assessed_on": TODAY(),
        "instrument": "DASS-21",
        "scores": {"stres": 14, "cemas": 9},
        "findings": "Gejala kecemasan sedang terkait perkara keluarga.",
        "notes": "Konseling lanjutan tiap dua minggu.",
        "recommendation": "Ikut kelas pengendalian diri.",
    }
    data.update(kw)
    return services.psych_create(inmate=inmate, by=by, **data)


def test_findings_are_encrypted_at_rest(psikolog, wanita):
    a = _psych(wanita, psikolog, finalise=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT findings_encrypted, notes_encrypted FROM assessments_psychologicalassessment"
            " WHERE id = %s",
            [a.pk],
        )
        findings, notes = cursor.fetchone()
    assert "kecemasan" not in findings and "Konseling" not in notes
    assert findings.startswith("gAAAA")
    assert a.status == "final" and a.finalised_by == psikolog
    audit = AuditEntry.objects.filter(object_type="assessments.psychologicalassessment")
    assert all("kecemasan" not in str(e.after) for e in audit)


def test_confidential_read_by_role_is_audited(
    psikolog, kepala, pembina, kanwil, national_admin, magang, wanita, psikolog_ruteng
):
    a = _psych(wanita, psikolog, finalise=True)
    for user in (psikolog, kepala):
        text = services.psych_confidential_read(assessment=a, by=user, via="web")
        assert "kecemasan" in text["findings"]
        assert AuditEntry.objects.filter(
            action="read", actor=user, object_id=str(a.pk), via="web"
        ).exists()
    for user in (pembina, kanwil, national_admin, magang, psikolog_ruteng):
        with pytest.raises(PermissionDenied):
            services.psych_confidential_read(assessment=a, by=user, via="web")
    assert not AuditEntry.objects.filter(action="read", actor=pembina).exists()


def test_intern_draft_needs_psychologist_sign_off(magang, magang2, psikolog, wanita):
    with pytest.raises(ValidationError, match="ditandatangani psikolog"):
        _psych(wanita, magang, finalise=True)
    assert not PsychologicalAssessment.objects.exists()
    draft = _psych(wanita, magang)
    assert draft.status == "draft" and draft.by_intern
    assert services.psych_confidential_read(assessment=draft, by=magang, via="web")["findings"]
    with pytest.raises(PermissionDenied):
        services.psych_confidential_read(assessment=draft, by=magang2, via="web")
    with pytest.raises(ValidationError, match="Hanya psikolog"):
        services.psych_finalise(assessment=draft, by=magang)
    signed = services.psych_finalise(assessment=draft, by=psikolog)
    assert signed.status == "final" and signed.finalised_by == psikolog
    with pytest.raises(PermissionDenied):
        services.psych_confidential_read(assessment=signed, by=magang, via="web")
    with pytest.raises(ValidationError, match="sudah final"):
        services.psych_update(assessment=signed, by=psikolog, findings="x")


def test_programme_officer_cannot_write_psychological(pembina, wanita):
    with pytest.raises(ValidationError, match="tidak berwenang"):
        _psych(wanita, pembina)


def test_bad_dates_and_scores_change_nothing(psikolog, pembina, wanita):
    with pytest.raises(ValidationError) as exc:
        _psych(wanita, psikolog, assessed_on=TODAY() + datetime.timedelta(days=1))
    assert "masa depan" in str(exc.value)
    with pytest.raises(ValidationError, match="Skor"):
        _psych(wanita, psikolog, scores={"stres": "tinggi"})
    with pytest.raises(ValidationError) as exc:
        services.literacy_create(
            inmate=wanita,
            by=pembina,
            assessed_on=TODAY(),
            script="latin",
            level="buta_aksara",
            reading_score=120,
            writing_score=10,
            numeracy_score=10,
        )
    assert "paling besar 100" in str(exc.value)
    with pytest.raises(ValidationError, match="tidak dikenal"):
        services.interest_create(inmate=wanita, by=pembina, assessed_on=TODAY(), areas=["judi"])
    assert not PsychologicalAssessment.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="assessments.").exists()


def test_latest_literacy_and_interests_feed_recommendations(pembina, make_inmate, balikpapan):
    inmate = make_inmate(balikpapan, case_category="narkotika")
    assert selectors.latest_literacy_level(inmate=inmate) is None
    assert selectors.interest_areas(inmate=inmate) == []
    services.literacy_create(
        inmate=inmate,
        by=pembina,
        assessed_on=TODAY() - datetime.timedelta(days=30),
        script="latin",
        level="keaksaraan_dasar",
        reading_score=40,
        writing_score=30,
        numeracy_score=50,
        finalise=True,
    )
    services.literacy_create(
        inmate=inmate,
        by=pembina,
        assessed_on=TODAY(),
        script="latin",
        level="buta_aksara",
        reading_score=10,
        writing_score=5,
        numeracy_score=20,
        finalise=True,
    )
    draft = services.interest_create(
        inmate=inmate, by=pembina, assessed_on=TODAY(), areas=["barbershop", "meubel"]
    )
    assert selectors.interest_areas(inmate=inmate) == []
    services.assessment_finalise(assessment=draft, by=pembina)
    assert selectors.latest_literacy_level(inmate=inmate).code == "buta_aksara"
    assert selectors.interest_areas(inmate=inmate) == ["barbershop", "meubel"]
    reasons = [s.reason for s in selectors.recommendations(inmate=inmate)]
    assert reasons[0].startswith("literasi Latin: Buta aksara") and "Kelas Literasi" in reasons[0]
    assert reasons[1] == "kasus narkotika → Rehabilitasi NAPZA"
    assert reasons[2] == "minat: barbershop (pilihan 1) → Pelatihan Barbershop"
    assert "meubel" in reasons[3]


def test_sppn_one_per_inmate_per_month(pembina, wanita):
    month = TODAY().replace(day=1)
    scores = {"kepribadian": 70, "kemandirian": 65, "sikap": 80, "kondisi_mental": 75}
    services.behaviour_score_create(inmate=wanita, month=month, by=pembina, **scores)
    with pytest.raises(ValidationError, match="sudah memiliki nilai SPPN"):
        services.behaviour_score_create(
            inmate=wanita, month=month.replace(day=15), by=pembina, **scores
        )
    assert BehaviourScore.objects.count() == 1


def test_sppn_database_constraint(pembina, wanita):
    from django.db import IntegrityError, transaction

    score = BehaviourScore.objects.create(
        inmate=wanita,
        facility=wanita.facility,
        assessor=pembina,
        assessed_on=TODAY(),
        month=TODAY().replace(day=1),
        kepribadian=1,
        kemandirian=1,
        sikap=1,
        kondisi_mental=1,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        score.pk = None
        score.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        score.pk = None
        score.month = TODAY().replace(day=2)
        score.save()


def test_sppn_block_save_is_all_or_nothing(pembina, balikpapan, make_inmate):
    a = make_inmate(balikpapan, name="Agus")
    b = make_inmate(balikpapan, name="Bayu")
    month = TODAY().replace(day=1)
    good = {"kepribadian": 70, "kemandirian": 65, "sikap": 80, "kondisi_mental": 75}
    with pytest.raises(ValidationError) as exc:
        services.behaviour_scores_save(
            facility=balikpapan,
            month=month,
            by=pembina,
            rows=[{"inmate": a, **good}, {"inmate": b, **good, "sikap": 101}],
        )
    assert str(b.pk) in exc.value.message_dict
    assert not BehaviourScore.objects.exists()
    created, changed = services.behaviour_scores_save(
        facility=balikpapan,
        month=month,
        by=pembina,
        rows=[{"inmate": a, **good}, {"inmate": b, "kepribadian": None}],
    )
    assert (created, changed) == (1, 0)
    created, changed = services.behaviour_scores_save(
        facility=balikpapan, month=month, by=pembina, rows=[{"inmate": a, **good, "sikap": 90}]
    )
    assert (created, changed) == (0, 1)
    assert BehaviourScore.objects.get(inmate=a).sikap == 90


def test_counselling_notes_encrypted_and_guarded(psikolog, pembina, wanita):
    session = services.counselling_create(
        inmate=wanita,
        by=psikolog,
        held_on=TODAY(),
        topic="Kecemasan menjelang sidang",
        notes="Menangis saat menceritakan anaknya.",
        follow_up_on=TODAY() + datetime.timedelta(days=14),
    )
    session.refresh_from_db()
    assert "anaknya" not in session.notes_encrypted
    assert "anaknya" in services.counselling_notes_read(session=session, by=psikolog, via="web")
    with pytest.raises(PermissionDenied):
        services.counselling_notes_read(session=session, by=pembina, via="web")
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.counselling_create(inmate=wanita, by=pembina, held_on=TODAY(), topic="x")


def test_survey_findings_become_follow_up_items(magang, balikpapan, psikolog):
    survey = services.survey_create(
        facility=balikpapan,
        by=magang,
        kind="survei_gizi_dapur",
        title="Survei gizi dapur",
        surveyed_on=TODAY(),
        lead=psikolog,
        place="Dapur",
        summary="Menu sesuai standar; sayur kurang.",
    )
    finding = services.survey_finding_add(
        survey=survey,
        by=magang,
        title="Porsi sayur di bawah standar",
        severity="sedang",
        due_on=TODAY() + datetime.timedelta(days=30),
    )
    item = FollowUpItem.objects.get()
    assert finding.follow_up == item
    assert item.source == "survey" and item.source_type == "assessments.surveyfinding"
    assert item.source_id == str(finding.pk) and item.place == "Dapur"
    with pytest.raises(ValidationError, match="Tenggat"):
        services.survey_finding_add(
            survey=survey, by=magang, title="x", due_on=TODAY() - datetime.timedelta(days=1)
        )
    assert FollowUpItem.objects.count() == 1
