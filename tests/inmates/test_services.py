import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rutan.core.models import AuditEntry
from rutan.inmates import selectors, services
from rutan.inmates.models import DisciplinaryEntry, Inmate, Placement
from tests.factories import identity_data, warrant

D = datetime.timedelta


def test_create_opens_admission_placement_and_audits(balikpapan, registrasi):
    block = balikpapan.blocks.get(name="Blok A")
    inmate = services.inmate_create(
        facility=balikpapan, by=registrasi, detention=warrant(), **identity_data(block=block)
    )
    placement = Placement.objects.get(inmate=inmate)
    assert (placement.facility, placement.block, placement.start_reason) == (
        balikpapan,
        block,
        "admission",
    )
    assert placement.start_date == inmate.admission_date
    # A new inmate is a detainee whose register follows the authority holding them.
    assert (inmate.legal_status, inmate.register_type) == ("tahanan", "A.I")
    assert inmate.custody_start == datetime.date(2025, 1, 1)
    assert inmate.stage is None and inmate.expected_release_date is None
    entry = AuditEntry.objects.get(object_type="inmates.inmate", object_id=str(inmate.pk))
    assert entry.actor == registrasi and entry.action == "create"
    assert entry.after["name"] == "Budi Santoso"
    assert entry.facility_id == balikpapan.pk


def test_create_refuses_bad_data_and_writes_nothing(balikpapan, registrasi):
    with pytest.raises(ValidationError) as exc:
        services.inmate_create(
            facility=balikpapan,
            by=registrasi,
            detention=warrant(),
            **identity_data(birth_date=datetime.date(2026, 1, 1)),
        )
    assert "Tanggal lahir harus sebelum tanggal masuk." in exc.value.message_dict["birth_date"]
    assert not Inmate.objects.exists() and not Placement.objects.exists()
    assert not AuditEntry.objects.exists()


def test_create_needs_the_first_warrant_and_a_lawful_one(balikpapan, registrasi):
    with pytest.raises(ValidationError) as exc:
        services.inmate_create(facility=balikpapan, by=registrasi, **identity_data())
    assert "warrant_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.inmate_create(
            facility=balikpapan,
            by=registrasi,
            detention=warrant(end=datetime.date(2025, 1, 21)),
            **identity_data(),
        )
    assert "paling lama 20 hari" in exc.value.message_dict["end"][0]
    assert "KUHAP" in exc.value.message_dict["end"][0]
    assert not Inmate.objects.exists() and not AuditEntry.objects.exists()


def test_women_only_in_a_womens_or_mixed_block(balikpapan, registrasi):
    with pytest.raises(ValidationError) as exc:
        services.inmate_create(
            facility=balikpapan,
            by=registrasi,
            detention=warrant(),
            **identity_data(
                sex="P", name="Sari Lestari", block=balikpapan.blocks.get(name="Blok A")
            ),
        )
    assert exc.value.message_dict["block"] == ["Blok ini untuk laki-laki."]


def test_duplicate_registration_is_a_field_error(balikpapan, registrasi, make_inmate):
    make_inmate(balikpapan, registration_number="BI.0007/2025")
    with pytest.raises(ValidationError) as exc:
        services.inmate_create(
            facility=balikpapan,
            by=registrasi,
            detention=warrant(),
            **identity_data(registration_number="BI.0007/2025"),
        )
    assert "Nomor registrasi ini sudah dipakai di UPT ini." in str(exc.value)


