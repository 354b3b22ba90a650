import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Agreement, AgreementStatus, Partner
from tests.partners.conftest import PDF_BYTES, pdf_upload

CHANGELIST = "admin:partners_agreement_changelist"


def _change(pk):
    return reverse("admin:partners_agreement_change", args=[pk])


def test_changelist_is_scoped_and_filters_expiring(
    client, kepala, kepala_ruteng, active_agreement, make_agreement, skb
):
    other = make_agreement(skb, by=kepala_ruteng, number="SKB/1")
    client.force_login(kepala)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [active_agreement]
    assert client.get(_change(other.pk)).status_code == 404
    assert (
        client.get(reverse("admin:partners_agreement_history", args=[other.pk])).status_code == 404
    )

    Agreement.objects.filter(pk=active_agreement.pk).update(
        valid_to=timezone.localdate() + datetime.timedelta(days=45)
    )
    for days, expected in (
        ("30", []),
        ("60", [active_agreement.pk]),
        ("90", [active_agreement.pk]),
    ):
        cl = client.get(reverse(CHANGELIST), {"berakhir": days}).context["cl"]
        assert [a.pk for a in cl.result_list] == expected
    found = client.get(reverse(CHANGELIST), {"q": "SEKATA"}).context["cl"].result_list
    assert list(found) == [active_agreement]


def test_other_facility_head_sees_nothing(client, kepala_ruteng, active_agreement):
    client.force_login(kepala_ruteng)
    assert list(client.get(reverse(CHANGELIST)).context["cl"].result_list) == []
    assert client.get(_change(active_agreement.pk)).status_code == 404
    download = reverse("partners:agreement_document", args=[active_agreement.pk])
    assert client.get(download).status_code == 404


def test_non_staff_and_read_only_roles_cannot_manage(client, pembina, active_agreement):
    client.force_login(pembina)
    # Signed in without the admin's right: not found, as any page outside one's scope.
    assert client.get(reverse(CHANGELIST)).status_code == 404


