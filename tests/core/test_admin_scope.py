"""The admin's one guard (`ScopedAdminMixin`): every view of every admin, the plugins' too,
answers 404 outside the user's scope, the same whether the id exists elsewhere or not at all;
history is read-only; actions, exports, imports and autocomplete see only the scope."""

import datetime
import re
import zoneinfo

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, reverse
from django.utils import timezone

from partners import services as partner_services
from partners.models import Agreement, AgreementStatus, Partner
from programmes import services as programme_services
from programmes.models import Attendance
from rutan.accounts.models import User
from rutan.core.admin import ScopedAdminMixin
from rutan.core.roles import Role
from rutan.facilities.models import Block, Facility
from tests.factories import member

MISSING = "987654321"


@pytest.fixture
def today():
    return timezone.localdate(timezone=zoneinfo.ZoneInfo("Asia/Makassar"))


@pytest.fixture
def attendance(balikpapan, national_admin, make_inmate, today):
    """A Balikpapan attendance row with two versions: present, then absent at court."""
    programme = programme_services.programme_create(
        facility=balikpapan,
        by=national_admin,
        title="Rehabilitasi NAPZA",
        pillar="rehabilitasi",
        area="napza",
        capacity=10,
        start_date=today - datetime.timedelta(days=60),
        facilitator="Petugas Uji",
        status="running",
    )
    enrolment = programme_services.enrolment_create(
        programme=programme,
        inmate=make_inmate(balikpapan, name="Andi Balikpapan"),
        by=national_admin,
    )
    enrolment.started_on = today - datetime.timedelta(days=28)
    enrolment.save()
    session = programme_services.session_create(
        programme=programme,
        # Yesterday's: a register opens once its session starts, whatever the hour of the run.
        date=today - datetime.timedelta(days=1),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        topic="Konseling kelompok",
        by=national_admin,
    )
    programme_services.attendance_record(session=session, absences={}, by=national_admin)
    programme_services.attendance_record(
        session=session, absences={enrolment.pk: ("court", "Sidang")}, by=national_admin
    )
    return Attendance.objects.get(enrolment=enrolment)


@pytest.fixture
def agreement(balikpapan, kepala, today):
    partner = partner_services.partner_create(
        facility=balikpapan, by=kepala, name="Yayasan SEKATA Balikpapan", partner_type="yayasan"
    )
    return partner_services.agreement_create(
        facility=balikpapan,
        partner=partner,
        by=kepala,
        kind="pks",
        number="W18.PKS.BPN/1",
        title="Rehabilitasi",
        signed_on=today - datetime.timedelta(days=10),
        valid_from=today - datetime.timedelta(days=10),
        valid_to=today + datetime.timedelta(days=300),
    )


@pytest.fixture
def balikpapan_rows(attendance, agreement, balikpapan):
    """One Balikpapan row of every model these tests reach, by model."""
    enrolment = attendance.enrolment
    return {
        Attendance: attendance,
        type(enrolment): enrolment,
        type(enrolment.programme): enrolment.programme,
        type(attendance.session): attendance.session,
        type(enrolment.inmate): enrolment.inmate,
        Agreement: agreement,
        Partner: agreement.partner,
        Block: balikpapan.blocks.first(),
        Facility: balikpapan,
    }


def _body(response, url) -> str:
    # The page differs only by its own address and its per-request CSRF token.
    text = response.content.decode().replace(url, "")
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", text)


def _object_urls(model, pk, version=None):
    """Every named URL of the model's admin that takes an object id, for `pk`."""
    urls = []
    for pattern in admin.site._registry[model].urls:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        name = f"admin:{pattern.name}"
        if "object_id" in pattern.pattern.regex.groupindex:
            urls.append(reverse(name, kwargs={"object_id": pk}))
        elif pattern.name.endswith("_simple_history"):
            urls.append(reverse(name, args=[pk, version or MISSING]))
    return urls


def test_every_registered_admin_is_built_on_the_scoped_mixin():
    unguarded = [
        f"{model._meta.label}: {type(model_admin).__qualname__}"
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ScopedAdminMixin)
    ]
    assert unguarded == []


def test_every_object_url_outside_the_scope_is_the_same_404(client, kepala_ruteng, balikpapan_rows):
    client.force_login(kepala_ruteng)
    checked = 0
    for model, obj in balikpapan_rows.items():
        history = getattr(obj, "history", None)
        version = history.first().history_id if history is not None else None
        for urls in zip(
            _object_urls(model, obj.pk, version),
            _object_urls(model, MISSING),
            _object_urls(model, "abc"),
            strict=True,
        ):
            there = urls[0]
            answers = [client.get(url) for url in urls]
            assert [r.status_code for r in answers] == [404, 404, 404], there
            assert len({_body(r, url) for r, url in zip(answers, urls, strict=True)}) == 1, there
            assert client.post(there, {"status": "present"}).status_code == 404, there
            checked += 1
    # Change, delete and history of each; three history forms; the agreement's three buttons.
    assert checked == 3 * len(balikpapan_rows) + 6


