"""Daily Celery beat entries: expire agreements past their end and send expiry alerts.

17:10 UTC is just after midnight in Asia/Jakarta (and later in WITA and WIT), so every
facility's "today" has already turned when the jobs run. Idempotent both ways.
"""

from django.db import migrations

TASKS = [
    ("Mitra: akhiri perjanjian yang lewat masa berlaku", "partners.expire_agreements", "10"),
    ("Mitra: peringatan perjanjian hampir berakhir", "partners.send_expiry_alerts", "20"),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour="17",
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="UTC",
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": schedule, "enabled": True}
        )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
