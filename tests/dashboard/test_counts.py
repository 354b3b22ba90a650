"""Every dashboard figure equals the number of rows of the list it links to.

Each test renders the home page with data that makes a loose count differ from the right
one (another facility, released inmates, detainees, outside the window, done items…),
finds the figure's link in the HTML, follows it with the test client and counts the rows.
The facility head (one facility) and the directorate (every facility, so the `facility`
filter of the link must hold) both read the page.
"""

import datetime
import html
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from assessments import services as assessment_services
from interns import services as intern_services
from interns.models import ActivityLog, Batch, Intern
from partners.models import Agreement, Partner
from programmes.models import Programme, Session
from rutan.core.roles import Role
from rutan.facilities.models import FollowUpItem
from rutan.inmates import services as inmate_services
from rutan.inmates.models import Inmate
from tests.factories import member

READERS = ["kepala", "national_admin"]


def figure(body: str, key: str) -> tuple[int, str]:
    """The number shown for `key` and the href of its link."""
    match = re.search(
        rf'<a href="(?P<href>[^"]+)" data-figure="{re.escape(key)}">(?P<inner>.*?)</a>',
        body,
        re.S,
    )
    assert match, f"no link for the figure {key!r}"
    number = re.search(r'figure-count">([\d.,]+)<', match["inner"])
    return int(number[1].replace(".", "").replace(",", "")), html.unescape(match["href"])


def list_rows(response) -> int:
    """How many rows the list page shows (over all its pages)."""
    assert response.status_code == 200
    context = response.context
    if "page_obj" in context:
        return context["page_obj"].paginator.count
    if "sessions" in context:
        return len(context["sessions"])
    return len(context["rows"])


@pytest.fixture
def reader(request, client, balikpapan):
    user = request.getfixturevalue(request.param)
    client.force_login(user)
    return client


def home(client, facility) -> str:
    response = client.get("/", {"upt": facility.pk})
    assert response.status_code == 200
    return response.content.decode()


def assert_figure_is_list(client, facility, key, expected):
    shown, href = figure(home(client, facility), key)
    assert shown == expected
    assert list_rows(client.get(href)) == expected, href


@pytest.fixture
def register(balikpapan, ruteng, make_inmate, national_admin):
    """Balikpapan: two sentenced (one a woman), one detainee, one released; Ruteng: one."""
    today = balikpapan.today()
    ago = today - datetime.timedelta(days=200)
    make_inmate(balikpapan, name="Agus Salim", admission_date=ago, sentence_start=ago)
    make_inmate(balikpapan, name="Sari Dewi", sex="P", admission_date=ago, sentence_start=ago)
    make_inmate(
        balikpapan,
        name="Yohanes Tefa",
        register_type="A.II",
        legal_status="tahanan",
        sentence_start=None,
        sentence_years=0,
        admission_date=ago,
    )
    gone = make_inmate(balikpapan, name="Bebas Lalu", admission_date=ago, sentence_start=ago)
    inmate_services.inmate_release(inmate=gone, on=today, by=national_admin)
    make_inmate(ruteng, name="Warga Ruteng", admission_date=ago, sentence_start=ago)
    return balikpapan


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_population_figure_is_the_register(reader, register):
    assert_figure_is_list(reader, register, "population", 3)


@pytest.mark.parametrize("reader", READERS, indirect=True)
@pytest.mark.parametrize(("key", "expected"), [("detainees", 1), ("sentenced", 2), ("women", 1)])
def test_population_breakdown_figures_are_the_register(reader, register, key, expected):
    assert_figure_is_list(reader, register, key, expected)


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_stage_mix_links_are_the_register_by_stage(reader, register):
    today = register.today()
    # Agus reaches asimilasi today; Sari is still at lanjutan (stage dates are stored).
    Inmate.objects.filter(name__in=["Agus Salim", "Sari Dewi"]).update(
        lanjutan_from=today - datetime.timedelta(10)
    )
    Inmate.objects.filter(name="Agus Salim").update(asimilasi_from=today)
    Inmate.objects.filter(name="Sari Dewi").update(asimilasi_from=today + datetime.timedelta(1))
    body = home(reader, register)
    shown = {}
    for stage in ("admisi_orientasi", "lanjutan", "asimilasi", "integrasi"):
        count, href = figure(body, f"stage_{stage}")
        assert list_rows(reader.get(href)) == count, stage
        shown[stage] = count
    assert shown == {"admisi_orientasi": 0, "lanjutan": 1, "asimilasi": 1, "integrasi": 0}


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_integrasi_soon_figure_is_the_register_with_its_window(reader, register, ruteng):
    today = register.today()
    Inmate.objects.filter(name="Agus Salim").update(integrasi_from=today + datetime.timedelta(30))
    Inmate.objects.filter(name="Sari Dewi").update(integrasi_from=today + datetime.timedelta(90))
    Inmate.objects.filter(name="Warga Ruteng").update(integrasi_from=today + datetime.timedelta(10))
    assert_figure_is_list(reader, register, "integrasi", 1)


