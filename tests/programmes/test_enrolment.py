import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes import services
from programmes.models import Enrolment, EnrolmentEvent
from rutan.core.models import AuditEntry
from rutan.inmates import services as inmate_services

D = datetime.timedelta


def test_enrol_gives_a_place_and_keeps_the_event(balikpapan, pembina, make_programme, make_inmate):
    programme = make_programme(balikpapan)
    inmate = make_inmate(balikpapan)
    enrolment = services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    assert enrolment.status == "active" and enrolment.waitlist_position is None
    event = EnrolmentEvent.objects.get(enrolment=enrolment)
    assert (event.from_status, event.to_status, event.by) == ("", "active", pembina)
    assert AuditEntry.objects.filter(
        object_type="programmes.enrolment", object_id=str(enrolment.pk), actor=pembina
    ).exists()


def test_enrolment_dated_back_starts_then(balikpapan, pembina, make_programme, make_inmate, today):
    programme = make_programme(balikpapan)
    inmate = make_inmate(balikpapan, admission_date=today - D(days=100))
    asked = today - D(days=20)
    enrolment = services.enrolment_create(
        programme=programme, inmate=inmate, by=pembina, requested_on=asked
    )
    assert (enrolment.requested_on, enrolment.started_on) == (asked, asked)
    assert enrolment.events.get().on == asked
    with pytest.raises(ValidationError) as future:
        services.enrolment_create(
            programme=programme,
            inmate=make_inmate(balikpapan),
            by=pembina,
            requested_on=today + D(days=1),
        )
    assert future.value.message_dict == {
        "requested_on": ["Tanggal daftar tidak boleh di masa depan."]
    }
    with pytest.raises(ValidationError, match="sebelum WBP masuk"):
        services.enrolment_create(
            programme=programme,
            inmate=make_inmate(balikpapan, admission_date=today - D(days=100)),
            by=pembina,
            requested_on=today - D(days=200),
        )
    assert Enrolment.objects.count() == 1


def test_full_programme_puts_inmates_on_the_waiting_list_in_order(
    balikpapan, pembina, make_programme, make_inmate
):
    programme = make_programme(balikpapan, capacity=1)
    first, second, third = (make_inmate(balikpapan) for _ in range(3))
    assert services.enrolment_create(programme=programme, inmate=first, by=pembina).status == (
        "active"
    )
    waiting = services.enrolment_create(programme=programme, inmate=second, by=pembina)
    later = services.enrolment_create(programme=programme, inmate=third, by=pembina)
    assert (waiting.status, waiting.waitlist_position) == ("waitlisted", 1)
    assert (later.status, later.waitlist_position) == ("waitlisted", 2)
    assert "daftar tunggu nomor 2" in later.events.get().reason


def test_enrolling_twice_is_refused_and_the_database_forbids_it(
    balikpapan, pembina, make_programme, make_inmate
):
    programme = make_programme(balikpapan)
    inmate = make_inmate(balikpapan, name="Agus Dua Kali")
    enrolment = services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    assert "Agus Dua Kali sudah terdaftar di program ini" in str(exc.value)
    assert Enrolment.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            programme=programme,
            inmate=inmate,
            status="waitlisted",
            waitlist_position=5,
            requested_on=enrolment.requested_on,
        )


def test_failing_rule_is_named(balikpapan, pembina, make_programme, make_inmate):
    programme = make_programme(
        balikpapan, title="Pengajian Qonita", area="keagamaan", eligible_sex="P"
    )
    man = make_inmate(balikpapan)
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(programme=programme, inmate=man, by=pembina)
    error = exc.value.error_dict["inmate"][0]
    assert error.code == "ineligible_sex"
    assert "Jenis kelamin: Program khusus perempuan." in exc.value.messages
    assert not Enrolment.objects.exists()


def test_stage_rule(balikpapan, pembina, make_programme, early_inmate, assimilation_inmate):
    programme = make_programme(balikpapan, eligible_stages=["asimilasi", "integrasi"])
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(programme=programme, inmate=early_inmate, by=pembina)
    assert exc.value.error_dict["inmate"][0].code == "ineligible_stage"
    assert "Tahap Admisi-orientasi" in exc.value.messages[0]
    assert services.enrolment_create(programme=programme, inmate=assimilation_inmate, by=pembina)


