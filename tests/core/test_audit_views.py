"""The audit log page: facility heads and data-protection officers search their scope's
entries by person, inmate, object, action and dates; reading the log is audited."""

import datetime

import pytest
from django.urls import reverse

from rutan.core.models import AuditAction, AuditEntry
from rutan.core.roles import Role
from rutan.core.services import audit_record
from rutan.inmates import services
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(balikpapan):
    return member(Role.DATA_PROTECTION_OFFICER, facility=balikpapan, username="dpo")


@pytest.fixture
def logged(balikpapan, ruteng, make_inmate, kepala, registrasi, kepala_ruteng):
    budi = make_inmate(balikpapan, name="Budi Santoso", registration_number="BI.0100/2025")
    siti = make_inmate(balikpapan, name="Siti Aminah", sex="P")
    services.inmate_record_read(inmate=budi, by=kepala, via="web")
    services.inmate_record_read(inmate=siti, by=registrasi, via="api")
    far = make_inmate(ruteng, name="Budi Ruteng")
    services.inmate_record_read(inmate=far, by=kepala_ruteng, via="web")
    return {"budi": budi, "siti": siti, "far": far}


def _rows(response) -> list[AuditEntry]:
    return list(response.context["page_obj"].object_list)


def test_dpo_searches_by_person_inmate_action_and_date(client, dpo, logged, kepala):
    client.force_login(dpo)
    url = reverse("audit:list")
    everything = _rows(client.get(url))
    assert everything and {e.facility_id for e in everything} == {logged["budi"].facility_id}
    by_person = _rows(client.get(url, {"person": "registrasi", "action": "read"}))
    assert {e.inmate_id for e in by_person} == {logged["siti"].pk}
    by_inmate = _rows(client.get(url, {"inmate": "BI.0100", "action": "read"}))
    assert [(e.inmate_id, e.actor_username) for e in by_inmate] == [(logged["budi"].pk, "kepala")]
    assert _rows(client.get(url, {"inmate": "Budi"})) == _rows(
        client.get(url, {"inmate": "Budi Santoso"})
    )
    by_type = _rows(client.get(url, {"object_type": "inmates.inmate", "action": "read"}))
    assert len(by_type) == 2
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    assert _rows(client.get(url, {"date_from": tomorrow.isoformat()})) == []
    page = client.get(url, {"inmate": "Budi"}).content.decode()
    assert "Bambang" not in page and str(kepala) in page


def test_bad_filters_give_a_message_and_no_export(client, dpo, logged):
    client.force_login(dpo)
    response = client.get(
        reverse("audit:list"), {"date_from": "2026-12-10", "date_to": "2026-12-01"}
    )
    assert "Tanggal akhir tidak boleh sebelum tanggal awal" in response.content.decode()
    export = client.get(reverse("audit:list"), {"date_from": "kemarin", "unduh": "csv"})
    assert export.status_code == 400


def test_reading_the_log_is_audited(client, dpo, logged):
    client.force_login(dpo)
    client.get(reverse("audit:list"), {"person": "kepala"})
    read = AuditEntry.objects.filter(actor=dpo, object_type="core.auditentry").get()
    assert read.after["filters"] == {"person": "kepala"} and read.after["ids"]
    entry = AuditEntry.objects.filter(inmate_id=logged["budi"].pk, action="read").first()
    response = client.get(reverse("audit:detail", args=[entry.pk]))
    assert response.status_code == 200
    opened = AuditEntry.objects.filter(actor=dpo, object_id=str(entry.pk)).get()
    # Who read an inmate's log is found by searching for that inmate.
    assert opened.inmate_id == logged["budi"].pk


def test_detail_shows_who_when_where_and_before_after(client, kepala, balikpapan):
    entry = audit_record(
        actor=kepala,
        action=AuditAction.UPDATE,
        instance=balikpapan,
        before={"capacity": 300},
        after={"capacity": 320},
    )
    client.force_login(kepala)
    page = client.get(reverse("audit:detail", args=[entry.pk])).content.decode()
    for text in (str(kepala), "kepala", "capacity", "300", "320"):
        assert text in page


def test_outside_scope_is_404_and_others_see_no_log(client, dpo, logged, pembina, magang):
    far = AuditEntry.objects.get(inmate_id=logged["far"].pk, action="read")
    client.force_login(dpo)
    assert client.get(reverse("audit:detail", args=[far.pk])).status_code == 404
    assert client.get(reverse("audit:detail", args=[10**9])).status_code == 404
    # The DPO reads the log and nothing else.
    assert client.get(reverse("inmates:detail", args=[logged["budi"].pk])).status_code == 404
    assert "/audit/" in client.get(reverse("dashboard:home")).content.decode()
    for user in (pembina, magang):
        client.force_login(user)
        assert client.get(reverse("audit:list")).status_code == 404
        assert client.get(reverse("audit:detail", args=[far.pk])).status_code == 404
        assert 'href="/audit/"' not in client.get(reverse("dashboard:home")).content.decode()


def test_export_holds_the_filtered_rows_and_is_audited(client, dpo, logged):
    client.force_login(dpo)
    response = client.get(reverse("audit:list"), {"person": "registrasi", "unduh": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "registrasi" in body and "kepala_ruteng" not in body
    assert AuditEntry.objects.filter(actor=dpo, via="export").exists()


def test_list_keeps_a_fixed_number_of_queries(
    client, dpo, balikpapan, kepala, django_assert_max_num_queries
):
    client.force_login(dpo)
    for _ in range(3):
        audit_record(actor=kepala, action=AuditAction.READ, instance=balikpapan)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("audit:list"))
    for _ in range(40):
        audit_record(actor=kepala, action=AuditAction.READ, instance=balikpapan)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("audit:list"))
