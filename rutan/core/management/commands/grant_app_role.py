"""Give the application's PostgreSQL role what it needs, and no more, after `migrate`.

Run by the role that owns the tables (docker-compose's `migrate` service does):

    python manage.py grant_app_role rutan

The app role may read and write every table, but on the audit table only INSERT, SELECT
and an UPDATE of the columns the retention job redacts (the trigger of migration core/0007
still checks every such update); never DELETE or TRUNCATE. Run it after every migrate so
new tables are granted too.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from rutan.core.models import AuditEntry

REDACTABLE_COLUMNS = ["object_repr", "actor_name", "before", "after", "redacted_at"]


class Command(BaseCommand):
    help = "Grant the application's database role its privileges (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the PostgreSQL role the application connects as")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, role, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL only.")
        quote = connection.ops.quote_name
        audit = quote(AuditEntry._meta.db_table)
        with transaction.atomic(using=database), connection.cursor() as cursor:
            owner = self._table_owner(cursor)
            cursor.execute(
                "SELECT rolsuper, pg_has_role(rolname, %s, 'USAGE') "
                "FROM pg_roles WHERE rolname = %s",
                [owner, role],
            )
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"No PostgreSQL role {role!r}.")
            if row[0] or row[1]:
                raise CommandError(
                    f"Role {role!r} is a superuser or owns the tables: it could drop the audit "
                    "trigger. The application must connect as a role without either."
                )
            role_q = quote(role)
            cursor.execute(
                f"GRANT CONNECT ON DATABASE {quote(connection.settings_dict['NAME'])} TO {role_q}"
            )
            cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_q}")
            cursor.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_q}"
            )
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_q}")
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {role_q}")
            columns = ", ".join(quote(c) for c in REDACTABLE_COLUMNS)
            cursor.execute(f"GRANT UPDATE ({columns}) ON {audit} TO {role_q}")
        self.stdout.write(f"Granted {role} the application's privileges.")

    def _table_owner(self, cursor) -> str:
        cursor.execute(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = %s",
            [AuditEntry._meta.db_table],
        )
        return cursor.fetchone()[0]
