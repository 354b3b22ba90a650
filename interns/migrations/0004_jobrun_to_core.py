"""Move the interns app's job runs into the one core.JobRun table, then drop interns.JobRun.

Going back recreates interns.JobRun and moves the interns rows back.
"""

from django.db import migrations

KINDS = {"intern_log_auto_approve": "interns.auto_approve_logs"}


def to_core(apps, schema_editor):
    Old = apps.get_model("interns", "JobRun")
    New = apps.get_model("core", "JobRun")
    New.objects.bulk_create(
        New(
            kind=KINDS.get(old.kind, f"interns.{old.kind}"),
            started_at=old.started_at,
            finished_at=old.finished_at,
            success=old.success,
            processed=old.processed,
            detail="" if old.success is False else old.detail,
            error=old.detail if old.success is False else "",
        )
        for old in Old.objects.order_by("id").iterator()
    )


def from_core(apps, schema_editor):
    Old = apps.get_model("interns", "JobRun")
    New = apps.get_model("core", "JobRun")
    old_kinds = {kind: old for old, kind in KINDS.items()}
    rows = New.objects.filter(kind__startswith="interns.").order_by("id")
    Old.objects.bulk_create(
        Old(
            kind=old_kinds.get(new.kind, new.kind)[:60],
            started_at=new.started_at,
            finished_at=new.finished_at,
            success=new.success,
            processed=new.processed,
            detail="\n".join(text for text in (new.detail, new.error) if text),
        )
        for new in rows.iterator()
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_jobrun"),
        ("interns", "0003_activitylog_session"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(name="JobRun"),
    ]
