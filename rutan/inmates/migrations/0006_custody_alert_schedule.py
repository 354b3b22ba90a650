"""Daily beat entry for the custody alerts, just after midnight in Asia/Jakarta (17:05 UTC),
so every facility's date (WIB, WITA, WIT) has already turned when it runs."""

from django.db import migrations

NAME = "Register: peringatan masa penahanan"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="5",
        hour="17",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": "inmates.custody_alerts", "crontab": schedule, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inmates", "0005_custodyalertdigest"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
