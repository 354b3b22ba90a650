import zoneinfo

from django.db import migrations, models


def backfill(apps, schema_editor):
    """Date existing findings by the facility-local day they were recorded."""
    FollowUpItem = apps.get_model("facilities", "FollowUpItem")
    for item in FollowUpItem.objects.select_related("facility").filter(found_on__isnull=True):
        tz = zoneinfo.ZoneInfo(item.facility.timezone)
        item.found_on = item.created_at.astimezone(tz).date()
        item.save(update_fields=["found_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("facilities", "0002_followup"),
    ]

    operations = [
        migrations.AddField(
            model_name="followupitem",
            name="found_on",
            field=models.DateField(
                blank=True,
                null=True,
                help_text="Kosongkan untuk hari ini di UPT.",
                verbose_name="tanggal temuan",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="followupitem",
            name="found_on",
            field=models.DateField(
                blank=True,
                help_text="Kosongkan untuk hari ini di UPT.",
                verbose_name="tanggal temuan",
            ),
        ),
    ]
