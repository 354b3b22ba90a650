"""Move the reports app's job runs into the one core.JobRun table, then drop reports.JobRun.

Going back recreates reports.JobRun and moves the reports rows back (without the link to
the report run, which core does not keep).
"""

from django.db import migrations

KINDS = {
    "monthly_batch": "reports.monthly_batch",
    "facility_report": "reports.facility_report",
    "regional_report": "reports.regional_report",
}


def to_core(apps, schema_editor):
    Old = apps.get_model("reports", "JobRun")
    New = apps.get_model("core", "JobRun")
    New.objects.bulk_create(
        New(
            kind=KINDS.get(old.job_type, f"reports.{old.job_type}"),
            started_at=old.started_at,
            finished_at=old.finished_at,
            success=old.success,
            processed=1 if old.success and old.job_type != "monthly_batch" else 0,
            detail=old.detail,
            facility_id=old.facility_id,
            regional_office_id=old.regional_office_id,
        )
        for old in Old.objects.order_by("id").iterator()
    )


def from_core(apps, schema_editor):
    Old = apps.get_model("reports", "JobRun")
    New = apps.get_model("core", "JobRun")
    Facility = apps.get_model("facilities", "Facility")
    RegionalOffice = apps.get_model("facilities", "RegionalOffice")
    facilities = set(Facility.objects.values_list("id", flat=True))
    regions = set(RegionalOffice.objects.values_list("id", flat=True))
    job_types = {kind: job_type for job_type, kind in KINDS.items()}
    rows = New.objects.filter(kind__in=job_types).order_by("id")
    Old.objects.bulk_create(
        Old(
            job_type=job_types[new.kind],
            started_at=new.started_at,
            finished_at=new.finished_at,
            success=new.success,
            detail="\n".join(text for text in (new.detail, new.error) if text),
            facility_id=new.facility_id if new.facility_id in facilities else None,
            regional_office_id=new.regional_office_id
            if new.regional_office_id in regions
            else None,
        )
        for new in rows.iterator()
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_jobrun"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(name="JobRun"),
    ]