def test_update_audits_before_and_after(balikpapan, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    services.inmate_update(inmate=inmate, by=registrasi, case_article="Pasal 363 KUHP")
    entry = AuditEntry.objects.filter(action="update", object_type="inmates.inmate").latest("id")
    assert entry.before["case_article"] == ""
    assert "name" not in entry.before  # only what changed is kept
    assert entry.after["case_article"] == "Pasal 363 KUHP"


def test_update_cannot_touch_the_sentence(balikpapan, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    services.inmate_update(inmate=inmate, by=registrasi, remission_days=35, sentence_years=1)
    inmate.refresh_from_db()
    assert (inmate.remission_days, inmate.sentence_years) == (5, 3)


def test_transfer_keeps_history_answerable_by_date(balikpapan, ruteng, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    moved_on = timezone.localdate() - D(days=10)
    services.inmate_transfer(
        inmate=inmate,
        to_facility=ruteng,
        on=moved_on,
        by=registrasi,
        block=ruteng.blocks.get(),
        registration_number="BI.0900/2026",
        note="Surat Kanwil W.17-PK.01.01",
    )
    inmate.refresh_from_db()
    assert inmate.facility == ruteng and inmate.registration_number == "BI.0900/2026"
    before = selectors.placement_on(inmate=inmate, on=moved_on - D(days=1))
    after = selectors.placement_on(inmate=inmate, on=moved_on)
    assert before.facility == balikpapan and before.end_reason == "transfer_out"
    assert after.facility == ruteng and after.start_reason == "transfer_in"
    assert list(selectors.facility_population_on(facility=balikpapan, on=moved_on - D(days=1))) == [
        inmate
    ]
    assert not selectors.facility_population_on(facility=balikpapan, on=moved_on).exists()
    assert AuditEntry.objects.filter(action="transfer", facility_id=balikpapan.pk).exists()


def test_transfer_refuses_same_facility_and_future_dates(balikpapan, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError):
        services.inmate_transfer(
            inmate=inmate, to_facility=balikpapan, on=timezone.localdate(), by=registrasi
        )
    with pytest.raises(ValidationError):
        services.inmate_move_block(
            inmate=inmate,
            block=balikpapan.blocks.get(name="Blok B"),
            on=balikpapan.today() + D(days=1),
            by=registrasi,
        )
    assert Placement.objects.filter(inmate=inmate).count() == 1


def test_release_closes_placement(balikpapan, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    services.inmate_release(
        inmate=inmate, on=timezone.localdate(), kind="pembebasan_bersyarat", by=registrasi
    )
    inmate.refresh_from_db()
    assert inmate.status == "released" and inmate.release_kind == "pembebasan_bersyarat"
    assert not Placement.objects.filter(inmate=inmate, end_date__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.inmate_release(inmate=inmate, on=timezone.localdate(), by=registrasi)


def test_release_not_before_admission(balikpapan, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError) as exc:
        services.inmate_release(inmate=inmate, on=inmate.admission_date - D(days=1), by=registrasi)
    assert "on" in exc.value.message_dict


def test_block_move_records_placement(balikpapan, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    block_b = balikpapan.blocks.get(name="Blok B")
    services.inmate_move_block(inmate=inmate, block=block_b, on=timezone.localdate(), by=registrasi)
    timeline = selectors.inmate_timeline(inmate=inmate)
    assert [p.block.name for p in timeline] == ["Blok A", "Blok B"]
    assert timeline[0].end_reason == "block_move"


def test_only_authorised_roles_write(balikpapan, pembina, make_inmate):
    inmate = make_inmate(balikpapan)
    with pytest.raises(ValidationError):
        services.inmate_release(inmate=inmate, on=timezone.localdate(), by=pembina)
    with pytest.raises(ValidationError):
        services.inmate_create(
            facility=balikpapan, by=pembina, detention=warrant(), **identity_data()
        )


def test_register_f_entry_and_close(balikpapan, registrasi, make_inmate):
    inmate = make_inmate(balikpapan)
    entry = services.disciplinary_create(
        inmate=inmate,
        occurred_on=timezone.localdate() - D(days=3),
        offence="Membawa ponsel",
        sanction="Tutupan sunyi 6 hari",
        by=registrasi,
    )
    assert entry.status == "open"
    services.disciplinary_close(entry=entry, on=timezone.localdate(), by=registrasi)
    entry.refresh_from_db()
    assert entry.status == "closed"
    with pytest.raises(ValidationError):
        services.disciplinary_close(entry=entry, on=timezone.localdate(), by=registrasi)
    with pytest.raises(ValidationError):
        services.disciplinary_create(
            inmate=inmate,
            occurred_on=balikpapan.today() + D(days=1),
            offence="x",
            sanction="y",
            by=registrasi,
        )
    assert DisciplinaryEntry.objects.count() == 1


def test_leaving_the_facility_is_signalled_inside_the_transaction(
    balikpapan, ruteng, registrasi, make_inmate
):
    from rutan.inmates.signals import inmate_left_facility

    seen = []

    def receiver(sender, inmate, on, by, reason, from_facility, **kwargs):
        seen.append((inmate.pk, reason, from_facility.pk))

    inmate_left_facility.connect(receiver)
    try:
        first, second = make_inmate(balikpapan), make_inmate(balikpapan)
        today = timezone.localdate()
        services.inmate_transfer(inmate=first, to_facility=ruteng, on=today, by=registrasi)
        services.inmate_release(inmate=second, on=today, by=registrasi)
    finally:
        inmate_left_facility.disconnect(receiver)
    assert seen == [
        (first.pk, "transferred", balikpapan.pk),
        (second.pk, "released", balikpapan.pk),
    ]