@pytest.fixture
def sessions(balikpapan, ruteng):
    """Today at Balikpapan at 20:30: one recorded, one waiting, one cancelled, one later
    tonight (not yet owed); others elsewhere or tomorrow. Ask for it before `reader`, so
    the reader signs in at 20:30 too."""
    today = balikpapan.today()
    evening = datetime.datetime.combine(today, datetime.time(20, 30), tzinfo=balikpapan.tzinfo)
    with time_machine.travel(evening, tick=False):
        yield _sessions(balikpapan, ruteng, today)


def _sessions(balikpapan, ruteng, today):
    def programme(facility, title):
        return Programme.objects.create(
            facility=facility,
            title=title,
            pillar="kepribadian",
            area="keagamaan",
            start_date=today - datetime.timedelta(days=30),
            status="running",
        )

    def session(prog, day, hour, **extra):
        return Session.objects.create(
            programme=prog,
            date=day,
            start_time=datetime.time(hour),
            end_time=datetime.time(hour + 1),
            **extra,
        )

    qonita = programme(balikpapan, "Pengajian Qonita")
    session(qonita, today, 8, attendance_taken_at=timezone.now())
    session(qonita, today, 10)
    session(qonita, today, 13, status="cancelled", cancel_reason="Hujan")
    session(qonita, today, 21)
    session(qonita, today + datetime.timedelta(1), 8)
    session(programme(ruteng, "Yoga"), today, 9)
    return balikpapan


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_sessions_today_figure_is_the_list_of_today(sessions, reader):
    assert_figure_is_list(reader, sessions, "sessions_today", 4)


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_unrecorded_sessions_figure_is_the_list_waiting_for_attendance(sessions, reader):
    assert_figure_is_list(reader, sessions, "sessions_unrecorded", 1)


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_open_findings_figure_is_the_follow_up_list_of_the_facility(reader, balikpapan, ruteng):
    today = balikpapan.today()
    for status in ("open", "open", "in_progress", "done"):
        FollowUpItem.objects.create(
            facility=balikpapan, title=f"Temuan {status}", status=status, found_on=today
        )
    FollowUpItem.objects.create(facility=ruteng, title="Temuan Ruteng", found_on=today)
    assert_figure_is_list(reader, balikpapan, "findings", 3)


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_sppn_due_figure_is_the_sppn_page_of_that_month_and_facility(
    reader, register, kepala, make_inmate
):
    today = register.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    scores = dict.fromkeys(("kepribadian", "kemandirian", "sikap", "kondisi_mental"), 80)
    agus = Inmate.objects.get(name="Agus Salim")
    assessment_services.behaviour_score_create(inmate=agus, month=last_month, by=kepala, **scores)
    sari = Inmate.objects.get(name="Sari Dewi")
    # A score of this month does not make last month's score.
    assessment_services.behaviour_score_create(
        inmate=sari, month=today.replace(day=1), by=kepala, **scores
    )
    make_inmate(register, name="Baru Masuk", admission_date=today, sentence_start=today)
    # Left: Sari. Not due: Agus (scored), Yohanes (detainee), Baru Masuk (came this month),
    # the released one and Ruteng's.
    assert_figure_is_list(reader, register, "sppn_due", 1)


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_asimilasi_candidates_figure_is_the_worklist_with_its_filters(
    reader, balikpapan, ruteng, make_inmate, kepala, kepala_ruteng
):
    today = balikpapan.today()
    scores = dict.fromkeys(("kepribadian", "kemandirian", "sikap", "kondisi_mental"), 80)

    def candidate(facility, name, *, sppn_months, by, days_served=400):
        inmate = make_inmate(
            facility,
            name=name,
            sentence_start=today - datetime.timedelta(days=days_served),
            admission_date=today - datetime.timedelta(days=days_served - 10),
            sentence_years=2,
            remission_days=0,
        )
        for k in range(1, sppn_months + 1):
            assessment_services.behaviour_score_create(
                inmate=inmate,
                month=today.replace(day=1) - relativedelta(months=k),
                by=by,
                **scores,
            )
        return inmate

    candidate(balikpapan, "Layak Asimilasi", sppn_months=6, by=kepala)
    candidate(balikpapan, "Belum Ada SPPN", sppn_months=0, by=kepala)
    candidate(balikpapan, "Masih Jauh", sppn_months=6, by=kepala, days_served=200)
    candidate(ruteng, "Layak di Ruteng", sppn_months=6, by=kepala_ruteng)
    assert_figure_is_list(reader, balikpapan, "asimilasi", 1)


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_agreements_expiring_figure_is_the_agreement_list(reader, balikpapan, ruteng):
    today = balikpapan.today()

    def agreement(facility, number, days_left, status="active"):
        partner, _ = Partner.objects.get_or_create(
            facility=facility, name=f"Mitra {facility.code}", partner_type="yayasan"
        )
        Agreement.objects.create(
            facility=facility,
            partner=partner,
            kind="pks",
            number=number,
            title="Pembinaan",
            valid_from=today - datetime.timedelta(days=300),
            valid_to=today + datetime.timedelta(days=days_left),
            status=status,
        )

    agreement(balikpapan, "PKS-1", 30)
    agreement(balikpapan, "PKS-2", 90)
    agreement(balikpapan, "PKS-3", 20, status="draft")
    agreement(ruteng, "PKS-4", 30)
    assert_figure_is_list(reader, balikpapan, "agreements_expiring", 1)


