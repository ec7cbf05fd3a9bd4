"""The corpus of hostile values (tests/hostile.py) sent to every form of the site and to the
filters of the pages that list: never a 500, nothing reflected unescaped, nothing written,
and a refusal that names the field. The admin's forms: tests/test_hostile_admin.py.

A form names the field the way a person reads it: the page comes back (200) with the error
beside the field. The buttons a page generates (star, register, answer, the language
switch) only ever post known values, so another value is a 400 whose text names the field,
as is a NUL anywhere (the middleware refuses it before any form). In a form every value is
text: a list is the field given twice, which Django reads as its last value, and a lone
surrogate arrives as U+FFFD; free text takes such values as the text they are, and a return
address (`next`) that is not a page of the site is ignored. A value a field may take is sent
in a transaction that is rolled back.

The forms are found on the pages themselves: every page is read as a visitor, an attendee
and staff, and a form (or a field) that the corpus does not cover fails
`test_every_form_of_the_site_is_in_the_corpus`."""

import copy
import logging
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agenda.models import FeedToken, Room, Venue
from meetings.models import Meeting
from tests.factories import MeetingFactory, MeetingParticipantFactory, paris
from tests.hostile import (
    FORM,
    HOSTILE,
    SLUG,
    changed_tables,
    encoded,
    form_errors,
    form_values,
    forms_on,
    reflects_markup,
    refusal_names,
    report,
    rolled_back,
    stored_rows,
    with_value,
)

pytestmark = pytest.mark.django_db

ATTENDEE_PASSWORD = "pw-attendee-123"  # tests.factories.UserFactory's
NEW_PASSWORD = "Brand-new passphrase 2025"


@pytest.fixture(autouse=True)
def quiet_refusals():
    # Hundreds of 4xx, each logged as a warning: only server errors are worth a line.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def corpus(fast_passwords, clock, settings, site, staff_user):
    """The `site` programme on the eve of the summit; the minister (an attendee with a
    login) has a calendar link and a proposed meeting to answer."""
    # A lockout after five wrong passwords is the login's answer to a flood, tested apart.
    settings.AXES_FAILURE_LIMIT = 10_000
    attendee = site["minister"].user
    token, _secret = FeedToken.issue(user=attendee, label="Phone")
    proposed = MeetingFactory(
        summit=site["summit"],
        title="Proposed bilateral",
        status=Meeting.Status.PROPOSED,
        start=paris(11, 16),
        end=paris(11, 16, 30),
    )
    MeetingParticipantFactory(meeting=proposed, person=site["minister"], response="pending")
    summit = site["summit"]
    return {
        **site,
        "staff": staff_user,
        "attendee": attendee,
        "token": token,
        "proposed": proposed,
        "secret": Meeting.objects.get(title="SECRET-BILATERAL"),
        "venues": {venue.slug: venue for venue in Venue.objects.filter(summit=summit)},
        "rooms": {room.slug: room for room in Room.objects.filter(venue__summit=summit)},
        "uidb64": urlsafe_base64_encode(force_bytes(attendee.pk)),
        "reset_token": default_token_generator.make_token(attendee),
    }


