"""A user of one facility cannot reach another's inmates: UI, admin and API answer 404."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for


@pytest.fixture
def balikpapan_inmate(balikpapan, make_inmate):
    return make_inmate(balikpapan, name="Hendra Wijaya")


def test_facility_head_of_ruteng_gets_404_in_ui(client, kepala_ruteng, balikpapan_inmate):
    client.force_login(kepala_ruteng)
    assert client.get(reverse("inmates:detail", args=[balikpapan_inmate.pk])).status_code == 404
    assert client.get(reverse("inmates:update", args=[balikpapan_inmate.pk])).status_code == 404
    assert client.post(reverse("inmates:transfer", args=[balikpapan_inmate.pk])).status_code == 404
    response = client.get(reverse("inmates:list"), {"status": "all"})
    assert "Hendra Wijaya" not in response.content.decode()


def test_facility_head_of_ruteng_gets_404_in_admin(client, kepala_ruteng, balikpapan_inmate):
    client.force_login(kepala_ruteng)
    url = reverse("admin:inmates_inmate_change", args=[balikpapan_inmate.pk])
    # The admin redirects a missing object to its index with a message; never shows it.
    response = client.get(url, follow=True)
    assert "Hendra Wijaya" not in response.content.decode()
    changelist = client.get(reverse("admin:inmates_inmate_changelist"))
    assert changelist.status_code == 200
    assert "Hendra Wijaya" not in changelist.content.decode()


def test_facility_head_of_ruteng_gets_404_in_api(kepala_ruteng, balikpapan_inmate):
    api = APIClient()
    api.force_authenticate(kepala_ruteng)
    assert api.get(f"/api/v1/inmates/{balikpapan_inmate.pk}/").status_code == 404
    assert (
        api.patch(
            f"/api/v1/inmates/{balikpapan_inmate.pk}/", {"name": "X"}, format="json"
        ).status_code
        == 404
    )
    assert api.get("/api/v1/inmates/").json()["count"] == 0


def test_regional_officer_sees_own_region_only(kanwil, balikpapan, ruteng, make_inmate):
    make_inmate(balikpapan, name="Orang Balikpapan")
    make_inmate(ruteng, name="Orang Ruteng")
    assert facility_ids_for(kanwil, Perm.INMATE_VIEW) == {balikpapan.pk}
    api = APIClient()
    api.force_authenticate(kanwil)
    names = [row["name"] for row in api.get("/api/v1/inmates/").json()["results"]]
    assert names == ["Orang Balikpapan"]
    assert [f["name"] for f in api.get("/api/v1/facilities/").json()["results"]] == [
        balikpapan.name
    ]


def test_intern_cannot_open_the_register(client, magang, balikpapan_inmate):
    client.force_login(magang)
    assert client.get(reverse("inmates:list")).status_code == 404
    assert client.get(reverse("inmates:detail", args=[balikpapan_inmate.pk])).status_code == 404
    api = APIClient()
    api.force_authenticate(magang)
    assert api.get("/api/v1/inmates/").json()["count"] == 0


def test_read_only_role_cannot_write(client, pembina, balikpapan_inmate):
    client.force_login(pembina)
    assert client.get(reverse("inmates:detail", args=[balikpapan_inmate.pk])).status_code == 200
    assert client.get(reverse("inmates:update", args=[balikpapan_inmate.pk])).status_code == 404
    assert client.get(reverse("inmates:transfer", args=[balikpapan_inmate.pk])).status_code == 404
    assert (
        client.get(reverse("inmates:create", args=[balikpapan_inmate.facility_id])).status_code
        == 404
    )


def test_national_admin_sees_everything(national_admin, balikpapan, ruteng):
    assert facility_ids_for(national_admin, Perm.INMATE_VIEW) is None
