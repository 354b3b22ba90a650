import uuid

import django.utils.timezone
from django.db import migrations, models

NAME = "Inti: kirim pesan tugas yang tertunda (outbox)"


def create_schedule(apps, schema_editor):
    """Every minute."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "core.outbox_drain",
            "interval": schedule,
            "crontab": None,
            "enabled": True,
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("core", "0009_heartbeat"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("task", models.CharField(max_length=200, verbose_name="tugas")),
                ("args", models.JSONField(blank=True, default=list, verbose_name="argumen")),
                (
                    "kwargs",
                    models.JSONField(blank=True, default=dict, verbose_name="argumen bernama"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "menunggu dikirim"),
                            ("sent", "terkirim ke antrean"),
                            ("started", "sedang dikerjakan"),
                            ("done", "selesai"),
                            ("failed", "gagal"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "attempts",
                    models.PositiveIntegerField(default=0, verbose_name="percobaan kirim"),
                ),
                (
                    "next_attempt_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="kirim berikutnya"
                    ),
                ),
                (
                    "last_error",
                    models.TextField(blank=True, default="", verbose_name="galat terakhir"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="dibuat")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="diubah")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="dikirim")),
                (
                    "started_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="mulai dikerjakan"),
                ),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="selesai")),
            ],
            options={
                "verbose_name": "pesan tugas (outbox)",
                "verbose_name_plural": "pesan tugas (outbox)",
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(fields=["status", "created_at"], name="core_outbox_status")
                ],
            },
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
