"""An intern drafts psychological assessments without seeing the register: no inmate is
listed, one is found only by its exact registration number (active, of the intern's
facility), and `?wbp=` opens only an inmate the intern assessed before."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.forms import NUMBER_NOT_FOUND
from assessments.models import PsychologicalAssessment
from rutan.inmates import services as inmate_services

TODAY = timezone.localdate
URL = reverse("assessments:create", args=["psikologis"])


@pytest.fixture
def register(balikpapan, ruteng, make_inmate, national_admin):
    """Active inmates of Balikpapan, a released one, and one of Ruteng."""
    active = [
        make_inmate(balikpapan, name=f"Rahmat Hidayat {n}", registration_number=f"BI.77{n}/2025")
        for n in range(3)
    ]
    released = make_inmate(balikpapan, name="Yusuf Bebas", registration_number="BI.0999/2025")
    inmate_services.inmate_release(inmate=released, on=TODAY(), by=national_admin)
    elsewhere = make_inmate(ruteng, name="Frans Ruteng", registration_number="BI.0888/2025")
    return {"active": active, "released": released, "elsewhere": elsewhere}


def _draft(**extra):
    data = {
        "assessed_on": TODAY().isoformat(),
        "instrument": "SRQ-20",
        "scores": "stres: 14",
        "findings": "Perlu pendampingan.",
    }
    return data | extra


def test_the_draft_form_lists_no_inmate(client, magang, register):
    client.force_login(magang)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="registration_number"' in html and 'name="inmate"' not in html
    for inmate in [*register["active"], register["released"], register["elsewhere"]]:
        assert inmate.name not in html and inmate.registration_number not in html


def test_a_psychologist_still_picks_from_the_list(client, register, balikpapan):
    from tests.factories import member

    psikolog = member("psychologist", facility=balikpapan, username="psikolog")
    client.force_login(psikolog)
    html = client.get(URL).content.decode()
    assert 'name="inmate"' in html and register["active"][0].name in html
    assert register["released"].name not in html
    assert client.get(URL, {"wbp": register["active"][0].pk}).status_code == 200
    assert client.get(URL, {"wbp": register["released"].pk}).status_code == 404


def test_wbp_opens_no_inmate_the_intern_may_not_reach(client, magang, register):
    client.force_login(magang)
    for wbp in (
        register["active"][0].pk,
        register["released"].pk,
        register["elsewhere"].pk,
        987654321,
        "abc",
    ):
        response = client.get(URL, {"wbp": wbp})
        assert response.status_code == 404, wbp
        assert "Rahmat Hidayat" not in response.content.decode()


def test_the_intern_drafts_by_registration_number(client, magang, register):
    target = register["active"][1]
    client.force_login(magang)
    response = client.post(
        URL, _draft(registration_number=f"  {target.registration_number.lower()} ")
    )
    draft = PsychologicalAssessment.objects.get()
    assert response.status_code == 302
    assert (draft.inmate, draft.assessor, draft.status) == (target, magang, "draft")
    # The inmate the intern assessed may be opened again for a follow-up assessment.
    follow_up = client.get(URL, {"wbp": target.pk})
    assert follow_up.status_code == 200 and target.name in follow_up.content.decode()
    assert client.get(URL, {"wbp": register["active"][0].pk}).status_code == 404


def test_numbers_the_intern_may_not_reach_get_one_message(client, magang, register):
    client.force_login(magang)
    answers = []
    for number in (
        register["released"].registration_number,
        register["elsewhere"].registration_number,
        "BI.0000/1999",
    ):
        response = client.post(URL, _draft(registration_number=number))
        assert response.status_code == 200
        answers.append(response.context["form"].errors["registration_number"])
    assert answers == [[str(NUMBER_NOT_FOUND)]] * 3
    # An id in place of the number is not taken either.
    response = client.post(URL, _draft(inmate=register["active"][0].pk))
    assert "registration_number" in response.context["form"].errors
    assert not PsychologicalAssessment.objects.exists()


def test_the_api_treats_a_released_inmate_as_unknown(magang, register):
    api = APIClient()
    api.force_authenticate(magang)
    url = "/api/v1/assessments/psychological/"
    answers = [
        api.post(url, {**_draft(), "inmate": pk}, format="json")
        for pk in (register["released"].pk, register["elsewhere"].pk, 987654321)
    ]
    assert {r.status_code for r in answers} == {400}
    pks = (register["released"].pk, register["elsewhere"].pk, 987654321)
    bodies = {str(r.json()).replace(str(pk), "#") for r, pk in zip(answers, pks, strict=True)}
    assert len(bodies) == 1, bodies
    assert not PsychologicalAssessment.objects.exists()


def test_no_page_of_the_intern_lists_an_inmate(client, magang, register, balikpapan):
    from interns.models import Batch, Intern

    batch = Batch.objects.create(
        facility=balikpapan,
        name="Magang Nasional Batch III",
        start_on=TODAY() - datetime.timedelta(days=30),
        end_on=TODAY() + datetime.timedelta(days=60),
    )
    Intern.objects.create(batch=batch, user=magang, campus="Unmul", study_programme="Psikologi")
    client.force_login(magang)
    for name in (
        "interns:home",
        "interns:log_create",
        "interns:attendance",
        "assessments:list",
        "assessments:survey_list",
        "interns:followup_list",
        "dashboard:home",
    ):
        html = client.get(reverse(name), follow=True).content.decode()
        for inmate in register["active"]:
            assert inmate.name not in html and inmate.registration_number not in html, name
