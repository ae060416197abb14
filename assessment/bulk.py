"""Inserts for many rows at once, past the ORM's work per value: only where that work is the
cost that counts (a submit's query budget, a load test's millions of made-up answers)."""

from collections.abc import Sequence
from operator import attrgetter

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Field, Model, QuerySet

BATCH = 10_000


def _insert_into(model: type[Model], fields: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        assert isinstance(field, Field)  # a column, not a reverse relation
        columns.append(quote(field.column))
    return f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)})"


def insert_rows(model: type[Model], fields: Sequence[str], objects: Sequence[object]) -> None:
    """bulk_create of plain columns from any objects with those attributes (`fields` by
    attribute name, "response_id" for a foreign key), in a few statements."""
    if not objects:
        return
    sql = f"{_insert_into(model, fields)} VALUES ({', '.join(['%s'] * len(fields))})"
    values = attrgetter(*fields)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH):
            cursor.executemany(sql, [values(row) for row in objects[start : start + BATCH]])


def insert_selected(model: type[Model], fields: Sequence[str], rows: QuerySet) -> None:
    """INSERT INTO model (fields) SELECT …: rows that go into the table without passing
    through Python, in one statement. `rows` selects exactly those columns, in that order."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # e.g. `__in` an empty list: nothing to insert
        return
    with connection.cursor() as cursor:
        cursor.execute(f"{_insert_into(model, fields)} {sql}", params)