def test_change_form_shows_scope_signatories_history_and_upload(client, kepala, active_agreement):
    client.force_login(kepala)
    html = client.get(_change(active_agreement.pk)).content.decode()
    assert "Hendra Wirawan" in html and "Ketua Yayasan" in html
    assert "Putus…" in html and "Perpanjang" in html

    data = _form_data(client, active_agreement)
    data["upload_document"] = pdf_upload()
    response = client.post(_change(active_agreement.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    active_agreement.refresh_from_db()
    assert active_agreement.document
    download = client.get(reverse("partners:agreement_document", args=[active_agreement.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert download["Cache-Control"] == "no-store, private" and download["Pragma"] == "no-cache"
    assert download["Content-Disposition"].startswith("attachment")

    history = client.get(reverse("admin:partners_agreement_history", args=[active_agreement.pk]))
    assert history.status_code == 200
    assert len(history.context["page_obj"]) == active_agreement.history.count() >= 3


def test_renamed_exe_is_refused_in_admin(client, kepala, active_agreement):
    client.force_login(kepala)
    data = _form_data(client, active_agreement)
    data["upload_document"] = pdf_upload("pks.pdf", b"MZ\x90\x00fake executable")
    response = client.post(_change(active_agreement.pk), data)
    assert response.status_code == 200
    assert "bukan PDF" in response.content.decode()
    active_agreement.refresh_from_db()
    assert not active_agreement.document


def _form_data(client, agreement):
    response = client.get(_change(agreement.pk))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if name == "upload_document":
            continue
        value = form.initial.get(name, field.initial)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[name] = "" if value is None else value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for i, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                if value is not None:
                    data[f"{inline_form.prefix}-{name}"] = value
            del i
    return data


def test_renew_and_terminate_from_the_change_form(client, kepala, active_agreement):
    client.force_login(kepala)
    response = client.post(reverse("admin:partners_agreement_renew", args=[active_agreement.pk]))
    new = Agreement.objects.get(renewed_from=active_agreement)
    assert response.url == _change(new.pk)
    assert new.status == AgreementStatus.DRAFT

    page = client.get(reverse("admin:partners_agreement_terminate", args=[active_agreement.pk]))
    assert "alasan pemutusan" in page.content.decode().lower()
    empty = client.post(
        reverse("admin:partners_agreement_terminate", args=[active_agreement.pk]),
        {"apply": "1", "reason": ""},
    )
    assert "Tuliskan alasan pemutusan." in empty.content.decode()
    client.post(
        reverse("admin:partners_agreement_terminate", args=[active_agreement.pk]),
        {"apply": "1", "reason": "Program dialihkan"},
    )
    active_agreement.refresh_from_db()
    assert active_agreement.status == AgreementStatus.TERMINATED


def test_activate_action_reports_refusals(client, kepala, make_agreement, sekata):
    ready = make_agreement(sekata, number="A/1")
    unsigned = make_agreement(sekata, number="A/2", signatories=False)
    client.force_login(kepala)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "activate", "_selected_action": [ready.pk, unsigned.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "A/1 diberlakukan" in html and "Tambahkan penandatangan" in html
    ready.refresh_from_db()
    unsigned.refresh_from_db()
    assert (ready.status, unsigned.status) == ("active", "draft")


def test_export_xlsx_has_the_right_columns(client, kepala, active_agreement):
    client.force_login(kepala)
    from partners.resources import AgreementResource

    form_page = client.post(
        reverse(CHANGELIST),
        {"action": "export_admin_action", "_selected_action": [active_agreement.pk]},
    )
    assert form_page.status_code == 200 and "XLSX" in form_page.content.decode().upper()
    fields = {f"agreementresource_{name}": "on" for name in AgreementResource().get_export_order()}
    response = client.post(
        reverse("admin:partners_agreement_export"),
        {"format": "1", "resource": "0", "export_items": [active_agreement.pk], **fields},
    )
    assert response.status_code == 200, response.content[:300]
    assert "spreadsheetml" in response["Content-Type"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:9] == (
        "kode_upt",
        "nomor",
        "jenis",
        "judul",
        "mitra",
        "nomor_pihak_mitra",
        "tanggal_tanda_tangan",
        "berlaku_mulai",
        "berlaku_sampai",
    )
    assert rows[1][0] == "rutan-balikpapan" and rows[1][1] == active_agreement.number
    assert rows[1][4] == "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan"
    assert rows[1][9] == "active"


CSV_HEAD = (
    "kode_upt,nomor,jenis,judul,mitra,nomor_pihak_mitra,"
    "tanggal_tanda_tangan,berlaku_mulai,berlaku_sampai\n"
)
SEKATA = "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan"


def _row(number, partner=SEKATA, start="2025-11-05", end="2026-11-04", code="rutan-balikpapan"):
    return f"{code},{number},pks,Pendampingan,{partner},,2025-11-05,{start},{end}\n"


def _import(client, content: str):
    upload = io.BytesIO(content.encode())
    upload.name = "perjanjian.csv"
    return client.post(
        reverse("admin:partners_agreement_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def test_import_with_a_bad_row_changes_nothing(client, kepala, sekata, balikpapan):
    client.force_login(kepala)
    good = _row("PKS/10")
    bad = _row("PKS/11", partner="Mitra Tak Dikenal")
    response = _import(client, CSV_HEAD + good + bad)
    html = response.content.decode()
    assert "Mitra Tak Dikenal" in html and "tidak terdaftar" in html
    assert "baris 3" in html  # header is line 1: the second data row is line 3
    assert not Agreement.objects.exists()

    dates_wrong = _row("PKS/12", start="2026-11-05", end="2025-11-04")
    html = _import(client, CSV_HEAD + good + dates_wrong).content.decode()
    assert "tidak boleh sebelum mulai" in html
    assert not Agreement.objects.exists()


def test_import_of_good_rows_goes_through_services(client, kepala, sekata, ruteng):
    import tablib

    from partners.resources import AgreementResource

    rows = CSV_HEAD + _row("PKS/20")
    dataset = tablib.Dataset().load(rows, format="csv")
    result = AgreementResource(user=kepala).import_data(dataset, dry_run=False, user=kepala)
    assert not result.has_errors() and not result.has_validation_errors()
    agreement = Agreement.objects.get(number="PKS/20")
    assert agreement.status == "draft" and agreement.created_by == kepala

    foreign = CSV_HEAD + _row("X/1", partner="UPTD SKB Randong", code="rutan-ruteng")
    result = AgreementResource(user=kepala).import_data(
        tablib.Dataset().load(foreign, format="csv"), dry_run=False, user=kepala
    )
    assert result.has_validation_errors() or result.has_errors()
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize("model", ["partner", "guarantee", "contribution"])
def test_other_admin_pages_render(client, kepala, active_agreement, model):
    client.force_login(kepala)
    assert client.get(reverse(f"admin:partners_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:partners_{model}_add")).status_code == 200


def test_partner_admin_create_goes_through_service(client, kepala, balikpapan):
    client.force_login(kepala)
    response = client.post(
        reverse("admin:partners_partner_add"),
        {
            "facility": balikpapan.pk,
            "name": "Pondok Pesantren Uji",
            "partner_type": "keagamaan",
            "is_active": "on",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Ustaz Fulan",
            "contacts-0-role": "Pengasuh",
        },
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Pondok Pesantren Uji")
    assert partner.created_by == kepala and partner.contacts.get().role == "Pengasuh"
    assert partner.history.count() == 1


def test_attach_document_service_replaces_file(kepala, active_agreement):
    first = services.agreement_attach_document(
        agreement=active_agreement, document=pdf_upload(), by=kepala
    )
    assert first.document.name


@pytest.mark.parametrize("name", ["agreement", "guarantee"])
def test_changelists_stay_narrow(client, kepala, active_agreement, name):
    """Foreign keys and dates are `nowrap` in the admin and pushed the list sideways at 1366 px
    with the sidebar open: the lists show them through methods instead."""
    from django.contrib import admin as django_admin
    from django.core.exceptions import FieldDoesNotExist
    from django.db import models

    from partners.models import Guarantee

    model = {"agreement": Agreement, "guarantee": Guarantee}[name]
    model_admin = django_admin.site._registry[model]
    for column in model_admin.list_display:
        try:
            field = model._meta.get_field(column)
        except FieldDoesNotExist:
            continue
        assert not isinstance(field, models.ForeignKey | models.DateField), column
    assert len(model_admin.list_display) <= 6
    client.force_login(kepala)
    html = client.get(reverse(f"admin:partners_{name}_changelist")).content.decode()
    assert not re.search(r'<t[dh] class="[^"]*\bnowrap\b', html)
    if name == "agreement":
        assert "sisa " in html and " hari" in html
