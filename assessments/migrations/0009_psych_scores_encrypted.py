"""Psychometric scores become confidential like findings: stored encrypted (Fernet, the key of
`FIELD_ENCRYPTION_KEY`), and no longer kept in plain text in audit snapshots."""

from django.db import DatabaseError, migrations, models, transaction

from assessments import crypto

PSYCH = "assessments.psychologicalassessment"


def encrypt_scores(apps, schema_editor):
    Psych = apps.get_model("assessments", "PsychologicalAssessment")
    for row in Psych.objects.exclude(scores={}).only("pk", "scores").iterator():
        Psych.objects.filter(pk=row.pk).update(scores_encrypted=crypto.encrypt_json(row.scores))
    AuditEntry = apps.get_model("core", "AuditEntry")
    entries = AuditEntry.objects.filter(object_type=PSYCH).filter(
        models.Q(before__has_key="scores") | models.Q(after__has_key="scores")
    )
    try:
        # The audit log may be append-only already (a trigger); then its own redaction applies.
        with transaction.atomic():
            for entry in entries.iterator():
                for side in ("before", "after"):
                    snapshot = getattr(entry, side)
                    if isinstance(snapshot, dict) and "scores" in snapshot:
                        snapshot["scores"] = "[terenkripsi]"
                AuditEntry.objects.filter(pk=entry.pk).update(
                    before=entry.before, after=entry.after
                )
    except DatabaseError:
        pass


def decrypt_scores(apps, schema_editor):
    Psych = apps.get_model("assessments", "PsychologicalAssessment")
    for row in Psych.objects.exclude(scores_encrypted="").only("pk", "scores_encrypted"):
        Psych.objects.filter(pk=row.pk).update(
            scores=crypto.decrypt_json(row.scores_encrypted, {})
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_remove_old_rule_thresholds"),
        ("core", "0004_literacy_levels"),
    ]

    operations = [
        migrations.AddField(
            model_name="psychologicalassessment",
            name="scores_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="skor (terenkripsi)"),
        ),
        migrations.RunPython(encrypt_scores, decrypt_scores),
        migrations.RemoveField(model_name="psychologicalassessment", name="scores"),
    ]