@pytest.mark.parametrize("reader", READERS, indirect=True)
def test_logs_awaiting_review_figure_is_the_review_queue_of_the_facility(
    reader, balikpapan, ruteng
):
    today = balikpapan.today()

    def intern_at(facility, username):
        batch, _ = Batch.objects.get_or_create(
            facility=facility,
            name="Magang Nasional Batch III",
            defaults={
                "start_on": today - datetime.timedelta(days=60),
                "end_on": today + datetime.timedelta(days=60),
            },
        )
        return Intern.objects.create(
            batch=batch,
            user=member(Role.INTERN, facility=facility, username=username),
            campus="Universitas Mulawarman",
            study_programme="Psikologi",
        )

    def log(intern, *, submit=True):
        made = intern_services.log_save_draft(
            intern=intern,
            by=intern.user,
            data={
                "on": today,
                "hours": 4,
                "log_type": "konseling",
                "description": "Konseling kelompok",
                "place": "Ruang pembinaan",
            },
        )
        return intern_services.log_submit(log=made, by=intern.user) if submit else made

    andi, rudi = intern_at(balikpapan, "andi"), intern_at(ruteng, "rudi")
    log(andi)
    log(andi)
    log(andi, submit=False)
    approved = log(andi)
    ActivityLog.objects.filter(pk=approved.pk).update(status="approved")
    log(rudi)
    assert_figure_is_list(reader, balikpapan, "logs_awaiting", 2)


@pytest.fixture
def region(register, kaltim, make_inmate):
    """A second Kaltim facility with its own inmates and agreements."""
    from tests.factories import BlockFactory, FacilityFactory

    samarinda = FacilityFactory(code="lapas-samarinda", regional_office=kaltim, capacity=200)
    BlockFactory(facility=samarinda, name="Blok A", sex="L")
    make_inmate(samarinda, name="Warga Samarinda")
    today = register.today()
    for facility, number, valid_to, status in [
        (register, "PKS-A", today + datetime.timedelta(days=100), "active"),
        (register, "PKS-B", today - datetime.timedelta(days=5), "expired"),
        (samarinda, "PKS-C", today + datetime.timedelta(days=100), "active"),
    ]:
        partner, _ = Partner.objects.get_or_create(
            facility=facility, name=f"Mitra {facility.code}", partner_type="yayasan"
        )
        Agreement.objects.create(
            facility=facility,
            partner=partner,
            kind="pks",
            number=number,
            title="Pembinaan",
            valid_from=today - datetime.timedelta(days=300),
            valid_to=valid_to,
            status=status,
        )
    return [register, samarinda]


def test_regional_figures_are_their_lists(client, kanwil, region):
    client.force_login(kanwil)
    body = client.get("/").content.decode()
    expected = {region[0].pk: (3, 1), region[1].pk: (1, 1)}
    for pk, (population, agreements) in expected.items():
        shown, href = figure(body, f"population-{pk}")
        assert shown == population and list_rows(client.get(href)) == population
        shown, href = figure(body, f"agreements-{pk}")
        assert shown == agreements and list_rows(client.get(href)) == agreements


def test_mentor_sees_the_register_figures_without_the_register(client, register):
    mentor = member(Role.MENTOR, facility=register, username="mentor_uji")
    client.force_login(mentor)
    response = client.get("/")
    body = response.content.decode()
    assert response.context["register"]["population"].count == 3
    assert 'data-figure="population"' not in body and "/wbp/" not in body
