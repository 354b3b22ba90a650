"""Cached figures follow every write: the change triggers see ORM saves, bulk updates, raw
SQL and deletes, per facility; a national rule concerns every facility; a dashboard served
from the cache shows a new inmate as soon as it is registered."""

import pytest
from django.db import connection

from rutan.core import freshness
from rutan.core.models import FacilityChange
from rutan.facilities.models import FollowUpItem
from rutan.inmates.models import Inmate, Placement, StageRule
from tests.dashboard.test_views import _count_queries
from tests.processes import wait_until


def _version(facility):
    """What keys the facility's cached figures: its own changes and the national ones."""
    known = freshness.versions([facility.pk])
    return known.get(facility.pk, 0) + known.get(None, 0)


def test_every_watched_table_has_its_three_triggers(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table, count(*) FROM information_schema.triggers "
            "WHERE trigger_name LIKE 'rutan_changed_%%' GROUP BY event_object_table"
        )
        found = dict(cursor.fetchall())
    tables = {model._meta.db_table for model, _ in freshness.watched_models()}
    assert {"inmates_inmate", "programmes_attendance", "partners_agreement"} <= tables
    assert "core_auditentry" not in tables
    assert {table: found.get(table) for table in tables} == dict.fromkeys(tables, 3)


def test_writes_raise_the_version_of_their_facility_only(balikpapan, ruteng, make_inmate):
    inmate = make_inmate(balikpapan)
    before, other = _version(balikpapan), _version(ruteng)
    inmate.name = "Nama Lain"
    inmate.save()
    assert _version(balikpapan) > before
    assert _version(ruteng) == other
    before = _version(balikpapan)
    Inmate.objects.filter(pk=inmate.pk).update(name="Nama Ketiga")  # no signal, still seen
    assert _version(balikpapan) > before
    before = _version(balikpapan)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inmates_inmate SET name = 'Mentah' WHERE id = %s", [inmate.pk])
    assert _version(balikpapan) > before
    assert _version(ruteng) == other
    before = _version(balikpapan)
    Inmate.objects.filter(pk=-1).update(name="x")  # nothing changed, nothing to recompute
    assert _version(balikpapan) == before


def test_a_transfer_concerns_both_facilities_and_a_national_rule_every_facility(
    balikpapan, ruteng, make_inmate
):
    inmate = make_inmate(balikpapan)
    b, r = _version(balikpapan), _version(ruteng)
    Inmate.objects.filter(pk=inmate.pk).update(facility=ruteng)
    assert _version(balikpapan) > b and _version(ruteng) > r
    b, r = _version(balikpapan), _version(ruteng)
    StageRule.objects.filter(facility__isnull=True).update(legal_basis="Permenkumham")
    assert _version(balikpapan) > b and _version(ruteng) > r


def test_a_related_row_reaches_its_facility_through_its_path(balikpapan, ruteng, make_inmate):
    inmate = make_inmate(balikpapan)
    b, r = _version(balikpapan), _version(ruteng)
    Placement.objects.filter(inmate=inmate).update(start_date=inmate.admission_date)
    assert _version(balikpapan) > b and _version(ruteng) == r
    b = _version(balikpapan)
    Placement.objects.filter(inmate=inmate).delete()
    assert _version(balikpapan) > b and _version(ruteng) == r


def test_compacting_keeps_every_version(balikpapan, ruteng, make_inmate):
    for _ in range(3):
        make_inmate(balikpapan)
    make_inmate(ruteng)
    known = freshness.versions()
    by_table = freshness.versions(tables=["inmates_placement"])
    rows = FacilityChange.objects.count()
    pairs = FacilityChange.objects.values("facility_id", "source").distinct().count()
    freshness.compact()
    assert freshness.versions() == known
    assert freshness.versions(tables=["inmates_placement"]) == by_table
    assert FacilityChange.objects.count() < rows
    assert FacilityChange.objects.count() == pairs


def _vacuums() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'core_facilitychange'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_nightly_fold_vacuums_the_change_rows(balikpapan, make_inmate):
    before = _vacuums()
    make_inmate(balikpapan)
    make_inmate(balikpapan)
    known = freshness.version_key([balikpapan.pk])
    freshness.compact()
    assert freshness.version_key([balikpapan.pk]) == known
    wait_until(lambda: _vacuums() > before, 10, "VACUUM of core_facilitychange")


def test_a_figure_on_some_tables_ignores_writes_to_others(balikpapan, make_inmate):
    make_inmate(balikpapan)
    tables = ["inmates_inmate"]
    before = freshness.version_key([balikpapan.pk], tables)
    FollowUpItem.objects.create(facility=balikpapan, title="Temuan", found_on=balikpapan.today())
    assert freshness.version_key([balikpapan.pk], tables) == before
    assert freshness.version_key([balikpapan.pk]) != freshness.version_key([balikpapan.pk], tables)
    make_inmate(balikpapan)
    assert freshness.version_key([balikpapan.pk], tables) != before


def test_the_cached_dashboard_shows_a_new_inmate_at_once(
    client, kepala, balikpapan, make_inmate, django_assert_max_num_queries
):
    make_inmate(balikpapan)
    client.force_login(kepala)
    client.get("/")
    computed = _count_queries(client, "/", django_assert_max_num_queries)
    client.get("/")
    with django_assert_max_num_queries(computed - 5):
        response = client.get("/")
    assert response.context["register"]["population"].count == 1
    make_inmate(balikpapan)
    response = client.get("/")
    assert response.context["register"]["population"].count == 2


def test_another_release_does_not_reuse_cached_values(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    page = tmp_path / "templates" / "page.html"
    page.parent.mkdir()
    page.write_text("<p>{{ n }}</p>")
    first = freshness.release.__wrapped__()
    assert freshness.release.__wrapped__() == first
    page.write_text("<p>{{ n }} WBP</p>")
    assert freshness.release.__wrapped__() != first
