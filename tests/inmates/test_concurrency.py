"""Two people editing the same inmate: the second save, made on an old version, is refused."""

from django.urls import reverse
from rest_framework.test import APIClient

from rutan.inmates import services
from rutan.inmates.models import Inmate, Verdict


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_second_api_edit_on_a_stale_tag_is_refused(registrasi, kepala, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan, name="Budi Santoso")
    url = f"/api/v1/inmates/{inmate.pk}/"
    first, second = _client(registrasi), _client(kepala)
    tag = first.get(url)["ETag"]
    assert tag.startswith('W/"') and second.get(url)["ETag"] == tag

    saved = first.patch(url, {"name": "Budi Santosa"}, format="json", HTTP_IF_MATCH=tag)
    assert saved.status_code == 200 and saved["ETag"] != tag

    refused = second.patch(url, {"case_article": "Pasal 1"}, format="json", HTTP_IF_MATCH=tag)
    assert refused.status_code == 412
    assert "sudah diubah orang lain" in refused.json()["detail"]
    inmate.refresh_from_db()
    assert (inmate.name, inmate.case_article) == ("Budi Santosa", saved.json()["case_article"])

    fresh = second.get(url)["ETag"]
    assert fresh == saved["ETag"]
    again = second.patch(url, {"case_article": "Pasal 1"}, format="json", HTTP_IF_MATCH=fresh)
    assert again.status_code == 200 and again.json()["case_article"] == "Pasal 1"


def test_if_match_is_optional_and_accepts_any(registrasi, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    api = _client(registrasi)
    url = f"/api/v1/inmates/{inmate.pk}/"
    assert api.patch(url, {"name": "Tanpa Tag"}, format="json").status_code == 200
    assert api.patch(url, {"name": "Tag Apa Saja"}, format="json", HTTP_IF_MATCH="*").status_code
    assert Inmate.objects.get(pk=inmate.pk).name == "Tag Apa Saja"


def test_stale_action_writes_nothing(registrasi, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan, register_type="A.I", legal_status="tahanan")
    api = _client(registrasi)
    url = f"/api/v1/inmates/{inmate.pk}/"
    tag = api.get(url)["ETag"]
    services.inmate_update(inmate=inmate, by=registrasi, case_article="Pasal 362 KUHP")
    verdict = {
        "court": "pengadilan_negeri",
        "court_name": "PN Balikpapan",
        "number": "9/Pid.B/2025/PN Bpp",
        "decided_on": str(inmate.admission_date),
        "final_on": str(inmate.admission_date),
        "sentence_kind": "penjara",
        "years": 2,
    }
    response = api.post(f"{url}verdict/", verdict, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412
    assert not Verdict.objects.filter(inmate=inmate).exists()
    remisi = {"kind": "khusus", "decree_number": "X", "decree_date": "2025-03-31", "days": 15}
    assert api.post(f"{url}remisi/", remisi, format="json", HTTP_IF_MATCH=tag).status_code == 412
    assert not inmate.remisi_grants.exists()


def test_stale_tag_of_an_inmate_out_of_scope_is_not_found(kepala_ruteng, balikpapan, make_inmate):
    inmate = make_inmate(balikpapan)
    response = _client(kepala_ruteng).patch(
        f"/api/v1/inmates/{inmate.pk}/", {"name": "X"}, format="json", HTTP_IF_MATCH='"stale"'
    )
    assert response.status_code == 404


def _form_data(form) -> dict:
    return {name: "" if (value := form[name].value()) is None else value for name in form.fields}


def test_stale_web_edit_is_refused_with_current_values(
    client, registrasi, kepala, balikpapan, make_inmate
):
    inmate = make_inmate(balikpapan, name="Budi Santoso")
    url = reverse("inmates:update", args=[inmate.pk])
    client.force_login(registrasi)
    page = client.get(url)
    data = _form_data(page.context["form"])
    assert data["version"] == inmate.updated_at.isoformat()
    assert 'type="hidden" name="version"' in page.content.decode()

    services.inmate_update(inmate=inmate, by=kepala, name="Budi Santosa")
    data["case_article"] = "Pasal 1"
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Data ini sudah diubah orang lain" in body and 'value="Budi Santosa"' in body
    inmate.refresh_from_db()
    assert (inmate.name, inmate.case_article) == ("Budi Santosa", "Pasal 1")[:1] + (
        inmate.case_article,
    )
    assert inmate.case_article != "Pasal 1"

    data = _form_data(response.context["form"])
    data["case_article"] = "Pasal 1"
    assert client.post(url, data).status_code == 302
    inmate.refresh_from_db()
    assert (inmate.name, inmate.case_article) == ("Budi Santosa", "Pasal 1")
