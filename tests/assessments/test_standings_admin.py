"""The admin page of the stored eligibility books: read-only, scoped, a fixed number of
queries, and an action that queues a judgement again."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import standings, tasks
from assessments.models import EligibilityBook
from tests.factories import FacilityFactory

URL = "/admin/assessments/eligibilitybook/"


@pytest.fixture
def books(balikpapan, ruteng):
    return [standings.refresh(balikpapan), standings.refresh(ruteng)]


def test_books_say_which_are_current_and_stay_in_scope(client, kepala, balikpapan, books):
    client.force_login(kepala)
    assert "terkini" in client.get(URL).content.decode()
    EligibilityBook.objects.filter(facility=balikpapan).update(version="0")
    body = client.get(URL).content.decode()
    assert "menunggu penilaian ulang" in body and "terkini" not in body
    assert "Ruteng" not in body  # another facility's book is out of scope
    assert client.get(f"{URL}{books[1].pk}/change/").status_code == 404
    assert client.get(f"{URL}{books[0].pk}/change/").status_code == 200
    assert client.get(f"{URL}add/").status_code == 404


def test_books_list_costs_the_same_for_more_facilities(client, national_admin, books):
    client.force_login(national_admin)

    def queries():
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(4):
        standings.refresh(FacilityFactory(code=f"upt-lain-{i}"))
    assert queries() == few


def test_the_action_queues_a_judgement_again(client, kepala, balikpapan, books, monkeypatch):
    queued = []
    monkeypatch.setattr(
        tasks.refresh_standings, "apply_async", lambda args, queue: queued.append(args[0])
    )
    client.force_login(kepala)
    response = client.post(
        URL, {"action": "judge_again", ACTION_CHECKBOX_NAME: [books[0].pk, books[1].pk]}
    )
    assert response.status_code == 302
    assert queued == [balikpapan.pk]  # Ruteng's book is not Kepala Balikpapan's to queue
    assert "1 UPT diantrekan" in client.get(URL).content.decode()
