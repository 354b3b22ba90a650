"""Revoking a guarantee from the admin: reason asked on its own page, scoped, audited."""

import datetime

import pytest
from django.urls import reverse

from partners import services
from partners.models import Guarantee, GuaranteeStatus
from rutan.core.models import AuditEntry
from rutan.core.roles import Role
from tests.factories import member

CHANGELIST = "admin:partners_guarantee_changelist"


def _revoke_url(guarantee):
    return reverse("admin:partners_guarantee_revoke", args=[guarantee.pk])


@pytest.fixture
def make_guarantee(kepala, balikpapan, make_inmate, sekata):
    def make(number="01/SEKATA/XI/2025", partner=None, by=None):
        partner = partner or sekata
        return services.guarantee_create(
            partner=partner,
            inmate=make_inmate(partner.facility),
            by=by or kepala,
            letter_number=number,
            valid_from=datetime.date(2025, 11, 10),
        )

    return make


def test_revoke_button_asks_for_a_reason_then_revokes_through_the_service(
    client, kepala, make_guarantee
):
    guarantee = make_guarantee()
    client.force_login(kepala)
    change = client.get(reverse("admin:partners_guarantee_change", args=[guarantee.pk]))
    assert "Cabut jaminan…" in change.content.decode()
    assert _revoke_url(guarantee) in change.content.decode()

    page = client.get(_revoke_url(guarantee))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alasan pencabutan" in html and guarantee.letter_number in html

    audits_before = AuditEntry.objects.count()
    empty = client.post(_revoke_url(guarantee), {"apply": "1", "reason": "  "})
    assert empty.status_code == 200
    assert "Tuliskan alasan pencabutan." in empty.content.decode()
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.ACTIVE
    assert AuditEntry.objects.count() == audits_before

    done = client.post(
        _revoke_url(guarantee), {"apply": "1", "reason": "Mitra menarik jaminan"}, follow=True
    )
    assert "dicabut" in done.content.decode()
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.REVOKED
    assert guarantee.revoked_reason == "Mitra menarik jaminan"
    assert guarantee.updated_by == kepala
    audit = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == audits_before + 1
    assert audit.actor == kepala and audit.object_id == str(guarantee.pk)
    assert (audit.before["status"], audit.after["status"]) == ("active", "revoked")
    assert guarantee.history.first().revoked_reason == "Mitra menarik jaminan"

    # Revoked: no button any more, and the page refuses a second revocation.
    change = client.get(reverse("admin:partners_guarantee_change", args=[guarantee.pk]))
    assert "Cabut jaminan…" not in change.content.decode()
    again = client.post(_revoke_url(guarantee), {"apply": "1", "reason": "lagi"}, follow=True)
    assert "sudah dicabut" in again.content.decode()
    assert AuditEntry.objects.count() == audits_before + 1


def test_revoke_action_on_the_list(client, kepala, make_guarantee):
    first, second = make_guarantee("01/A"), make_guarantee("02/A")
    keep = make_guarantee("03/A")
    client.force_login(kepala)
    selected = {"action": "revoke", "_selected_action": [first.pk, second.pk]}
    page = client.post(reverse(CHANGELIST), selected)
    assert page.status_code == 200
    html = page.content.decode()
    assert "01/A" in html and "02/A" in html and "03/A" not in html
    assert Guarantee.objects.filter(status=GuaranteeStatus.REVOKED).count() == 0

    response = client.post(
        reverse(CHANGELIST), {**selected, "apply": "1", "reason": "Dicatat keliru"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(CHANGELIST)
    revoked = Guarantee.objects.filter(status=GuaranteeStatus.REVOKED)
    assert set(revoked.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert set(revoked.values_list("revoked_reason", flat=True)) == {"Dicatat keliru"}
    keep.refresh_from_db()
    assert keep.status == GuaranteeStatus.ACTIVE


def test_revoke_is_scoped(client, kepala_ruteng, make_guarantee, skb):
    guarantee = make_guarantee()
    client.force_login(kepala_ruteng)
    assert client.get(_revoke_url(guarantee)).status_code == 404
    assert client.post(_revoke_url(guarantee), {"apply": "1", "reason": "x"}).status_code == 404
    # Selecting it on one's own list does nothing either: it is not in the queryset.
    client.post(
        reverse(CHANGELIST),
        {"action": "revoke", "_selected_action": [guarantee.pk], "apply": "1", "reason": "x"},
    )
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.ACTIVE


def test_read_only_staff_cannot_revoke(client, balikpapan, make_guarantee):
    guarantee = make_guarantee()
    # The registry uses the admin and reads partners, but does not manage them.
    reader = member(Role.REGISTRY_OFFICER, facility=balikpapan, staff=True)
    client.force_login(reader)
    changelist = client.get(reverse(CHANGELIST))
    assert changelist.status_code == 200
    action_form = changelist.context["action_form"]  # None when no action is offered
    assert action_form is None or "revoke" not in dict(action_form.fields["action"].choices)
    change = client.get(reverse("admin:partners_guarantee_change", args=[guarantee.pk]))
    assert "Cabut jaminan…" not in change.content.decode()
    assert client.get(_revoke_url(guarantee)).status_code == 404
    client.post(
        reverse(CHANGELIST),
        {"action": "revoke", "_selected_action": [guarantee.pk], "apply": "1", "reason": "x"},
    )
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.ACTIVE
