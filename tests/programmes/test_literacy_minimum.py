"""A programme's minimum literacy is a level of one script (Latin or Al-Qur'an)."""

import datetime

from django.urls import reverse
from rest_framework.test import APIClient

from programmes.models import Programme
from tests.factories import literacy_level

D = datetime.timedelta


def test_api_names_the_minimum_by_code_and_script(pembina, balikpapan, today):
    api = APIClient()
    api.force_authenticate(pembina)
    body = {
        "facility": balikpapan.pk,
        "title": "Kelas tahsin Al-Qur'an",
        "pillar": "kepribadian",
        "area": "keagamaan",
        "capacity": 12,
        "start_date": today.isoformat(),
        "min_literacy_level": "quran_lancar",
    }
    response = api.post("/api/v1/programmes/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["min_literacy_level"] == "quran_lancar"
    assert response.json()["min_literacy_script"] == "arab_quran"
    assert Programme.objects.get().min_literacy_level == literacy_level("quran_lancar")
    bad = api.post(
        "/api/v1/programmes/", body | {"title": "Lain", "min_literacy_level": "x"}, format="json"
    )
    assert bad.status_code == 400 and "min_literacy_level" in bad.json()["errors"]
    open_to_all = api.post(
        "/api/v1/programmes/",
        body | {"title": "Terbuka", "min_literacy_level": None},
        format="json",
    )
    assert open_to_all.json()["min_literacy_script"] is None
    assert Programme.objects.count() == 2


def test_form_offers_levels_grouped_by_script(client, pembina, balikpapan, today):
    client.force_login(pembina)
    url = reverse("programmes:create", args=[balikpapan.pk])
    html = client.get(url).content.decode()
    paket_b, iqra = literacy_level("paket_b"), literacy_level("quran_iqra")
    assert '<optgroup label="Latin">' in html
    assert f'<option value="{paket_b.pk}">Paket B</option>' in html
    assert f'<option value="{iqra.pk}">Mengenal huruf hijaiyah' in html
    response = client.post(
        url,
        {
            "title": "Kelas kesetaraan Paket C",
            "pillar": "kepribadian",
            "area": "literasi",
            "capacity": 15,
            "start_date": today.isoformat(),
            "min_literacy_level": paket_b.pk,
        },
    )
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.min_literacy_level.code == "paket_b"
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert "literasi Latin minimal Paket B" in detail
    edit = client.get(reverse("programmes:update", args=[programme.pk])).content.decode()
    assert f'<option value="{paket_b.pk}" selected>Paket B</option>' in edit


def test_admin_change_page_groups_levels(client, national_admin, make_programme, balikpapan):
    programme = make_programme(balikpapan, min_literacy_level="quran_iqra")
    national_admin.is_superuser = True
    national_admin.save()
    client.force_login(national_admin)
    html = client.get(reverse("admin:programmes_programme_change", args=[programme.pk])).content
    assert f'<option value="{programme.min_literacy_level_id}" selected>'.encode() in html
    assert b"<optgroup" in html
