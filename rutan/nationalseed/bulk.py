"""Loading many rows fast into the real tables: binary COPY in batches, ids taken from the
tables' own sequences, and foreign keys and indexes built once after the load.

Nothing here knows the domain: a `Loader` hands out one `Table` per model, with the columns
a seeder fills, and checks and indexes everything when it finishes.
"""

from decimal import Decimal

from django.db import connection

FLUSH_ROWS = 20_000
NUMERIC_OID = 1700


class Table:
    """Rows for one model's table, sent by COPY every FLUSH_ROWS rows.

    `columns` are attribute names (`facility_id`, not `facility`) in the order of the tuples
    given to `add` (JSON columns take Python lists and dicts); `constants` are columns with
    one value for every row (time stamps), and any other NOT NULL column gets its field's
    default or ''. With
    `ids=True` the first column is `id`, taken with `next_id()` from the table's sequence,
    so that other rows can point at a row before it is sent.
    """

    def __init__(self, model, columns: str, *, constants: dict | None = None, ids: bool = False):
        self.model = model
        self.name = model._meta.db_table
        self.columns = (["id"] if ids else []) + columns.split()
        known = {f.attname for f in model._meta.concrete_fields}
        unknown = [c for c in self.columns if c not in known]
        if unknown:
            raise ValueError(f"{self.name} has no column {', '.join(unknown)}")
        constants = {
            **self._defaults(model, [*self.columns, *(constants or {})]),
            **(constants or {}),
        }
        self._suffix = tuple(constants.values())
        names = [*self.columns, *constants]
        quoted = ", ".join(f'"{name}"' for name in names)
        self._sql = f'COPY "{self.name}" ({quoted}) FROM STDIN (FORMAT BINARY)'
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass",
                [self.name],
            )
            oids = dict(cursor.fetchall())
        self._types = [oids[name] for name in names]
        # Binary numeric wants Decimal: the positions of numeric columns (oid 1700).
        self._numeric = [i for i, oid in enumerate(self._types) if oid == NUMERIC_OID]
        self._rows: list[tuple] = []
        self.count = 0
        self._next = None
        if ids:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [self.name])
                self._next = cursor.fetchone()[0]

    @staticmethod
    def _defaults(model, named) -> dict:
        """The value of every other NOT NULL column: the field's default, or '' for a field
        that may be blank. A column with neither must be named."""
        defaults = {}
        for f in model._meta.concrete_fields:
            if f.attname in named or f.primary_key or f.null:
                continue
            if f.has_default():
                value = f.get_default()
                defaults[f.attname] = value
            elif f.blank and f.empty_strings_allowed:
                defaults[f.attname] = ""
            else:
                raise ValueError(f"{model._meta.db_table}.{f.attname} needs a value")
        return defaults

    def next_id(self) -> int:
        value = self._next
        self._next += 1
        return value

    def add(self, *values) -> None:
        self._rows.append(values + self._suffix)
        if len(self._rows) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        rows = self._rows
        if self._numeric:
            rows = [self._decimals(row) for row in rows]
        with connection.cursor() as cursor, cursor.cursor.copy(self._sql) as copy:
            copy.set_types(self._types)
            for row in rows:
                copy.write_row(row)
        self.count += len(self._rows)
        self._rows.clear()

    def _decimals(self, row: tuple) -> tuple:
        values = list(row)
        for i in self._numeric:
            if values[i] is not None:
                values[i] = Decimal(values[i])
        return tuple(values)

    def close(self) -> None:
        """Send what is left and move the sequence past the ids handed out."""
        self.flush()
        if self._next is not None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                    [self.name, self._next],
                )


class Loader:
    """The tables of one load, inside one transaction.

    A table's foreign keys, unique constraints and secondary indexes are dropped before its
    first row and built again by `finish`: during COPY PostgreSQL would check every foreign
    key and update every index row by row, and building each once is several times faster.
    Re-adding a foreign key or a unique constraint checks every row, so the loaded data is
    checked as strictly as row by row.
    """

    def __init__(self):
        self.tables: dict[type, Table] = {}
        self._restore: list[str] = []
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")

    def table(self, model, columns: str, *, constants: dict | None = None, ids: bool = False):
        table = self.tables.get(model)
        if table is None:
            self._drop_checks(model._meta.db_table)
            table = self.tables[model] = Table(model, columns, constants=constants, ids=ids)
        elif table.columns != (["id"] if ids else []) + columns.split():
            raise ValueError(f"{table.name} is already loaded with other columns")
        return table

    def _drop_checks(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY 1
                """,
                [name],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                """
                SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
                WHERE indrelid = %s::regclass AND NOT indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)
                ORDER BY 1
                """,
                [name],
            )
            indexes = cursor.fetchall()
            # Every foreign key points at a primary key, which stays.
            for constraint, definition in constraints:
                cursor.execute(f'ALTER TABLE "{name}" DROP CONSTRAINT "{constraint}"')
                self._restore.append(
                    f'ALTER TABLE "{name}" ADD CONSTRAINT "{constraint}" {definition}'
                )
            for index, definition in indexes:
                cursor.execute(f"DROP INDEX {index}")
                self._restore.insert(0, definition)

    def finish(self) -> None:
        """Send every remaining row, then build the indexes and check the constraints."""
        for table in self.tables.values():
            table.close()
        with connection.cursor() as cursor:
            for statement in self._restore:
                cursor.execute(statement)
        self._restore.clear()

    def counts(self) -> dict[str, int]:
        return {table.name: table.count for table in self.tables.values()}


def analyze(tables) -> None:
    """Fresh planner statistics, as autovacuum would leave them: pages are planned on them."""
    with connection.cursor() as cursor:
        for name in tables:
            cursor.execute(f'ANALYZE "{name}"')
