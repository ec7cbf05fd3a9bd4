"""The corpus of hostile values, and how an answer to one is judged: never a 500, a refusal
that names the field, nothing written, nothing reflected unescaped."""

import json
import re
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.db import connection, transaction
from django.forms import BaseForm
from django.test.utils import ContextList
from django.urls import resolve

DEEP = "[" * 1000 + "]" * 1000
HOSTILE = {
    "nul": "x\x00y",
    "lone surrogate": "\ud800",
    "1 MB string": "x" * 1_000_000,
    "deep nesting": DEEP,  # spliced into JSON as raw JSON; a form sends it as text
    "object": {"$gt": ""},
    "list": [1, 2],
    "boolean": True,
    "past 64 bits": 2**70,
    "negative past 64 bits": -(2**70),
    "no offset": "2025-02-10T12:00:00",
    "no such time zone": "2025-02-10T12:00:00[Mars/Olympus_Mons]",
    "offset out of range": "2025-02-10T12:00:00+25:00",
    "html": "<script>alert(1)</script>",
    "sql": "1' OR '1'='1'; DROP TABLE agenda_session; --",
}
# Free text takes these as the text they are.
TEXT = {"no offset", "no such time zone", "offset out of range", "html", "sql"}
MARKUP = b"<script>"
FORM = "application/x-www-form-urlencoded"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")

# Rows that a refused request may still leave, by design: the session of a login and the
# record of failed logins (django-axes), which is how a lockout works.
UNWATCHED_TABLES = ("django_session", "axes_")


def json_body(body, path, name):
    """The JSON text of `body` with the hostile value `name` at `path` (keys and indexes)."""
    value = "DEEP" if name == "deep nesting" else HOSTILE[name]
    changed = json.loads(json.dumps(body))
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    text = json.dumps(changed)
    return text.replace('"DEEP"', DEEP) if name == "deep nesting" else text


def form_values(name):
    """The hostile value as a form or a query string carries it: text, a list as the field
    given twice."""
    value = HOSTILE[name]
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, dict):
        return [json.dumps(value)]
    return [str(value)]


def as_text(name):
    """The hostile value as one piece of text, for a path: a list or an object as JSON."""
    value = HOSTILE[name]
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def encoded(data):
    """Form or query encoding of `data` (a dict of lists of text); a lone surrogate travels
    as the bytes a client would send, which are not UTF-8."""
    return urlencode(
        [(key, value) for key, values in data.items() for value in values],
        errors="surrogatepass",
    )


def with_value(data, field, name):
    """Form data (a dict of lists) with the hostile value `name` in `field`."""
    return {**data, field: form_values(name)}


def stored_rows():
    """Every row of every table but UNWATCHED_TABLES: compared before and after a corpus."""
    tables = sorted(
        table
        for table in connection.introspection.django_table_names(only_existing=True)
        if not table.startswith(UNWATCHED_TABLES)
    )
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def changed_tables(before, after):
    return sorted(table for table in after if before.get(table) != after[table])


@contextmanager
def rolled_back():
    """Whatever the request writes is undone: for values a field accepts as they are."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def reflects_markup(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return MARKUP in content


def report(faults):
    """The faults found, one a line, each value cut short."""
    return "\n".join(" ".join(str(part)[:160] for part in fault) for fault in faults)


def refusal_names(response, field):
    """Whether a plain-text refusal (the middleware's, a button's) names the field."""
    return 400 <= response.status_code < 500 and f"“{field}”".encode() in response.content


FIELDS = {"input", "select", "textarea", "button"}


class FormsOnAPage(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self.open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append((method, attrs.get("action") or "", set()))
            self.open = True
        elif self.open and tag in FIELDS and attrs.get("name") not in {None, "csrfmiddlewaretoken"}:
            self.forms[-1][2].add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.open = False


def forms_on(response):
    """(method, route name, sorted field names) of every form on a page."""
    page = response.request["PATH_INFO"]
    parser = FormsOnAPage()
    parser.feed(response.content.decode())
    for method, action, names in parser.forms:
        target = action.split("?")[0] or page
        yield method, resolve(target).view_name, tuple(sorted(names))


def form_errors(response):
    """The fields named by the errors of the bound forms a page was rendered with."""
    named = set()
    contexts = response.context if isinstance(response.context, ContextList) else []
    for context in contexts:
        for layer in context.dicts:
            for value in layer.values():
                form = getattr(value, "form", value)  # a FilterSet holds its form
                if isinstance(form, BaseForm) and form.is_bound:
                    named |= set(form.errors)
    return named
