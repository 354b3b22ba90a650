import datetime

import pytest
from django.core.exceptions import ValidationError

from interns import services
from rutan.core.models import AuditEntry
from rutan.facilities.models import FollowUpItem, FollowUpStatus
from rutan.facilities.services import followup_create, followup_update


def test_followup_create_records_source_and_audit(balikpapan, intern, make_log):
    log = make_log(intern)
    item = followup_create(
        facility=balikpapan,
        title="Menu kurang sayur",
        by=intern.user,
        source="intern_log",
        source_obj=log,
        place="Dapur",
    )
    assert item.status == FollowUpStatus.OPEN and item.created_by == intern.user
    assert (item.source_type, item.source_id) == ("interns.activitylog", str(log.pk))
    assert AuditEntry.objects.filter(object_type="facilities.followupitem", action="create")


def test_followup_create_outside_scope_or_invalid(balikpapan, kepala_ruteng, kepala):
    with pytest.raises(ValidationError, match="tidak berwenang"):
        followup_create(facility=balikpapan, title="X", by=kepala_ruteng)
    with pytest.raises(ValidationError) as exc:
        followup_create(facility=balikpapan, title="", by=kepala)
    assert "title" in exc.value.error_dict
    assert not FollowUpItem.objects.exists()


def test_followup_update_flow(balikpapan, kepala, pembina):
    item = followup_create(facility=balikpapan, title="Panel rusak", by=kepala)
    due = datetime.date(2026, 1, 15)
    item = followup_update(item=item, by=pembina, owner=pembina, due_on=due, status="in_progress")
    assert (item.owner, item.due_on, item.status) == (pembina, due, "in_progress")
    with pytest.raises(ValidationError) as exc:
        followup_update(item=item, by=pembina, status="done")
    assert "resolution" in exc.value.error_dict
    item.refresh_from_db()
    assert item.status == "in_progress" and item.done_on is None
    item = followup_update(
        item=item,
        by=pembina,
        status="done",
        resolution="MCB diganti teknisi.",
        on=datetime.date(2026, 1, 10),
    )
    assert item.done_on == datetime.date(2026, 1, 10)
    item = followup_update(item=item, by=pembina, status="open")
    assert item.done_on is None


def test_followup_update_needs_manage_permission(balikpapan, kepala, intern, kepala_ruteng):
    item = followup_create(facility=balikpapan, title="Panel rusak", by=kepala)
    for user in (intern.user, kepala_ruteng):
        with pytest.raises(ValidationError, match="tidak berwenang"):
            followup_update(item=item, by=user, status="done", resolution="x")
    item.refresh_from_db()
    assert item.status == "open"


def test_findings_are_dated_by_their_log_and_closed_on_the_facility_date(
    balikpapan, intern, kepala, make_log, settings, time_machine
):
    settings.TIME_ZONE = "UTC"
    log = make_log(intern, findings="Panel listrik Blok B rusak.")
    log = services.log_submit(log=log, by=intern.user)
    assert log.follow_up.found_on == log.on
    balikpapan.timezone = "Asia/Jayapura"
    balikpapan.save()
    # 00:30 WIT on 1 December is 15:30 UTC on 30 November.
    time_machine.move_to(datetime.datetime(2026, 11, 30, 15, 30, tzinfo=datetime.UTC), tick=False)
    item = followup_update(item=log.follow_up, by=kepala, status="done", resolution="Diganti")
    assert item.done_on == datetime.date(2026, 12, 1)
    with pytest.raises(ValidationError, match="masa depan"):
        followup_create(
            facility=balikpapan, title="Besok", by=kepala, found_on=datetime.date(2026, 12, 2)
        )
