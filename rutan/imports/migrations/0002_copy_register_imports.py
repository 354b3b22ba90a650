from django.db import migrations

FIELDS = [
    "facility_id", "file", "original_name", "status", "progress", "total_rows", "counts",
    "errors", "rows", "headers", "ignored_columns", "missing_columns", "language", "failure",
    "written_at", "created_at", "updated_at", "created_by_id", "updated_by_id",
]


def copy(apps, schema_editor):
    """Register imports made before imports had kinds become imports of kind "register"."""
    RegisterImport = apps.get_model("inmates", "RegisterImport")
    RegisterImportMapping = apps.get_model("inmates", "RegisterImportMapping")
    DataImport = apps.get_model("imports", "DataImport")
    ImportMapping = apps.get_model("imports", "ImportMapping")
    for old in RegisterImport.objects.all().iterator():
        new = DataImport(kind="register", **{f: getattr(old, f) for f in FIELDS})
        new.save()
        # created_at / updated_at are automatic: keep the originals.
        DataImport.objects.filter(pk=new.pk).update(
            created_at=old.created_at, updated_at=old.updated_at
        )
    for old in RegisterImportMapping.objects.all():
        ImportMapping.objects.create(
            facility_id=old.facility_id,
            kind="register",
            columns=old.columns,
            created_by_id=old.created_by_id,
            updated_by_id=old.updated_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("inmates", "0008_register_import"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
