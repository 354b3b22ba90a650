"""API tokens were kept in clear by rest_framework.authtoken; they are replaced by
django-rest-knox's hashed, expiring tokens. The old table and its records go: every client
asks for a new token (with its second factor) once."""

from django.db import migrations

DROP = [
    "DROP TABLE IF EXISTS authtoken_token",
    "DELETE FROM django_migrations WHERE app = 'authtoken'",
]


def drop_clear_tokens(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in DROP:
            cursor.execute(statement)
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    # Going back does not bring clear tokens back: clients ask for new ones.
    operations = [migrations.RunPython(drop_clear_tokens, migrations.RunPython.noop)]
