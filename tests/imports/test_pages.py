"""The import hub: what a user may import into a facility, and nothing outside their scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rutan.imports import engine
from tests.imports import files

pytestmark = pytest.mark.django_db


def test_hub_lists_the_kinds_the_user_may_import(client, balikpapan, kepala, registrasi):
    client.force_login(kepala)
    page = client.get(f"/impor/upt/{balikpapan.pk}/").content.decode()
    for kind in engine.kinds_for(kepala, balikpapan):
        assert f"/impor/{kind.name}/upt/{balikpapan.pk}/" in page
    assert f"/impor/partners/upt/{balikpapan.pk}/" in page

    client.force_login(registrasi)
    page = client.get(f"/impor/upt/{balikpapan.pk}/").content.decode()
    assert f"/impor/register/upt/{balikpapan.pk}/" in page
    assert f"/impor/partners/upt/{balikpapan.pk}/" not in page


def test_hub_and_unknown_kinds_are_404_outside_scope(client, balikpapan, ruteng, kepala_ruteng):
    client.force_login(kepala_ruteng)
    assert client.get(f"/impor/upt/{balikpapan.pk}/").status_code == 404
    assert client.get(f"/impor/register/upt/{balikpapan.pk}/").status_code == 404
    assert client.get(f"/impor/tidak-ada/upt/{ruteng.pk}/").status_code == 404
    assert client.get("/impor/tidak-ada/templat.csv").status_code == 404
    assert client.get(f"/impor/upt/{ruteng.pk}/").status_code == 200


def test_templates_hold_every_column_of_the_kind(client, kepala):
    client.force_login(kepala)
    for kind in engine.KINDS.values():
        body = client.get(f"/impor/{kind.name}/templat.csv").content.decode("utf-8-sig")
        assert body.strip().split(",") == kind.column_names


def test_api_list_keeps_a_fixed_number_of_queries(balikpapan, registrasi, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    api = APIClient()
    api.force_authenticate(registrasi)

    def listed(n):
        while len(api.get("/api/v1/imports/").json()["results"]) < n:
            files.preview("register", balikpapan, registrasi, files.csv_file([{"name": "x"}]))
        with CaptureQueriesContext(connection) as queries:
            body = api.get("/api/v1/imports/?kind=register").json()
        assert len(body["results"]) == n
        return len(queries)

    assert listed(2) == listed(6)
