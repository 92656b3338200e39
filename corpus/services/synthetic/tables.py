"""Rows as tuples, written with COPY on PostgreSQL (psycopg 3) and executemany elsewhere."""

import datetime as dt
from collections import Counter

from django.db import connection


class Table:
    """One model's table: its columns, and rows as tuples in column order with the model's defaults filled in."""

    def __init__(self, model, with_pk: bool = True):
        fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False) and (with_pk or not f.primary_key)]
        self.name = model._meta.db_table
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = [None if f.primary_key or (f.has_default() and callable(f.default)) else f.get_default() for f in fields]
        self.dates = [i for i, f in enumerate(fields) if f.get_internal_type() in ("DateField", "DateTimeField")]
        self.checked = False

    def row(self, **values) -> tuple:
        if not self.checked:  # a misspelt column would otherwise be silently left at its default
            unknown = set(values) - set(self.attnames)
            assert not unknown, f"{self.name} has no column(s) {unknown}"
            self.checked = True
        return tuple(values.get(name, default) for name, default in zip(self.attnames, self.defaults, strict=True))


class Writer:
    """Appends rows to tables: COPY on PostgreSQL (psycopg 3), executemany elsewhere."""

    def __init__(self):
        self.cursor = connection.cursor()
        self.copy = connection.vendor == "postgresql"
        self.rows = Counter()

    def write(self, table: Table, rows: list[tuple]) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in table.columns)
        if self.copy:
            with self.cursor.cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            if table.dates:  # SQLite stores dates as text in Django's format
                rows = [self._adapt(table, row) for row in rows]
            placeholders = ", ".join(["%s"] * len(table.columns))
            self.cursor.executemany(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({placeholders})", rows)
        self.rows[table.name] += len(rows)

    @staticmethod
    def _adapt(table: Table, row: tuple) -> tuple:
        row = list(row)
        for i in table.dates:
            value = row[i]
            if isinstance(value, dt.datetime):
                row[i] = connection.ops.adapt_datetimefield_value(value)
            elif value is not None:
                row[i] = connection.ops.adapt_datefield_value(value)
        return tuple(row)