# Every page of ours, with real arguments: where the forms are found.
PAGES = {
    "current-summit": lambda c: {},
    "agenda:home": lambda c: {"summit": "ai"},
    "agenda:programme": lambda c: {"summit": "ai"},
    "agenda:grid": lambda c: {"summit": "ai"},
    "agenda:session": lambda c: {"summit": "ai", "slug": "health"},
    "agenda:people": lambda c: {"summit": "ai"},
    "agenda:person": lambda c: {"summit": "ai", "slug": "virkkunen"},
    "agenda:changes": lambda c: {"summit": "ai"},
    "agenda:search": lambda c: {"summit": "ai"},
    "me": lambda c: {},
    "me-calendar": lambda c: {},
    "me-star": lambda c: {"session_id": c["sessions"]["panel"].pk},
    "me-registration": lambda c: {"session_id": c["sessions"]["health"].pk},
    "me-meetings": lambda c: {},
    "me-meeting": lambda c: {"pk": c["proposed"].pk},
    "me-meeting-answer": lambda c: {"pk": c["proposed"].pk},
    "login": lambda c: {},
    "logout": lambda c: {},
    "password_change": lambda c: {},
    "password_change_done": lambda c: {},
    "password_reset": lambda c: {},
    "password_reset_done": lambda c: {},
    "password_reset_confirm": lambda c: {"uidb64": c["uidb64"], "token": c["reset_token"]},
    "password_reset_complete": lambda c: {},
    "set_language": lambda c: {},
    "personal-feed": lambda c: {"token": "no-such-token"},
    "programme-feed": lambda c: {"summit": "ai"},
    "session-feed": lambda c: {"summit": "ai", "slug": "panel"},
    "person-feed": lambda c: {"summit": "ai", "slug": "virkkunen"},
    "track-feed": lambda c: {"summit": "ai", "slug": "governance"},
    "schedule-xml": lambda c: {"summit": "ai"},
    "schedule-json": lambda c: {"summit": "ai"},
    "changes-feed": lambda c: {"summit": "ai"},
    "thumbnail": lambda c: {"name": "virkkunen.jpg"},
    "media": lambda c: {"path": "logos/none.svg"},
}


# The admin's own login, the one page of the admin a visitor reaches (staff are sent on).
ADMIN_LOGIN = {"admin:login": lambda c: {}}


