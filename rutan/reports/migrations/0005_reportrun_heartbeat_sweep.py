"""The run's heartbeat (a claim expires by it, not by the task's time limit) and the beat
entry of the sweep that re-sends stuck runs, every minute."""

from django.db import migrations, models

NAME = "Laporan: kirim ulang laporan yang macet"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={"task": "reports.sweep_stuck", "interval": schedule, "enabled": True},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_reportrun_figures"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="tanda hidup pekerja"),
        ),
        migrations.AddField(
            model_name="reportrun",
            name="job_run_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="ID jalannya tugas"),
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
