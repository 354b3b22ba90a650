"""A log links to the assessment the intern did: only their own (psychological) or visible
(literacy) assessments of their facility, only for the matching activity type."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services as assessment_services
from interns import services
from interns.forms import ActivityLogForm
from interns.models import ActivityLog
from rutan.accounts.models import Membership
from rutan.core.roles import Role
from tests.factories import BlockFactory, FacilityFactory, member

from .conftest import log_data
from .test_api import _client
from .test_views import _form

NOT_OFFERED = (
    "Asesmen ini tidak dapat Anda kaitkan: pilih dari daftar asesmen yang tersedia untuk Anda."
)


@pytest.fixture
def day(today):
    return today - datetime.timedelta(days=3)


@pytest.fixture
def psikolog(balikpapan):
    return member(Role.PSYCHOLOGIST, facility=balikpapan, username="psikolog")


@pytest.fixture
def women(balikpapan, make_inmate):
    return [make_inmate(balikpapan, sex="P", name=f"Siti Aminah {n}") for n in range(3)]


def _psych(inmate, by, on):
    return assessment_services.psych_create(
        inmate=inmate,
        by=by,
        assessed_on=on,
        instrument="DASS-21",
        findings="Temuan rahasia yang tidak boleh dibaca peserta lain.",
    )


def _literacy(inmate, by, on):
    return assessment_services.literacy_create(
        inmate=inmate,
        by=by,
        assessed_on=on,
        script="latin",
        level="buta_aksara",
        reading_score=10,
        writing_score=5,
        numeracy_score=20,
    )


@pytest.fixture
def samarinda(kaltim):
    facility = FacilityFactory(
        code="lapas-samarinda", name="Lapas Kelas IIA Samarinda", regional_office=kaltim
    )
    BlockFactory(facility=facility, name="Blok A", sex="L")
    return facility


def _can_see_literacy(intern, kaltim):
    """The intern who also reads the region's assessments (a second role, kanwil)."""
    Membership.objects.create(user=intern.user, role=Role.REGIONAL_OFFICER, regional_office=kaltim)


# Offering -----------------------------------------------------------------------------------


def test_form_offers_only_the_interns_own_psychological_assessments(
    intern, make_intern, psikolog, women, day
):
    own = _psych(women[0], intern.user, day)
    others = make_intern("magang2")
    theirs = _psych(women[1], others.user, day)
    signed = _psych(women[2], psikolog, day)

    form = ActivityLogForm(instance=ActivityLog(intern=intern), intern=intern)

    offered = list(form.fields["psych_assessment"].queryset)
    assert offered == [own]
    assert theirs not in offered and signed not in offered
    html = form.as_div()
    assert "Siti Aminah 0" in html
    assert "Siti Aminah 1" not in html and "Siti Aminah 2" not in html
    assert "Temuan rahasia" not in html


def test_literacy_is_not_offered_to_an_intern_who_cannot_see_it(intern, pembina, make_inmate):
    _literacy(make_inmate(intern.facility), pembina, intern.batch.start_on)

    form = ActivityLogForm(instance=ActivityLog(intern=intern), intern=intern)

    assert "literacy_assessment" not in form.fields
    assert "psych_assessment" not in form.fields  # no own assessment yet: nothing to offer


def test_literacy_offered_when_visible_only_at_own_facility_and_batch(
    intern, pembina, national_admin, make_inmate, kaltim, samarinda, day
):
    _can_see_literacy(intern, kaltim)
    here = _literacy(make_inmate(intern.facility), pembina, day)
    elsewhere = _literacy(make_inmate(samarinda), national_admin, day)
    before_batch = _literacy(
        make_inmate(intern.facility), pembina, intern.batch.start_on - datetime.timedelta(days=1)
    )

    form = ActivityLogForm(instance=ActivityLog(intern=intern), intern=intern)

    offered = list(form.fields["literacy_assessment"].queryset)
    assert offered == [here]
    assert elsewhere not in offered and before_batch not in offered


# Validation -------------------------------------------------------------------------------


def test_type_mismatch_is_refused_and_nothing_saved(intern, women, day):
    own = _psych(women[0], intern.user, day)
    with pytest.raises(ValidationError) as exc:
        services.log_save_draft(
            intern=intern,
            by=intern.user,
            data=log_data(log_type="asesmen_literasi", psych_assessment=own),
        )
    assert exc.value.message_dict["psych_assessment"] == [
        "Asesmen psikologis hanya dapat dikaitkan dengan kegiatan jenis Asesmen psikologis."
    ]
    assert not ActivityLog.objects.exists()


def test_other_interns_assessment_is_refused_and_log_unchanged(
    intern, make_intern, psikolog, women, day
):
    log = services.log_save_draft(
        intern=intern, by=intern.user, data=log_data(log_type="asesmen_psikologis")
    )
    theirs = _psych(women[1], make_intern("magang2").user, day)
    signed = _psych(women[2], psikolog, day)
    for other in (theirs, signed):
        with pytest.raises(ValidationError) as exc:
            services.log_save_draft(
                intern=intern,
                by=intern.user,
                log=log,
                data={"psych_assessment": other, "place": "Blok Wanita"},
            )
        assert exc.value.message_dict == {"psych_assessment": [NOT_OFFERED]}
    log.refresh_from_db()
    assert log.psych_assessment_id is None
    assert log.place == "Ruang pembinaan"