def page_routes():
    """The names of every route outside the admin and the API."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and not route.startswith(("admin/", "api/")):
                yield namespace + pattern.name

    return set(walk(get_resolver().url_patterns, "", ""))


@dataclass
class PageForm:
    """A form of the site: who posts it, where, a valid post, and how its fields read."""

    user: str | None
    url: object  # corpus -> path
    data: object  # corpus -> {field: value}
    text: set = field(default_factory=set)  # free text
    hints: set = field(default_factory=set)  # ignored when not a page of the site
    # Errors that name a field where the form cannot say which (a wrong login names both).
    names: dict = field(default_factory=dict)
    twins: dict = field(default_factory=dict)  # typed twice: a password and its repetition
    slugs: set = field(default_factory=set)  # a well-formed slug that names nothing finds nothing
    not_found: set = field(default_factory=set)  # refused as not there at all (a 404)
    visit: object = None  # corpus -> path read first (a reset link puts its token in the session)


def reset_form(c):
    return reverse("password_reset_confirm", args=[c["uidb64"], "set-password"])


SITE_FORMS = {
    ("post", "me-star", ("action", "next")): PageForm(
        user="attendee",
        url=lambda c: reverse("me-star", args=[c["sessions"]["panel"].pk]),
        data=lambda c: {"action": "star", "next": "/ai/programme/"},
        hints={"next"},
    ),
    ("post", "me-registration", ("action", "next")): PageForm(
        user="attendee",
        url=lambda c: reverse("me-registration", args=[c["sessions"]["health"].pk]),
        data=lambda c: {"action": "register", "next": "/ai/sessions/health/"},
        hints={"next"},
    ),
    ("post", "me-calendar", ("label",)): PageForm(
        user="attendee",
        url=lambda c: reverse("me-calendar"),
        data=lambda c: {"label": "Tablet"},
        text={"label"},
    ),
    ("post", "me-calendar", ("revoke",)): PageForm(
        user="attendee",
        url=lambda c: reverse("me-calendar"),
        data=lambda c: {"revoke": str(c["token"].pk)},
        # Someone else's link, or none: not found, with no hint of which.
        not_found={"revoke"},
    ),
    ("post", "me-meeting-answer", ("response",)): PageForm(
        user="attendee",
        url=lambda c: reverse("me-meeting-answer", args=[c["proposed"].pk]),
        data=lambda c: {"response": "accepted"},
    ),
    ("post", "login", ("next", "password", "username")): PageForm(
        user=None,
        url=lambda c: reverse("login"),
        data=lambda c: {"username": "rossi", "password": ATTENDEE_PASSWORD, "next": "/me/"},
        text={"username", "password"},
        hints={"next"},
        names={"username": {"__all__"}, "password": {"__all__"}},
    ),
    ("post", "admin:login", ("next", "password", "username")): PageForm(
        user=None,
        url=lambda c: reverse("admin:login"),
        data=lambda c: {"username": "staffer", "password": "pw-staffer-123", "next": "/admin/"},
        text={"username", "password"},
        hints={"next"},
        names={"username": {"__all__"}, "password": {"__all__"}},
    ),
    ("post", "logout", ()): PageForm(
        user="attendee", url=lambda c: reverse("logout"), data=lambda c: {}
    ),
    ("post", "password_reset", ("email",)): PageForm(
        user=None,
        url=lambda c: reverse("password_reset"),
        data=lambda c: {"email": "rossi@example.org"},
    ),
    ("post", "password_reset_confirm", ("new_password1", "new_password2")): PageForm(
        user=None,
        url=reset_form,
        data=lambda c: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        text={"new_password1", "new_password2"},
        twins={"new_password1": "new_password2"},
        names={"new_password1": {"new_password2"}},  # Django's place for the pair's errors
        visit=lambda c: reverse("password_reset_confirm", args=[c["uidb64"], c["reset_token"]]),
    ),
    ("post", "password_change", ("new_password1", "new_password2", "old_password")): PageForm(
        user="attendee",
        url=lambda c: reverse("password_change"),
        data=lambda c: {
            "old_password": ATTENDEE_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        text={"old_password", "new_password1", "new_password2"},
        twins={"new_password1": "new_password2"},
        names={"new_password1": {"new_password2"}},
    ),
}
# Endpoints that take a form no page shows any more: Django's language switch, kept for the
# links and forms elsewhere that post to it (the header's switch is plain links now).
FORMS_OF_NO_PAGE = {
    ("post", "set_language", ("language", "next")): PageForm(
        user=None,
        url=lambda c: reverse("set_language"),
        data=lambda c: {"language": "fr", "next": "/ai/"},
        hints={"next"},
    ),
}

# The filters of the pages that list, in their forms and in their links.
PAGE_FILTERS = {
    ("get", "agenda:programme", ("day", "kind", "person", "q", "track", "venue")): PageForm(
        user="attendee",
        url=lambda c: reverse("agenda:programme", args=["ai"]),
        data=lambda c: {"day": "2025-02-10", "kind": "panel", "q": "governance"},
        text={"q"},
    ),
    ("get", "agenda:people", ("country", "name", "organisation")): PageForm(
        user="attendee",
        url=lambda c: reverse("agenda:people", args=["ai"]),
        data=lambda c: {"organisation": "ec", "country": "FI", "name": "virk"},
        slugs={"organisation"},
        text={"name"},
    ),
    # The header's search box and the search page's own form.
    ("get", "agenda:search", ("q",)): PageForm(
        user="attendee",
        url=lambda c: reverse("agenda:search", args=["ai"]),
        data=lambda c: {"q": "energy"},
        text={"q"},
    ),
}
LINK_PARAMETERS = {
    # A day the summit does not have shows its first; a page past the end, the last one.
    ("get", "agenda:grid", ("day",)): PageForm(
        user="attendee",
        url=lambda c: reverse("agenda:grid", args=["ai"]),
        data=lambda c: {"day": "2025-02-11"},
        hints={"day"},
    ),
    ("get", "agenda:people", ("page",)): PageForm(
        user="attendee",
        url=lambda c: reverse("agenda:people", args=["ai"]),
        data=lambda c: {"page": "1"},
        hints={"page"},
    ),
    # Feeds speak English unless asked for a language they speak.
    ("get", "programme-feed", ("lang",)): PageForm(
        user=None,
        url=lambda c: reverse("programme-feed", args=["ai"]),
        data=lambda c: {"lang": "fr"},
        hints={"lang"},
    ),
}


def users(corpus):
    return {None: None, "attendee": corpus["attendee"], "staff": corpus["staff"]}


def client_for(django_client, corpus, spec):
    django_client.logout()
    if spec.user is not None:
        django_client.force_login(users(corpus)[spec.user])
    if spec.visit is not None:
        django_client.get(spec.visit(corpus), follow=True)
    return django_client


def test_every_form_of_the_site_is_in_the_corpus(client, corpus):
    assert set(PAGES) == page_routes()
    found = set()
    for user in users(corpus).values():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name, arguments in {**PAGES, **(ADMIN_LOGIN if user is None else {})}.items():
            response = client.get(reverse(name, kwargs=arguments(corpus)), follow=True)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                found |= set(forms_on(response))
    assert found == set(SITE_FORMS) | set(PAGE_FILTERS)
    for (_method, _name, names), spec in {**SITE_FORMS, **PAGE_FILTERS}.items():
        assert set(spec.data(corpus)) <= set(names), names
    for (_method, _name, names), spec in LINK_PARAMETERS.items():
        assert set(spec.data(corpus)) == set(names), names


def allowed_in_form(spec, name_of_field, name):
    """Whether the field may take the hostile value `name` as its text."""
    if name == "nul":
        return False
    if name_of_field in spec.hints or name == "list":
        return True  # ignored; or read as its last value, which may be anything
    if name_of_field in spec.slugs:
        return SLUG.fullmatch(form_values(name)[-1]) is not None and name != "1 MB string"
    return name_of_field in spec.text and name != "1 MB string"


def page_fault(response, spec, name_of_field, allowed):
    """What is wrong with a page's answer to a hostile value, or None."""
    status = response.status_code
    if status >= 500 or reflects_markup(response) or "<script" in response.get("Location", ""):
        return f"{status} {response.content[:200]!r}"
    if allowed or (status == 404 and name_of_field in spec.not_found):
        return None
    named = form_errors(response) & ({name_of_field} | spec.names.get(name_of_field, set()))
    if status == 200:
        return None if named else f"200 with errors on {form_errors(response)}"
    if 400 <= status < 500:
        said = named or refusal_names(response, name_of_field)
        return None if said else f"{status} does not name it: {response.content[:200]!r}"
    return f"{status}: taken"


