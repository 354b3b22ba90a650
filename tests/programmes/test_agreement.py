import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from partners import services as partner_services
from programmes import services
from programmes.forms import ProgrammeForm
from programmes.models import Programme
from rutan.core.models import AuditEntry
from rutan.core.roles import ROLE_PERMS, Perm, Role

D = datetime.timedelta
FOREIGN = "Perjanjian ini milik UPT lain; pilih perjanjian UPT ini."


def _agreement(facility, by, partner_name, number, today):
    partner = partner_services.partner_create(
        facility=facility, by=by, name=partner_name, partner_type="yayasan"
    )
    return partner_services.agreement_create(
        facility=facility,
        partner=partner,
        by=by,
        kind="pks",
        number=number,
        title="Program Rehabilitasi Pemasyarakatan bagi Warga Binaan",
        valid_from=today - D(days=30),
        valid_to=today + D(days=335),
    )


@pytest.fixture
def sekata_pks(balikpapan, kepala, today):
    return _agreement(
        balikpapan,
        kepala,
        "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan",
        "W18.PAS.PAS.2-HM.05.02-117",
        today,
    )


@pytest.fixture
def skb_pks(ruteng, kepala_ruteng, today):
    return _agreement(ruteng, kepala_ruteng, "UPTD SKB Randong", "W22.PAS.PAS.1-HM.05-09", today)


def _programme_writes():
    return AuditEntry.objects.filter(object_type="programmes.programme").count()


def test_agreement_of_another_facility_is_refused(
    balikpapan, make_programme, sekata_pks, skb_pks, national_admin
):
    with pytest.raises(ValidationError) as exc:
        make_programme(balikpapan, title="Rehabilitasi NAPZA", area="napza", agreement=skb_pks)
    assert exc.value.message_dict == {"agreement": [FOREIGN]}
    assert not Programme.objects.exists() and _programme_writes() == 0

    programme = make_programme(
        balikpapan, title="Rehabilitasi NAPZA", area="napza", agreement=sekata_pks
    )
    assert programme.agreement == sekata_pks
    writes = _programme_writes()
    with pytest.raises(ValidationError) as exc:
        services.programme_update(programme=programme, agreement=skb_pks, by=national_admin)
    assert exc.value.message_dict == {"agreement": [FOREIGN]}
    programme.refresh_from_db()
    assert programme.agreement == sekata_pks and _programme_writes() == writes


def test_form_offers_only_the_facilitys_agreements(
    client, balikpapan, pembina, sekata_pks, skb_pks, today
):
    form = ProgrammeForm(facility=balikpapan)
    assert list(form.fields["agreement"].queryset) == [sekata_pks]
    client.force_login(pembina)
    response = client.post(
        reverse("programmes:create", args=[balikpapan.pk]),
        {
            "title": "Rehabilitasi NAPZA",
            "pillar": "rehabilitasi",
            "area": "napza",
            "agreement": skb_pks.pk,
            "capacity": 10,
            "start_date": today.isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["agreement"]
    assert not Programme.objects.exists()


def test_api_refuses_an_agreement_of_another_facility(balikpapan, national_admin, skb_pks, today):
    api = APIClient()
    api.force_authenticate(national_admin)
    response = api.post(
        "/api/v1/programmes/",
        {
            "facility": balikpapan.pk,
            "title": "Rehabilitasi NAPZA",
            "pillar": "rehabilitasi",
            "area": "napza",
            "agreement": skb_pks.pk,
            "capacity": 10,
            "start_date": today.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and FOREIGN in str(response.json())
    assert not Programme.objects.exists()


def test_programme_page_shows_its_agreement(
    client, balikpapan, pembina, make_programme, sekata_pks, monkeypatch
):
    programme = make_programme(
        balikpapan, title="Rehabilitasi NAPZA", area="napza", agreement=sekata_pks
    )
    client.force_login(pembina)
    url = reverse("programmes:detail", args=[programme.pk])
    html = client.get(url).content.decode()
    link = reverse("partners:agreement_detail", args=[sekata_pks.pk])
    assert link == f"/mitra/perjanjian/{sekata_pks.pk}/"
    assert "Perjanjian kerja sama" in html
    assert f'<a href="{link}">W18.PAS.PAS.2-HM.05.02-117</a>' in html
    assert "Yayasan SEKATA (Selamatkan Anak Kita) Balikpapan" in html
    assert '<span class="badge partners-status-draft">Draf</span>' in html  # not yet in force

    # Without the partner permission the number and partner show, but no link.
    monkeypatch.setitem(
        ROLE_PERMS,
        Role.PROGRAMME_OFFICER,
        ROLE_PERMS[Role.PROGRAMME_OFFICER] - {Perm.PARTNER_VIEW},
    )
    html = client.get(url).content.decode()
    assert "W18.PAS.PAS.2-HM.05.02-117" in html and link not in html


def test_programme_page_without_agreement(client, balikpapan, pembina, make_programme):
    programme = make_programme(balikpapan)
    client.force_login(pembina)
    html = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert "Perjanjian kerja sama" not in html
