"""Fill the new audit columns of existing rows, then make the audit table append-only.

On PostgreSQL a trigger refuses TRUNCATE and every DELETE or UPDATE of core_auditentry, for
every role, owner and superuser included, except one kind of UPDATE: the retention job's
redaction. That one sets `redacted_at` (from empty, once) and changes nothing but
object_repr, actor_name, before and after, where each changed text, and each changed value
inside the JSON, becomes the redaction mark "[dianonimkan]". So history can be redacted as
the retention policy requires, never rewritten. SQLite (the embedded demo) has no trigger.
"""

from django.db import migrations

MARK = "[dianonimkan]"

FORWARD = [
    f"""
CREATE OR REPLACE FUNCTION core_audit_json_redacted(old_v jsonb, new_v jsonb)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    k text;
BEGIN
    IF old_v IS NOT DISTINCT FROM new_v THEN
        RETURN true;
    END IF;
    IF old_v IS NULL OR new_v IS NULL THEN
        RETURN false;
    END IF;
    IF new_v = to_jsonb('{MARK}'::text) THEN
        RETURN true;
    END IF;
    IF jsonb_typeof(old_v) <> 'object' OR jsonb_typeof(new_v) <> 'object' THEN
        RETURN false;
    END IF;
    IF (SELECT array_agg(x ORDER BY x) FROM jsonb_object_keys(old_v) AS x)
       IS DISTINCT FROM (SELECT array_agg(x ORDER BY x) FROM jsonb_object_keys(new_v) AS x) THEN
        RETURN false;
    END IF;
    FOR k IN SELECT jsonb_object_keys(new_v) LOOP
        IF NOT core_audit_json_redacted(old_v -> k, new_v -> k) THEN
            RETURN false;
        END IF;
    END LOOP;
    RETURN true;
END
$$;
""",
    f"""
CREATE OR REPLACE FUNCTION core_auditentry_guard()
RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    redactable constant text[] := ARRAY['object_repr', 'actor_name', 'before', 'after',
                                        'redacted_at'];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
           AND (to_jsonb(NEW) - redactable) = (to_jsonb(OLD) - redactable)
           AND (NEW.object_repr = OLD.object_repr OR NEW.object_repr = '{MARK}')
           AND (NEW.actor_name = OLD.actor_name OR NEW.actor_name = '{MARK}')
           AND core_audit_json_redacted(OLD.before, NEW.before)
           AND core_audit_json_redacted(OLD.after, NEW.after) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'core_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only a redaction to the mark {MARK} may change an audit row.';
END
$$;
""",
    """
CREATE TRIGGER core_auditentry_append_only
BEFORE UPDATE OR DELETE ON core_auditentry
FOR EACH ROW EXECUTE FUNCTION core_auditentry_guard();
""",
    """
CREATE TRIGGER core_auditentry_no_truncate
BEFORE TRUNCATE ON core_auditentry
FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_guard();
""",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
    "DROP TRIGGER IF EXISTS core_auditentry_append_only ON core_auditentry;",
    "DROP FUNCTION IF EXISTS core_auditentry_guard();",
    "DROP FUNCTION IF EXISTS core_audit_json_redacted(jsonb, jsonb);",
]


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on another database (the SQLite demo)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def fill_columns(apps, schema_editor):
    """Rows written before this keep their actor's name and say which inmate they are about."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    rows = []
    for entry in AuditEntry.objects.select_related("actor").iterator(chunk_size=500):
        if entry.actor_id:
            actor = entry.actor
            entry.actor_name = (actor.full_name or actor.get_full_name() or actor.username)[:200]
            entry.actor_username = actor.username
        if entry.object_type == "inmates.inmate" and entry.object_id.isdigit():
            entry.inmate_id = int(entry.object_id)
        else:
            for snapshot in (entry.after, entry.before):
                value = snapshot.get("inmate_id", snapshot.get("inmate")) if snapshot else None
                if isinstance(value, int):
                    entry.inmate_id = value
                    break
        rows.append(entry)
        if len(rows) == 500:
            AuditEntry.objects.bulk_update(rows, ["actor_name", "actor_username", "inmate_id"])
            rows = []
    AuditEntry.objects.bulk_update(rows, ["actor_name", "actor_username", "inmate_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_context"),
    ]

    operations = [
        migrations.RunPython(fill_columns, migrations.RunPython.noop),
        PostgreSQLOnly(FORWARD, BACKWARD),
    ]