def send(django_client, method, url, data):
    if method == "get":
        return django_client.get(f"{url}?{encoded(data)}")
    return django_client.post(url, encoded(data), content_type=FORM)


def check_form(django_client, corpus, key, spec):
    """Every field of one form given every hostile value: the faults found."""
    method, _name, names = key
    data = {name: [value] for name, value in spec.data(corpus).items()}
    django_client = client_for(django_client, corpus, spec)
    cookies = copy.deepcopy(django_client.cookies)
    url = spec.url(corpus)
    with rolled_back():
        response = send(django_client, method, url, data)
    assert response.status_code in {200, 302}, (key, response.status_code)
    assert not response.get("Location", "").startswith("/accounts/login/"), key
    assert not form_errors(response), (key, form_errors(response))
    django_client.cookies = copy.deepcopy(cookies)
    faults = []
    for name_of_field in names:
        before = stored_rows()
        for name in HOSTILE:
            hostile = with_value(data, name_of_field, name)
            if twin := spec.twins.get(name_of_field):
                hostile = with_value(hostile, twin, name)
            allowed = allowed_in_form(spec, name_of_field, name)
            with rolled_back() if allowed else transaction.atomic():
                response = send(django_client, method, url, hostile)
            if problem := page_fault(response, spec, name_of_field, allowed):
                faults.append((key[1], name_of_field, name, problem))
            if allowed:  # a new password or a logout, rolled back, left a cookie behind
                django_client.cookies = copy.deepcopy(cookies)
        if method == "post" and (after := stored_rows()) != before:
            faults.append((key[1], name_of_field, "written", changed_tables(before, after)))
    return faults


@pytest.mark.parametrize(
    "key", {**SITE_FORMS, **FORMS_OF_NO_PAGE}, ids=lambda key: f"{key[1]}-{'-'.join(key[2])}"
)
def test_site_forms_refuse_hostile_values(client, corpus, key):
    faults = check_form(client, corpus, key, {**SITE_FORMS, **FORMS_OF_NO_PAGE}[key])
    assert faults == [], report(faults)


def test_page_filters_refuse_hostile_values(client, corpus):
    faults = []
    for key, spec in {**PAGE_FILTERS, **LINK_PARAMETERS}.items():
        faults += check_form(client, corpus, key, spec)
    assert faults == [], report(faults)
