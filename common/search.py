"""Search that ignores case and accents: `energie` finds “énergie”, `Sejourne` “Séjourné”.

Both sides are folded the same way: the text asked for in Python, the column in the database
(a function registered on each SQLite connection; `translate(lower(...))` on PostgreSQL, which
needs no extension)."""

from django.db import models
from django.db.backends.signals import connection_created
from django.db.models import Q
from django.db.models.lookups import Contains

# Letters with accents and their plain forms, one for one (as SQL's translate() takes them);
# the typographic apostrophe of French texts is the typed one.
ACCENTED = "àáâãäåāçćčèéêëēėęìíîïīñńòóôõöøōùúûüūýÿžźż’"
PLAIN = "aaaaaaaccceeeeeeeiiiiinnooooooouuuuuyyzzz'"
TABLE = str.maketrans(ACCENTED, PLAIN)
FUNCTION = "summit_fold"


def fold(text: str | None) -> str | None:
    """Lower case without accents, as the database folds its columns."""
    return None if text is None else text.lower().translate(TABLE)


class Folded(models.Func):
    function = FUNCTION
    arity = 1
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        plain = PLAIN.replace("'", "''")
        template = f"translate(lower(%(expressions)s), '{ACCENTED}', '{plain}')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def matching(columns: list[str], text: str) -> Q:
    """A condition: one of `columns` holds `text`, case and accents aside."""
    wanted = fold(text)
    condition = Q()
    for column in columns:
        condition |= Q(Contains(Folded(column), wanted))
    return condition


def register_fold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, fold, deterministic=True)


connection_created.connect(register_fold, dispatch_uid="summit-fold")
