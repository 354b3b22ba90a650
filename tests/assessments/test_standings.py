"""Stored eligibility (assessments.standings): the same judgement as the worklist, shown only
while it is of today and of the data as it is now, judged again after every write."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db import connection

from assessments import eligibility, standings, tasks
from assessments.choices import EligibilityKind
from assessments.models import BehaviourScore, EligibilityBook, EligibilityRule, EligibilityStanding
from rutan.inmates import services as inmate_services
from tests.factories import FacilityFactory

KINDS = EligibilityKind.values


@pytest.fixture
def people(balikpapan, make_inmate, sppn, kepala, national_admin):
    """Sentences, SPPN histories, remisi and a guarantee that put the rights' days before,
    around and after today; a detainee and a released inmate, who are never judged."""
    today = balikpapan.today()
    made = []

    def sentenced(
        name, *, served, years=0, months=0, category="pidana_umum", sppn_months=0, score=80
    ):
        inmate = make_inmate(
            balikpapan,
            name=name,
            sentence_start=today - datetime.timedelta(days=served),
            admission_date=today - datetime.timedelta(days=served),
            sentence_years=years,
            sentence_months=months,
            remission_days=0,
            case_category=category,
        )
        if sppn_months:
            sppn(inmate, months=sppn_months, score=score, on=today)
        made.append(inmate)
        return inmate

    sentenced("Layak Asimilasi", served=400, years=2, sppn_months=6)
    sentenced("Tanpa SPPN", served=400, years=2)
    sentenced("SPPN Rendah", served=400, years=2, sppn_months=6, score=40)
    sentenced("Hampir Setengah", served=340, years=2, sppn_months=6)
    sentenced("Narkotika Enam Tahun", served=1500, years=6, category="narkotika", sppn_months=9)
    sentenced("Pidana Singkat", served=200, years=1, months=2, sppn_months=6)
    long_one = sentenced("Dua Pertiga", served=900, years=4, sppn_months=12)
    inmate_services.remisi_grant_create(
        inmate=long_one,
        by=national_admin,
        kind="umum",
        decree_number=f"PAS-{long_one.pk}.umum",
        decree_date=today - relativedelta(months=4),
        months=2,
        days=0,
    )
    from partners import services as partner_services

    partner_services.guarantee_create(
        inmate=long_one,
        by=kepala,
        guarantor_kind="keluarga",
        name="Siti Aminah",
        relationship="istri",
        nik="6471054501900001",
        letter_number=f"{long_one.pk}/SJ-KEL",
        valid_from=today - datetime.timedelta(days=30),
    )
    make_inmate(balikpapan, name="Masih Tahanan", legal_status="tahanan")
    return made


def _worklist_eligible(inmates, kind, on):
    return {
        r.inmate.pk
        for r in eligibility.worklist(inmates=inmates, kind=kind, on=on, within_days=60)
        if r.eligible
    }


@pytest.mark.parametrize("offset", [-90, 0, 45, 400])
def test_stored_judgement_is_the_worklists_on_any_date(balikpapan, people, offset):
    on = balikpapan.today() + datetime.timedelta(days=offset)
    inmates = list(standings.population(balikpapan).select_related("facility", "block"))
    judged, problems = eligibility.standings(inmates=inmates, on=on)
    assert problems == {}
    eligible_somewhere = 0
    for kind in KINDS:
        stored = {inmate.pk for inmate, _date, ok in judged[kind] if ok}
        assert stored == _worklist_eligible(inmates, kind, on), kind
        eligible_somewhere += len(stored)
        for _inmate, date, ok in judged[kind]:
            assert not ok or date <= on
    if offset == 0:
        # The fixture holds eligible people today, so the comparison is not of empty sets.
        assert eligible_somewhere > 0


def test_the_day_the_time_condition_is_met_counts(balikpapan, people):
    """On the very day of the time condition the worklist finds the inmate eligible, and so
    does the stored judgement (and not the day before)."""
    inmates = list(standings.population(balikpapan).select_related("facility", "block"))
    near = next(i for i in inmates if i.name == "Hampir Setengah")
    rule = eligibility.rule_for(facility=balikpapan, kind=EligibilityKind.ASIMILASI)
    day = eligibility.time_rule_date(near, rule)
    for on, expected in ((day, True), (day - datetime.timedelta(days=1), False)):
        judged, _problems = eligibility.standings(
            inmates=inmates, on=on, kinds=[EligibilityKind.ASIMILASI]
        )
        stored = {i.pk for i, _date, ok in judged[EligibilityKind.ASIMILASI] if ok}
        assert stored == _worklist_eligible(inmates, EligibilityKind.ASIMILASI, on)
        assert (near.pk in stored) is expected


def test_refresh_stores_every_right_that_applies_and_its_book(balikpapan, people):
    book = standings.refresh(balikpapan)
    assert book.judged_on == balikpapan.today()
    assert book.inmates == len(people)
    assert book.problems == {}
    assert standings.current(balikpapan, book)
    inmates = list(standings.population(balikpapan).select_related("facility", "block"))
    for kind in KINDS:
        rows = EligibilityStanding.objects.filter(facility=balikpapan, kind=kind)
        eligible = set(rows.filter(eligible=True).values_list("inmate_id", flat=True))
        assert eligible == _worklist_eligible(inmates, kind, balikpapan.today())
    names = set(
        EligibilityStanding.objects.filter(facility=balikpapan).values_list(
            "inmate__name", flat=True
        )
    )
    assert "Masih Tahanan" not in names and "Layak Asimilasi" in names
    assert standings.eligible_count(balikpapan) == len(
        _worklist_eligible(inmates, EligibilityKind.ASIMILASI, balikpapan.today())
    )


@pytest.fixture
def queued(monkeypatch):
    """Refreshes are queued but not run (a busy worker); the facility ids and queues."""
    calls = []
    monkeypatch.setattr(
        tasks.refresh_standings,
        "apply_async",
        lambda args, queue: calls.append((args[0], queue)),
    )
    return calls


def test_a_write_hides_the_figure_until_it_is_judged_again(balikpapan, people, queued, sppn):
    standings.refresh(balikpapan)
    before = standings.eligible_count(balikpapan)
    assert queued == []
    # "Tanpa SPPN" gets the six months it lacked, through the service.
    lacking = next(p for p in people if p.name == "Tanpa SPPN")
    sppn(lacking, months=6, score=80, on=balikpapan.today())
    assert standings.eligible_count(balikpapan) is None
    assert queued == [(balikpapan.pk, "interactive")]
    # The page asked again: still one refresh queued, not two.
    assert standings.eligible_count(balikpapan) is None
    assert len(queued) == 1
    tasks.refresh_standings.run(balikpapan.pk)
    assert standings.eligible_count(balikpapan) == before + 1


def test_raw_sql_is_seen_as_a_write(balikpapan, people, queued):
    standings.refresh(balikpapan)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assessments_behaviourscore SET sikap = 10")
    assert standings.eligible_count(balikpapan) is None


def test_a_write_while_judging_leaves_the_book_behind(balikpapan, people, monkeypatch):
    judge = eligibility.standings

    def judge_and_meanwhile_write(**kwargs):
        result = judge(**kwargs)
        BehaviourScore.objects.update(sikap=10)
        return result

    monkeypatch.setattr(eligibility, "standings", judge_and_meanwhile_write)
    book = standings.refresh(balikpapan)
    assert not standings.current(balikpapan, book)


def test_writes_elsewhere_keep_the_figure(balikpapan, ruteng, people, make_inmate, queued):
    standings.refresh(balikpapan)
    make_inmate(ruteng, name="Di Ruteng")
    # Not read by eligibility: a follow-up finding of the same facility.
    from rutan.facilities.models import FollowUpItem

    FollowUpItem.objects.create(
        facility=balikpapan, title="Kabel dapur", found_on=balikpapan.today()
    )
    assert standings.eligible_count(balikpapan) is not None
    assert queued == []


def test_a_new_day_is_judged_again_on_the_batch_queue(balikpapan, ruteng, people, queued):
    standings.refresh(balikpapan)
    standings.refresh(ruteng)
    EligibilityBook.objects.filter(facility=balikpapan).update(
        judged_on=balikpapan.today() - datetime.timedelta(days=1)
    )
    assert standings.sweep() == 1
    assert queued == [(balikpapan.pk, "batch")]
    assert standings.sweep() == 0  # still queued


def test_sweep_queues_facilities_without_a_book_or_with_writes(
    balikpapan, ruteng, people, make_inmate, queued
):
    standings.refresh(balikpapan)
    assert standings.sweep() == 1
    assert queued == [(ruteng.pk, "interactive")]
    tasks.refresh_standings.run(ruteng.pk)
    make_inmate(balikpapan, name="Baru Masuk")
    queued.clear()
    assert standings.sweep() == 1
    assert queued == [(balikpapan.pk, "interactive")]
    assert tasks.sweep_standings.run() == 0


def test_the_sweep_versions_are_the_pages_versions(balikpapan, ruteng, people, make_inmate):
    from rutan.core import freshness

    make_inmate(balikpapan, name="Baru Masuk")
    lone = FacilityFactory(code="upt-baru")
    versions = standings.versions()
    for facility in (balikpapan, ruteng, lone):
        expected = freshness.version_key([facility.pk], standings.input_tables())
        assert versions[facility.pk] == expected
    # A facility with no change row of its own reads the facility-less sum.
    assert versions[10**9] == freshness.version_key([10**9], standings.input_tables())


def test_a_broker_outage_is_a_pending_figure_not_an_error(balikpapan, people, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.refresh_standings, "apply_async", down)
    assert standings.request_refresh(balikpapan.pk) is False
    assert standings.eligible_count(balikpapan) is None


def test_a_missing_rule_is_kept_as_the_books_problem(balikpapan, people):
    EligibilityRule.objects.filter(kind=EligibilityKind.ASIMILASI).delete()
    book = standings.refresh(balikpapan)
    assert "belum diisi" in book.problems[EligibilityKind.ASIMILASI]
    assert EligibilityKind.PEMBEBASAN_BERSYARAT not in book.problems
    with pytest.raises(eligibility.ValidationError, match="belum diisi"):
        standings.eligible_count(balikpapan)


def test_the_figure_costs_three_queries_whatever_the_size(
    balikpapan, people, django_assert_num_queries
):
    standings.refresh(balikpapan)
    with django_assert_num_queries(3):  # the book, the version, the count
        standings.eligible_count(balikpapan)


def test_dashboard_says_it_is_being_judged_and_polls(client, kepala, balikpapan, people, queued):
    client.force_login(kepala)
    body = client.get("/").content.decode()
    assert 'data-figure="asimilasi-pending"' in body
    assert "sedang dinilai ulang" in body
    assert 'hx-trigger="every 5s"' in body
    assert 'data-figure="asimilasi"' not in body
    tasks.refresh_standings.run(balikpapan.pk)
    body = client.get(f"/dasbor/upt/{balikpapan.pk}/").content.decode()
    assert 'data-figure="asimilasi"' in body and "asimilasi-pending" not in body
    assert 'hx-trigger="every 120s"' in body


def test_judge_standings_command(balikpapan, ruteng, people, capsys):
    call_command("judge_standings", "--facility", balikpapan.code)
    assert EligibilityBook.objects.filter(facility=balikpapan).exists()
    assert not EligibilityBook.objects.filter(facility=ruteng).exists()
    assert "Standings judged: 1 UPT" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nope"):
        call_command("judge_standings", "--facility", "nope")


def test_a_transferred_inmate_is_judged_where_they_are(
    balikpapan, ruteng, people, registrasi, queued
):
    standings.refresh(balikpapan)
    standings.refresh(ruteng)
    moved = next(p for p in people if p.name == "Layak Asimilasi")
    inmate_services.inmate_transfer(
        inmate=moved,
        to_facility=ruteng,
        on=ruteng.today(),
        by=registrasi,
        block=ruteng.blocks.first(),
        registration_number="BI.0901/2026",
    )
    # Both facilities' figures wait for a judgement; the new one is judged first.
    assert standings.eligible_count(balikpapan) is None
    assert standings.eligible_count(ruteng) is None
    standings.refresh(ruteng)
    standings.refresh(balikpapan)
    rows = EligibilityStanding.objects.filter(inmate=moved)
    assert rows.exists() and set(rows.values_list("facility_id", flat=True)) == {ruteng.pk}
