"""Model instances from plain statements, for the few reads made on every request of their
kind (a login's session and user, a calendar app's feed token): the ORM spends several times
longer building such a query than the database spends answering it. The instances are what
the ORM would give, with the same conversions, and fields not read are deferred."""

from collections.abc import Sequence
from typing import cast

from django.db import models


def field(model: type[models.Model], name: str) -> models.Field:
    """The concrete field `name` of `model`."""
    return cast(models.Field, model._meta.get_field(name))


def columns(model: type[models.Model], names: Sequence[str], alias: str, connection) -> str:
    """`alias.column, …` of the fields `names` of `model`, quoted for `connection`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field(model, name).column)}" for name in names)


def table(model: type[models.Model], connection) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def instance(model: type[models.Model], names: Sequence[str], values: Sequence, connection):
    """An instance of `model` as the database read it, from the `values` of its fields
    `names` as the driver gave them."""
    meta = model._meta
    read = {}
    for name, value in zip(names, values, strict=True):
        column = field(model, name).cached_col
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            value = convert(value, column, connection)
        read[field(model, name).attname] = value
    # `from_db` takes the values in the order of the model's fields.
    attnames = [each.attname for each in meta.concrete_fields if each.attname in read]
    return model.from_db(connection.alias, attnames, [read[name] for name in attnames])