def test_the_pen_test_urls_of_attendance_history_are_404(client, kepala_ruteng, attendance):
    version = attendance.history.earliest("history_date")
    client.force_login(kepala_ruteng)
    history = reverse("admin:programmes_attendance_history", args=[attendance.pk])
    form = reverse("admin:programmes_attendance_simple_history", args=[attendance.pk, version.pk])
    for url in (history, form, history.removesuffix("history/")):
        response = client.get(url)
        assert response.status_code == 404
        assert "Andi Balikpapan" not in response.content.decode()
        assert "Sidang" not in response.content.decode()
    assert client.post(form, {"status": "present", "reason": "", "note": ""}).status_code == 404
    attendance.refresh_from_db()
    assert (attendance.status, attendance.reason, attendance.note) == ("absent", "court", "Sidang")
    assert attendance.history.count() == 2


def test_history_in_scope_is_read_only_and_never_reverts(client, kepala, attendance, agreement):
    first = attendance.history.earliest("history_date")
    client.force_login(kepala)
    listing = client.get(reverse("admin:programmes_attendance_history", args=[attendance.pk]))
    assert listing.status_code == 200 and "Sidang" in listing.content.decode()
    url = reverse("admin:programmes_attendance_simple_history", args=[attendance.pk, first.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hadir" in html and 'name="status"' not in html
    assert not re.search(r'<input type="submit"|name="_save"', html)
    response = client.post(url, {"status": "present", "reason": "", "note": ""})
    assert response.status_code == 405
    attendance.refresh_from_db()
    assert (attendance.status, attendance.reason) == ("absent", "court")
    assert attendance.history.count() == 2

    # Also where the user may change the live record (the services do that, not history).
    partner_services.agreement_update(
        agreement=agreement, by=kepala, partner=agreement.partner, title="Judul baru"
    )
    old = agreement.history.earliest("history_date")
    url = reverse("admin:partners_agreement_simple_history", args=[agreement.pk, old.pk])
    page = client.get(url).content.decode()
    assert "Rehabilitasi" in page and 'name="title"' not in page
    assert (
        client.post(url, {"title": "Rehabilitasi", "number": agreement.number}).status_code == 405
    )
    agreement.refresh_from_db()
    assert agreement.title == "Judul baru"


def test_export_and_export_action_see_only_the_scope(client, kepala_ruteng, agreement, ruteng):
    skb = partner_services.partner_create(
        facility=ruteng, by=kepala_ruteng, name="UPTD SKB Randong", partner_type="pemerintah"
    )
    own = partner_services.agreement_create(
        facility=ruteng,
        partner=skb,
        by=kepala_ruteng,
        kind="pks",
        number="W20.PKS.RTG/1",
        title="Kejar paket",
        signed_on=agreement.signed_on,
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
    )
    from partners.resources import AgreementResource

    fields = {f"agreementresource_{name}": "on" for name in AgreementResource().get_export_order()}
    client.force_login(kepala_ruteng)
    export = reverse("admin:partners_agreement_export")
    whole = client.post(export, {"format": "0", "resource": "0", **fields})
    assert whole.status_code == 200 and whole["Content-Type"].startswith("text/csv")
    assert own.number in whole.content.decode() and agreement.number not in whole.content.decode()
    # The export action on a selection naming Balikpapan's id exports nothing of it.
    picked = client.post(
        export, {"format": "0", "resource": "0", "export_items": [agreement.pk], **fields}
    )
    assert agreement.number.encode() not in picked.content
    changelist = reverse("admin:partners_agreement_changelist")
    action = client.post(
        changelist, {"action": "export_admin_action", ACTION_CHECKBOX_NAME: [agreement.pk]}
    )
    assert agreement.number.encode() not in action.content


def test_actions_on_ids_outside_the_scope_touch_nothing(client, kepala_ruteng, agreement):
    client.force_login(kepala_ruteng)
    changelist = reverse("admin:partners_agreement_changelist")
    for action in ("activate", "renew"):
        client.post(changelist, {"action": action, ACTION_CHECKBOX_NAME: [agreement.pk]})
    client.post(
        changelist,
        {
            "action": "terminate",
            ACTION_CHECKBOX_NAME: [agreement.pk],
            "apply": "1",
            "reason": "Uji",
        },
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert Agreement.objects.count() == 1
    for slug in ("activate", "terminate", "renew"):
        url = reverse(f"admin:partners_agreement_{slug}", args=[agreement.pk])
        assert client.post(url, {"apply": "1", "reason": "Uji"}).status_code == 404


def test_import_names_another_facility_like_an_unknown_one(client, kepala_ruteng, agreement):
    client.force_login(kepala_ruteng)
    url = reverse("admin:partners_agreement_import")

    def problems(code, partner):
        head = "kode_upt,nomor,jenis,judul,mitra,berlaku_mulai,berlaku_sampai"
        row = f"{code},PKS/9,pks,Judul,{partner},2025-01-01,2025-12-31"
        upload = SimpleUploadedFile("pks.csv", f"{head}\n{row}\n".encode(), "text/csv")
        response = client.post(url, {"import_file": upload, "format": "0", "resource": "0"})
        assert response.status_code == 200
        return [(p.column, p.message) for p in response.context["result"].problems]

    elsewhere = problems("rutan-balikpapan", agreement.partner.name)
    nowhere = problems("rutan-entah", "Mitra Entah")
    assert [c for c, _ in elsewhere] == [c for c, _ in nowhere]
    assert [m.replace("rutan-balikpapan", "X") for _, m in elsewhere] == [
        m.replace("rutan-entah", "X").replace("Mitra Entah", agreement.partner.name)
        for _, m in nowhere
    ]
    assert Agreement.objects.count() == 1


def test_autocomplete_answers_from_the_related_admins_scope(
    client, kepala, kepala_ruteng, agreement
):
    url = reverse("admin:autocomplete")
    query = {"app_label": "partners", "model_name": "agreement", "field_name": "partner"}
    client.force_login(kepala)
    found = client.get(url, {**query, "term": "SEKATA"}).json()["results"]
    assert [r["id"] for r in found] == [str(agreement.partner_id)]
    client.force_login(kepala_ruteng)
    response = client.get(url, {**query, "term": "SEKATA"})
    assert response.status_code == 200 and response.json()["results"] == []
    # Users are the directorate's: a facility head's search is refused, as is a malformed one.
    users = {"app_label": "interns", "model_name": "intern", "field_name": "user", "term": "k"}
    assert client.get(url, users).status_code == 404
    assert client.get(url, {"app_label": "nope"}).status_code == 404


def test_pages_of_a_model_the_user_may_not_see_are_404_for_staff(client, registrasi, attendance):
    for name in (
        "admin:core_auditentry_changelist",
        "admin:interns_batch_changelist",
        "admin:accounts_user_changelist",
        "admin:auth_group_changelist",
        "admin:partners_agreement_import",
        "admin:inmates_inmate_add",
    ):
        url = reverse(name)
        assert client.get(url).status_code == 302  # anonymous: the admin login
        client.force_login(registrasi)
        if name == "admin:inmates_inmate_add":
            assert client.get(url).status_code == 200  # the registry's own work
        else:
            assert client.get(url).status_code == 404, name
        client.logout()
    liaison = member(
        Role.PARTNER_LIAISON, facility=attendance.session.programme.facility, staff=True
    )
    client.force_login(liaison)
    assert client.get(reverse("admin:partners_agreement_export")).status_code == 404
    # A staff flag alone opens nothing: the admin is for roles that hold ADMIN_SITE.
    assert client.get(reverse("admin:index")).status_code == 404


def test_users_are_deactivated_never_deleted(client, national_admin, kepala):
    client.force_login(national_admin)
    changelist = reverse("admin:accounts_user_changelist")
    page = client.get(changelist)
    assert "delete_selected" not in page.content.decode()
    client.post(
        changelist, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [kepala.pk], "post": "yes"}
    )
    assert client.get(reverse("admin:accounts_user_delete", args=[kepala.pk])).status_code == 404
    assert (
        client.post(
            reverse("admin:accounts_user_delete", args=[kepala.pk]), {"post": "yes"}
        ).status_code
        == 404
    )
    assert User.objects.filter(pk=kepala.pk, is_active=True).exists()
    change = client.get(reverse("admin:accounts_user_change", args=[kepala.pk])).content.decode()
    assert 'name="is_active"' in change and "deletelink" not in change


def test_library_admins_are_for_superusers_only(client, national_admin):
    client.force_login(national_admin)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 404
    national_admin.is_superuser = True
    national_admin.save()
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200


def _errors(response, field):
    assert response.status_code == 400, response.content
    return response.json()["errors"][field]


def test_api_ids_of_another_facility_read_like_unknown_ones(registrasi, balikpapan, ruteng):
    from rest_framework.test import APIClient

    from tests.factories import identity_data, warrant
    from tests.inmates.test_api import _json

    api = APIClient()
    api.force_authenticate(registrasi)
    payload = {**_json(identity_data()), "detention": _json(warrant())}
    answers = {}
    for label, facility, block in (
        ("elsewhere", ruteng.pk, ruteng.blocks.first().pk),
        ("nowhere", int(MISSING), int(MISSING)),
    ):
        facility_error = _errors(
            api.post("/api/v1/inmates/", {**payload, "facility": facility}, format="json"),
            "facility",
        )
        block_error = _errors(
            api.post(
                "/api/v1/inmates/",
                {**payload, "facility": balikpapan.pk, "block": block},
                format="json",
            ),
            "block",
        )
        answers[label] = [
            str(m).replace(str(facility), "#").replace(str(block), "#")
            for m in [*facility_error, *block_error]
        ]
    assert answers["elsewhere"] == answers["nowhere"]


def test_intern_log_api_names_no_block_or_assessment_elsewhere(
    magang, balikpapan, ruteng, make_inmate, today
):
    from rest_framework.test import APIClient

    from assessments import services as assessment_services
    from interns.models import Batch, Intern

    batch = Batch.objects.create(
        facility=balikpapan,
        name="Magang Nasional Batch III",
        start_on=today - datetime.timedelta(days=30),
        end_on=today + datetime.timedelta(days=60),
    )
    Intern.objects.create(batch=batch, user=magang, campus="Unmul", study_programme="Psikologi")
    psikolog_ruteng = member(Role.PSYCHOLOGIST, facility=ruteng, username="psikolog_ruteng")
    theirs = assessment_services.psych_create(
        inmate=make_inmate(ruteng),
        by=psikolog_ruteng,
        assessed_on=today,
        instrument="SRQ-20",
        findings="Rahasia",
    )
    api = APIClient()
    api.force_authenticate(magang)
    base = {"log_type": "asesmen_psikologis", "hours": "1", "description": "Asesmen."}
    answers = {}
    for label, block, assessment in (
        ("elsewhere", ruteng.blocks.first().pk, theirs.pk),
        ("nowhere", int(MISSING), int(MISSING)),
    ):
        answers[label] = [
            _errors(
                api.post("/api/v1/intern-logs/", {**base, "block": block}, format="json"), "block"
            ),
            _errors(
                api.post(
                    "/api/v1/intern-logs/", {**base, "psych_assessment": assessment}, format="json"
                ),
                "psych_assessment",
            ),
        ]
    assert answers["elsewhere"] == answers["nowhere"]


def _form_data(response) -> dict:
    """The values a change form page would post back unchanged (fields and formsets)."""
    data = {}
    context = response.context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms += formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or field.disabled:
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif isinstance(value, datetime.datetime):
                local = timezone.localtime(value)
                data[form.add_prefix(name) + "_0"] = local.date().isoformat()
                data[form.add_prefix(name) + "_1"] = local.time().strftime("%H:%M:%S")
            else:
                data[form.add_prefix(name)] = value
    return data


def test_deactivating_and_a_membership_grant_are_audited(client, national_admin, kepala, ruteng):
    from rutan.accounts.models import Membership
    from rutan.core.models import AuditEntry

    client.force_login(national_admin)
    url = reverse("admin:accounts_user_change", args=[kepala.pk])
    data = _form_data(client.get(url))
    data.pop("is_active")
    data.update(
        {
            "memberships-TOTAL_FORMS": int(data["memberships-TOTAL_FORMS"]) + 1,
            "memberships-1-role": Role.FACILITY_HEAD,
            "memberships-1-facility": ruteng.pk,
            "memberships-1-user": kepala.pk,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    kepala.refresh_from_db()
    assert not kepala.is_active and User.objects.filter(pk=kepala.pk).exists()
    account = AuditEntry.objects.get(object_type="accounts.user", object_id=str(kepala.pk))
    assert (account.actor, account.action, account.via) == (national_admin, "update", "admin")
    assert account.before == {"is_active": True} and account.after == {"is_active": False}
    grant = Membership.objects.get(user=kepala, facility=ruteng)
    entry = AuditEntry.objects.get(object_type="accounts.membership", object_id=str(grant.pk))
    assert (entry.action, entry.facility_id, entry.after["role"]) == (
        "create",
        ruteng.pk,
        "facility_head",
    )