def test_literacy_rule_reads_the_latest_final_assessment(
    balikpapan, pembina, make_programme, make_inmate, assess, today
):
    programme = make_programme(balikpapan, title="Paket B", min_literacy_level="paket_a")
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    assert "belum ada asesmen literasi" in exc.value.messages[0].lower()
    assess.literacy(inmate, "keaksaraan_dasar", on=today - D(days=20))
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    assert "Literasi Latin Keaksaraan dasar; minimal Paket A." in exc.value.messages[0]
    # A draft does not count; only the latest final assessment does.
    assess.literacy(inmate, "paket_b", on=today - D(days=10), finalise=False)
    with pytest.raises(ValidationError, match="Keaksaraan dasar"):
        services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    assert not Enrolment.objects.exists()
    assess.literacy(inmate, "paket_b", on=today)
    assert services.enrolment_create(programme=programme, inmate=inmate, by=pembina)


def test_interest_rule(balikpapan, pembina, make_programme, make_inmate, assess, today):
    programme = make_programme(
        balikpapan,
        title="Barbershop",
        pillar="kemandirian",
        area="barbershop",
        required_interest_area="barbershop",
    )
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError, match="Belum ada asesmen minat"):
        services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    assess.interest(inmate, ["meubel"], on=today - D(days=10))
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(programme=programme, inmate=inmate, by=pembina)
    assert exc.value.error_dict["inmate"][0].code == "ineligible_interest"
    assert "Minat Barbershop tidak tercatat" in exc.value.messages[0]
    assert not Enrolment.objects.exists()
    assess.interest(inmate, ["meubel", "barbershop"], on=today)
    assert services.enrolment_create(programme=programme, inmate=inmate, by=pembina)


def test_enrolment_outside_scope_is_refused(
    ruteng, balikpapan, pembina, pembina_ruteng, make_programme, make_inmate
):
    programme = make_programme(ruteng, title="Barbershop Ruteng")
    with pytest.raises(ValidationError, match="tidak berwenang"):
        services.enrolment_create(programme=programme, inmate=make_inmate(ruteng), by=pembina)
    # An inmate of another facility fails the facility rule.
    with pytest.raises(ValidationError) as exc:
        services.enrolment_create(
            programme=programme, inmate=make_inmate(balikpapan), by=pembina_ruteng
        )
    assert exc.value.error_dict["inmate"][0].code == "ineligible_facility"


def test_finished_programme_takes_nobody(balikpapan, pembina, make_programme, make_inmate):
    programme = make_programme(balikpapan)
    services.programme_set_status(programme=programme, status="finished", by=pembina)
    with pytest.raises(ValidationError, match="tidak menerima peserta"):
        services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=pembina)


def test_withdraw_moves_the_waiting_list_up(balikpapan, pembina, make_programme, make_inmate):
    programme = make_programme(balikpapan, capacity=1)
    a, b, c = (make_inmate(balikpapan) for _ in range(3))
    first = services.enrolment_create(programme=programme, inmate=a, by=pembina)
    second = services.enrolment_create(programme=programme, inmate=b, by=pembina)
    third = services.enrolment_create(programme=programme, inmate=c, by=pembina)
    with pytest.raises(ValidationError) as exc:
        services.enrolment_withdraw(enrolment=first, reason="other", note="", by=pembina)
    assert "note" in exc.value.error_dict
    services.enrolment_withdraw(enrolment=first, reason="health", by=pembina)
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert (first.status, first.end_reason) == ("withdrawn", "health")
    assert (second.status, second.waitlist_position) == ("active", None)
    assert (third.status, third.waitlist_position) == ("waitlisted", 1)
    assert [e.to_status for e in second.events.all()] == ["waitlisted", "active"]


