"""The rights' rules are edited in the admin: a facility head adds the facility's own rule (a
copy of the national one, conditions, categories and steps included) and changes its
conditions through the services; the national rules are the directorate's."""

import json

from django.urls import reverse

from assessments.models import EligibilityCondition, EligibilityRule
from rutan.core.models import AuditEntry


def _form_data(response) -> dict:
    """The POST data of an admin change form as it is shown (main form and inlines)."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, list | dict):
                value = json.dumps(value)
            data[form.add_prefix(name)] = value

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            put(form)
    return data


def test_national_rules_are_read_only_for_a_facility_head(client, kepala):
    rule = EligibilityRule.objects.get(facility=None, kind="pembebasan_bersyarat")
    client.force_login(kepala)
    changelist = client.get(reverse("admin:assessments_eligibilityrule_changelist"))
    assert (
        changelist.status_code == 200 and "Cuti mengunjungi keluarga" in changelist.content.decode()
    )
    url = reverse("admin:assessments_eligibilityrule_change", args=[rule.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Pasal 82" in html and "Pasal 85" in html
    assert client.post(url, {"legal_basis": "x"}).status_code == 404


def test_facility_rule_is_a_copy_and_its_conditions_change_through_the_service(
    client, kepala, balikpapan
):
    client.force_login(kepala)
    add = client.post(
        reverse("admin:assessments_eligibilityrule_add"),
        {
            "facility": balikpapan.pk,
            "kind": "cuti_bersyarat",
            "instead_kind": "",
            "legal_basis": "Ketentuan UPT Balikpapan",
            **{
                f"{prefix}-{key}": value
                for prefix in ("conditions", "special_categories", "steps")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
        },
    )
    assert add.status_code == 302, add.content.decode()[:3000]
    rule = EligibilityRule.objects.get(facility=balikpapan, kind="cuti_bersyarat")
    national = EligibilityRule.objects.get(facility=None, kind="cuti_bersyarat")
    assert rule.conditions.count() == national.conditions.count()
    assert rule.steps.count() == national.steps.count()

    url = reverse("admin:assessments_eligibilityrule_change", args=[rule.pk])
    data = _form_data(client.get(url))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("conditions-") and key.endswith("-code") and value == "lama_pidana"
    )
    data[f"conditions-{index}-months"] = "18"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert rule.conditions.get(code="lama_pidana").months == 18
    assert national.conditions.get(code="lama_pidana").months == 15
    assert AuditEntry.objects.filter(
        object_type="assessments.eligibilityrule", object_id=str(rule.pk), action="update"
    ).exists()

    data = _form_data(client.get(url))
    data[f"conditions-{index}-months"] = ""
    refused = client.post(url, data)
    assert (
        refused.status_code == 200 and "Wajib diisi untuk syarat ini." in refused.content.decode()
    )
    assert EligibilityCondition.objects.get(rule=rule, code="lama_pidana").months == 18


def test_other_facilities_rules_are_out_of_scope(client, kepala_ruteng, kepala, balikpapan):
    from assessments import services

    rule = services.eligibility_rule_set(
        facility=balikpapan, kind="asimilasi", by=kepala, legal_basis="UPT"
    )
    client.force_login(kepala_ruteng)
    url = reverse("admin:assessments_eligibilityrule_change", args=[rule.pk])
    assert client.get(url).status_code == 404