def test_invisible_literacy_is_refused(intern, pembina, make_inmate, day):
    record = _literacy(make_inmate(intern.facility), pembina, day)
    with pytest.raises(ValidationError) as exc:
        services.log_save_draft(
            intern=intern, by=intern.user, data=log_data(literacy_assessment=record)
        )
    assert exc.value.message_dict == {"literacy_assessment": [NOT_OFFERED]}
    assert not ActivityLog.objects.exists()


def test_other_facility_assessment_is_refused(
    intern, national_admin, make_inmate, kaltim, samarinda, day
):
    _can_see_literacy(intern, kaltim)
    elsewhere = _literacy(make_inmate(samarinda), national_admin, day)
    with pytest.raises(ValidationError) as exc:
        services.log_save_draft(
            intern=intern, by=intern.user, data=log_data(literacy_assessment=elsewhere)
        )
    assert exc.value.message_dict == {
        "literacy_assessment": ["Asesmen ini tidak dilakukan di UPT Anda."]
    }
    assert not ActivityLog.objects.exists()


def test_own_link_is_saved_and_survives_deletion_of_the_assessment(intern, women, day):
    own = _psych(women[0], intern.user, day)
    log = services.log_save_draft(
        intern=intern,
        by=intern.user,
        data=log_data(log_type="asesmen_psikologis", psych_assessment=own),
    )
    assert log.psych_assessment == own
    own.delete()
    log.refresh_from_db()
    assert log.psych_assessment_id is None


def test_phone_form_refuses_a_foreign_assessment(client, intern, make_intern, women, day):
    own = _psych(women[0], intern.user, day)
    theirs = _psych(women[1], make_intern("magang2").user, day)
    client.force_login(intern.user)
    key = client.get(reverse("interns:log_create")).context["form"].initial["client_key"]

    data = _form(log_type="asesmen_psikologis") | {
        "client_key": key,
        "psych_assessment": theirs.pk,
        "action": "draft",
    }
    response = client.post(reverse("interns:log_create"), data)
    assert response.status_code == 200
    assert "psych_assessment" in response.context["form"].errors
    assert not ActivityLog.objects.exists()

    data = _form(log_type="konseling") | {
        "client_key": key,
        "psych_assessment": own.pk,
        "action": "draft",
    }
    response = client.post(reverse("interns:log_create"), data)
    assert response.context["form"].errors["psych_assessment"] == [
        "Asesmen psikologis hanya dapat dikaitkan dengan kegiatan jenis Asesmen psikologis."
    ]
    assert not ActivityLog.objects.exists()

    data["log_type"] = "asesmen_psikologis"
    response = client.post(reverse("interns:log_create"), data)
    assert response.status_code == 302
    assert ActivityLog.objects.get().psych_assessment == own


# Display --------------------------------------------------------------------------------------


def test_detail_links_the_assessment_only_for_who_may_open_it(
    client, intern, mentor, kepala, women, day
):
    own = _psych(women[0], intern.user, day)
    log = services.log_save_draft(
        intern=intern,
        by=intern.user,
        data=log_data(log_type="asesmen_psikologis", psych_assessment=own),
    )
    services.log_submit(log=log, by=intern.user)
    url = reverse("interns:log_detail", args=[log.pk])
    link = reverse("assessments:detail", args=["psikologis", own.pk])

    client.force_login(intern.user)
    page = client.get(url).content.decode()
    assert f'href="{link}"' in page and "Siti Aminah 0" in page
    assert client.get(link).status_code == 200

    client.force_login(kepala)
    page = client.get(url).content.decode()
    assert f'href="{link}"' in page

    client.force_login(mentor)
    page = client.get(url).content.decode()
    assert "Asesmen psikologis" in page and day.strftime("%d-%m-%Y") in page
    assert link not in page and "Siti Aminah 0" not in page
    assert client.get(link).status_code == 404


# API --------------------------------------------------------------------------------------------


def test_api_shows_and_checks_the_assessment_ids(intern, make_intern, women, day):
    own = _psych(women[0], intern.user, day)
    theirs = _psych(women[1], make_intern("magang2").user, day)
    api = _client(intern.user)
    payload = {
        "log_type": "asesmen_psikologis",
        "description": "Asesmen psikologis Blok Wanita.",
        "hours": "2",
        "psych_assessment": theirs.pk,
    }

    response = api.post("/api/v1/intern-logs/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["psych_assessment"] == [NOT_OFFERED]
    assert not ActivityLog.objects.exists()

    response = api.post(
        "/api/v1/intern-logs/", payload | {"psych_assessment": own.pk}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["psych_assessment"] == own.pk
    assert body["literacy_assessment"] is None

    pk = body["id"]
    response = api.patch(f"/api/v1/intern-logs/{pk}/", {"log_type": "konseling"}, format="json")
    assert response.status_code == 400
    assert "psych_assessment" in response.json()["errors"]
    assert ActivityLog.objects.get(pk=pk).log_type == "asesmen_psikologis"
    assert api.get(f"/api/v1/intern-logs/{pk}/").json()["psych_assessment"] == own.pk