def test_larger_capacity_moves_the_waiting_list_up(
    balikpapan, pembina, make_programme, make_inmate
):
    programme = make_programme(balikpapan, capacity=1)
    services.enrolment_create(programme=programme, inmate=make_inmate(balikpapan), by=pembina)
    waiting = services.enrolment_create(
        programme=programme, inmate=make_inmate(balikpapan), by=pembina
    )
    with pytest.raises(ValidationError):
        services.programme_update(programme=programme, capacity=0, by=pembina)
    services.programme_update(programme=programme, capacity=2, by=pembina)
    waiting.refresh_from_db()
    assert waiting.status == "active"


def test_bulk_enrol_reports_each_inmate(balikpapan, pembina, make_programme, make_inmate):
    programme = make_programme(balikpapan, capacity=2, eligible_sex="L")
    men = [make_inmate(balikpapan) for _ in range(3)]
    woman = make_inmate(balikpapan, sex="P", name="Sari")
    result = services.enrolments_bulk_create(programme=programme, inmates=[*men, woman], by=pembina)
    assert len(result.enrolled) == 2 and len(result.waitlisted) == 1
    assert result.refused[0][0] == woman and "perempuan" not in result.refused[0][1][0]
    assert "laki-laki" in result.refused[0][1][0]


def test_complete_with_post_score_and_finish_programme(
    balikpapan, pembina, make_programme, make_inmate, today
):
    programme = make_programme(balikpapan)
    done = services.enrolment_create(
        programme=programme, inmate=make_inmate(balikpapan), by=pembina
    )
    other = services.enrolment_create(
        programme=programme, inmate=make_inmate(balikpapan), by=pembina
    )
    services.evaluation_record(enrolment=done, kind="pre", score=40, by=pembina)
    services.enrolment_complete(enrolment=done, post_score=75, by=pembina)
    done.refresh_from_db()
    assert done.status == "completed" and done.ended_on == today
    assert {e.kind: e.score for e in done.evaluations.all()} == {"pre": 40, "post": 75}
    with pytest.raises(ValidationError):
        services.enrolment_complete(enrolment=done, by=pembina)
    with pytest.raises(ValidationError):
        services.evaluation_record(enrolment=other, kind="pre", score=140, by=pembina)
    services.programme_set_status(programme=programme, status="finished", by=pembina)
    other.refresh_from_db()
    assert other.status == "completed"


def test_transfer_and_release_end_enrolments(
    balikpapan,
    ruteng,
    pembina,
    make_programme,
    make_inmate,
    national_admin,
    registrasi,
    today,
    assimilation_inmate,
):
    """The inmate services send `inmate_left_facility`; programmes end the enrolments."""
    programme = make_programme(balikpapan, capacity=1)
    mover = make_inmate(balikpapan)
    services.enrolment_create(programme=programme, inmate=mover, by=pembina)
    waiting = services.enrolment_create(programme=programme, inmate=assimilation_inmate, by=pembina)
    assert waiting.status == "waitlisted"
    placement = services.assimilation_placement_create(
        inmate=assimilation_inmate,
        workplace="Kafe",
        supervisor="Pak Uji",
        decree_reference="SK-1",
        start_date=today,
        by=national_admin,
    )
    inmate_services.inmate_transfer(inmate=mover, to_facility=ruteng, on=today, by=registrasi)
    enrolment = Enrolment.objects.get(inmate=mover)
    assert (enrolment.status, enrolment.end_reason, enrolment.ended_on) == (
        "transferred",
        "transferred",
        today,
    )
    assert enrolment.events.filter(to_status="transferred", on=today).exists()
    # The freed place goes to the waiting list.
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waitlist_position) == ("active", None)

    inmate_services.inmate_release(inmate=assimilation_inmate, on=today, by=registrasi)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.end_reason, waiting.ended_on) == (
        "released",
        "released",
        today,
    )
    assert waiting.events.filter(to_status="released", on=today).exists()
    placement.refresh_from_db()
    assert (placement.status, placement.end_reason, placement.end_date) == (
        "ended",
        "Bebas",
        today,
    )
    # Nothing is left open, so calling the handler again changes nothing.
    assert (
        services.enrolments_end_for_inmate(
            inmate=assimilation_inmate, reason="released", on=today, by=national_admin
        )
        == 0
    )
    with pytest.raises(ValidationError):
        services.enrolments_end_for_inmate(inmate=mover, reason="bosan", on=today, by=None)
