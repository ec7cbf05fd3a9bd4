"""Model instances from plain statements, for the few reads made on every request of their
kind (a login's session and user, a calendar app's feed token): the ORM spends several times
longer building such a query than the database spends answering it. The instances are what
the ORM would give, with the same conversions, and fields not read are deferred."""

import functools
from collections.abc import Sequence
from typing import cast

from django.db import models


def field(model: type[models.Model], name: str) -> models.Field:
    """The concrete field `name` of `model`."""
    return cast(models.Field, model._meta.get_field(name))


def columns(model: type[models.Model], names: Sequence[str], alias: str, connection) -> str:
    """`alias.column, …` of the fields `names` of `model`, quoted for `connection`."""
    return quoted_columns(model, tuple(names), alias, connection)


@functools.lru_cache(maxsize=64)
def quoted_columns(model: type[models.Model], names: tuple[str, ...], alias: str, connection):
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field(model, name).column)}" for name in names)


def table(model: type[models.Model], connection) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def instance(model: type[models.Model], names: Sequence[str], values: Sequence, connection):
    """An instance of `model` as the database read it, from the `values` of its fields
    `names` as the driver gave them."""
    conversions, order = reading(model, tuple(names), connection)
    read = {}
    for (attname, column, converters), value in zip(conversions, values, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        read[attname] = value
    return model.from_db(connection.alias, order, [read[name] for name in order])


@functools.lru_cache(maxsize=64)
def reading(model: type[models.Model], names: tuple[str, ...], connection) -> tuple:
    """How the values of fields `names` of `model` read through `connection` become an
    instance: each field's (attname, column, the ORM's converters), and the attnames in the
    order of the model's fields, which `from_db` takes. Worked out once: half the cost of
    making the instance."""
    conversions = []
    for name in names:
        column = field(model, name).cached_col
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        conversions.append((field(model, name).attname, column, tuple(converters)))
    read = {attname for attname, _column, _converters in conversions}
    order = tuple(each.attname for each in model._meta.concrete_fields if each.attname in read)
    return tuple(conversions), order
