"""Who gets what on every route (pages, feeds, exports, the API, the admin and the staff
pages) for an anonymous visitor, an attendee, a meeting participant, staff and a superuser, on
items of every visibility. The tables below are the contract. The test walks the URL
configuration: a route without a row fails, naming it (add one), and so does a row for a route
that is gone. Writes are made as a browser makes them, CSRF token included, and a refusal must
leave the database as it was. Last, an item hidden from the caller and one that does not exist
get the same answer, byte for byte, after the same queries."""

import json
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult, get_date_max
from rest_framework.authtoken.models import Token

from agenda import seats
from agenda.history import deleted_sessions
from agenda.models import AgendaChange, FeedToken, Registration, Release, Removal, Session, Star
from agenda.publishing import publish
from common.history import history_of
from meetings.history import deleted_meetings
from meetings.models import Meeting, MeetingParticipant, MeetingTransition
from outbox.models import Email
from people.models import Person
from tests.factories import (
    PARIS,
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TrackFactory,
    TravelTimeFactory,
    UserFactory,
    VenueFactory,
)

ROLES = ("anonymous", "attendee", "participant", "staff", "superuser")
# Staff edit the programme, its people and its meetings, and read the outbox; logins, login
# attempts, API tokens and the task queue are the superuser's.
STAFF_APPS = ("agenda", "meetings", "people")
STAFF_MODELS = {"outbox.email": ("view",)}
MISSING_ID = 987654


# --- The world ------------------------------------------------------------------------------
# A summit two months ahead: a public workshop with seats, an invitation-only session, a
# cancelled one; a confidential meeting and a public one announced like a session; the EVP
# (listed), an adviser (unlisted, the participant's person) and two attendees (unlisted) with
# a seat, a star and calendar links. Each item has a name the tables below use.


@dataclass(frozen=True)
class Missing:
    """What a URL names when there is no such thing."""

    pk: int = MISSING_ID
    slug: str = "no-such-thing"
    secret: str = "no-such-secret-0123456789abcdefghijklmnopq"


@dataclass(frozen=True)
class Secret:
    """A personal feed link, by the secret in its URL."""

    secret: str


def first_day():
    """A Monday two months ahead: registrations are open and nothing is over."""
    start = timezone.localdate() + timedelta(days=60)
    return start - timedelta(days=start.weekday())


def build_world():
    monday = first_day()

    def at(day, hour, minute=0):
        return datetime.combine(monday + timedelta(days=day), time(hour, minute), tzinfo=PARIS)

    summit = SummitFactory(
        name="AI Action Summit", slug="ai", start_date=monday, end_date=monday + timedelta(1)
    )
    palais = VenueFactory(summit=summit, name="Grand Palais", slug="grand-palais")
    station_f = VenueFactory(summit=summit, name="Station F", slug="station-f")
    travel = TravelTimeFactory(origin=palais, destination=station_f, minutes=30)
    nef = RoomFactory(venue=palais, name="Nef", slug="nef", capacity=500)
    salon = RoomFactory(venue=palais, name="Salon", slug="salon", capacity=40)
    science = TrackFactory(summit=summit, name="Science", slug="science")

    attendee = UserFactory(username="attendee")
    other = UserFactory(username="other-attendee")
    participant = UserFactory(username="participant")
    staff = UserFactory(username="staff", is_staff=True)
    superuser = UserFactory(username="superuser", is_staff=True, is_superuser=True)
    programme_staff = Group.objects.create(name="Programme staff")
    programme_staff.permissions.set(
        Permission.objects.filter(content_type__app_label__in=STAFF_APPS)
        | Permission.objects.filter(content_type__app_label="outbox", codename="view_email")
    )
    staff.groups.add(programme_staff)

    evp = PersonFactory(name="Henna Virkkunen", slug="virkkunen")
    adviser = PersonFactory(name="Quiet Adviser", slug="adviser", is_public=False, user=participant)
    minister = PersonFactory(name="Minister Rossi", slug="rossi")
    delegate = PersonFactory(name="An Attendee", slug="an-attendee", is_public=False, user=attendee)
    other_delegate = PersonFactory(
        name="Another Attendee", slug="another", is_public=False, user=other
    )
    DelegationFactory(head=evp).members.add(evp)

    workshop = SessionFactory(
        summit=summit,
        room=salon,
        track=science,
        slug="workshop",
        kind="workshop",
        title="AI in health and science",
        capacity=30,
        start=at(0, 14),
        end=at(0, 15),
    )
    closed = SessionFactory(
        summit=summit,
        room=salon,
        slug="closed",
        kind="briefing",
        visibility="invitation",
        title="Closed ministerial roundtable",
        start=at(1, 12),
        end=at(1, 13),
    )
    cancelled = SessionFactory(
        summit=summit,
        room=nef,
        track=science,
        slug="energy",
        title="AI and energy",
        status="cancelled",
        start=at(1, 9),
        end=at(1, 10),
    )
    SessionRoleFactory(session=workshop, person=evp, role="speaker")
    SessionRoleFactory(session=closed, person=evp, role="chair")
    SessionRoleFactory(session=closed, person=adviser, role="participant")

    window = {"window_start": at(1, 9), "window_end": at(1, 18)}
    # The first release, before the meeting below was announced: staff may publish a second.
    release = publish(summit=summit, note="First programme", user=staff, after=0)
    confidential = MeetingFactory(
        **window,
        summit=summit,
        title="Bilateral EVP – adviser",
        status="confirmed",
        start=at(1, 15),
        end=at(1, 15, 30),
        room=salon,
    )
    MeetingParticipantFactory(meeting=confidential, person=evp)
    MeetingParticipantFactory(meeting=confidential, person=adviser, is_principal=False)
    announced = MeetingFactory(
        **window,
        summit=summit,
        title="EVP meets Minister Rossi",
        confidentiality="public",
        status="confirmed",
        start=at(1, 16),
        end=at(1, 16, 30),
        room=nef,
    )
    MeetingParticipantFactory(meeting=announced, person=evp)
    MeetingParticipantFactory(meeting=announced, person=minister)

    for user, person in ((attendee, delegate), (other, other_delegate)):
        seats.register(session=workshop, person=person, actor=user)
        seats.star(session=workshop, user=user)
    own_link, own_secret = FeedToken.issue(user=attendee, label="phone")
    old_link, old_secret = FeedToken.issue(user=attendee, label="old phone")
    old_link.revoke()
    others_link, _secret = FeedToken.issue(user=other, label="laptop")

    # A row for every other page of the admin.
    Token.objects.create(user=attendee)
    login_attempt = {
        "username": "nobody",
        "ip_address": "192.0.2.1",
        "user_agent": "curl",
        "http_accept": "*/*",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**login_attempt, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**login_attempt)
    AccessLog.objects.create(**login_attempt)
    Email.objects.create(to=["evp@example.org"], from_email="protocol@example.org", subject="Hi")
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="outbox.tasks.deliver",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )
    Removal.objects.create(kind="session", object_id=MISSING_ID, summit=summit, public=True)
    # Deleted, for the pages that recover them.
    SessionFactory(summit=summit, room=nef, slug="deleted", start=at(1, 8), end=at(1, 9)).delete()
    MeetingFactory(
        summit=summit, title="Deleted bilateral", confidentiality="confidential"
    ).delete()

    return {
        "users": {
            "attendee": attendee,
            "participant": participant,
            "staff": staff,
            "superuser": superuser,
        },
        "items": {
            "summit": summit,
            "release": release,
            "missing release": Missing(),
            "venue": palais,
            "travel time": travel,
            "room": salon,
            "track": science,
            "missing track": Missing(),
            "organisation": evp.organisation,
            "public session": workshop,
            "invitation session": closed,
            "cancelled session": cancelled,
            "missing session": Missing(),
            "listed person": evp,
            "unlisted person": adviser,
            "unlisted attendee": delegate,
            "missing person": Missing(),
            "confidential meeting": confidential,
            "announced meeting": announced,
            "missing meeting": Missing(),
            "deleted session": deleted_sessions().get(),
            "deleted meeting": deleted_meetings().get(),
            "own link": Secret(own_secret),
            "revoked link": Secret(old_secret),
            "unknown link": Secret(Missing.secret),
            "attendee's link": own_link,
            "attendee's revoked link": old_link,
            "another's link": others_link,
        },
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, rolled back at its end; each test runs inside it, in
    a transaction of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def item_named(world, name):
    """The item a row names; "-" names none."""
    if name == "-":
        return None
    if name in world["items"]:
        return world["items"][name]
    if name.startswith("missing "):
        return Missing()
    return name  # an app's label, in the admin


# --- The matrix of reads --------------------------------------------------------------------
# A row gives the answer to GET and HEAD for each role, in the order of ROLES:
#     anonymous  attendee  participant  staff  superuser
# "login" is a redirect to a login page. A route whose URL names an item has a row per item
# (the items of the world, and "missing ..." ones that do not exist); another has one row.

EVERYONE = "200 200 200 200 200"
NOBODY = "404 404 404 404 404"
ITS_PEOPLE = "404 404 200 200 200"  # its own people (participants, the person), and staff
LOGGED_IN = "login 200 200 200 200"
POST_ONLY = "405 405 405 405 405"
API_LOGGED_IN = "401 200 200 200 200"
API_WRITE_ONLY = "401 405 405 405 405"
SCHEDULERS_WRITE_ONLY = "401 403 403 405 405"  # the permission is checked before the method
STAFF_PAGE = "login login login 200 200"

SESSIONS = {
    "public session": EVERYONE,
    "invitation session": ITS_PEOPLE,
    "cancelled session": EVERYONE,
    "missing session": NOBODY,
}
PEOPLE = {"listed person": EVERYONE, "unlisted person": ITS_PEOPLE, "missing person": NOBODY}
MEETINGS = {
    "confidential meeting": ITS_PEOPLE,
    "announced meeting": EVERYONE,
    "missing meeting": NOBODY,
}


def every(row, items):
    return dict.fromkeys(items, row)


MATRIX = {
    # Pages
    "current-summit": "302 302 302 302 302",
    "agenda:home": EVERYONE,
    "agenda:programme": EVERYONE,
    "agenda:grid": EVERYONE,
    "agenda:session": SESSIONS,
    "agenda:people": EVERYONE,
    "agenda:person": PEOPLE,
    "agenda:changes": EVERYONE,
    "agenda:search": EVERYONE,
    "me": LOGGED_IN,
    "me-calendar": LOGGED_IN,
    "me-star": every(POST_ONLY, SESSIONS),
    # A GET asks before a seat or a place in line is given away.
    "me-registration": {
        "public session": LOGGED_IN,
        "invitation session": "login 404 200 200 200",
        "cancelled session": LOGGED_IN,
        "missing session": "login 404 404 404 404",
    },
    "me-meetings": LOGGED_IN,
    "me-meeting": {
        "confidential meeting": "login 404 200 200 200",
        "announced meeting": LOGGED_IN,
        "missing meeting": "login 404 404 404 404",
    },
    "me-meeting-answer": every(POST_ONLY, MEETINGS),
    # Accounts and languages
    "login": EVERYONE,
    "logout": POST_ONLY,
    "password_change": LOGGED_IN,
    "password_change_done": LOGGED_IN,
    "password_reset": EVERYONE,
    "password_reset_done": EVERYONE,
    "password_reset_confirm": EVERYONE,  # a page saying the link is not valid
    "password_reset_complete": EVERYONE,
    "set_language": "302 302 302 302 302",
    # Feeds and exports: calendars never log in, the URL is the credential.
    "programme-feed": EVERYONE,
    "session-feed": SESSIONS,
    "person-feed": {"listed person": EVERYONE, "unlisted person": NOBODY, "missing person": NOBODY},
    "track-feed": {"track": EVERYONE, "missing track": NOBODY},
    "personal-feed": {"own link": EVERYONE, "revoked link": NOBODY, "unknown link": NOBODY},
    "schedule-xml": EVERYONE,
    "schedule-json": EVERYONE,
    "changes-feed": EVERYONE,
    # The world's people have no photo; tests/people/test_photos.py shows who sees one.
    "thumbnail": every(NOBODY, PEOPLE),
    # Uploaded images (a summit's logo): public; a file that is not there is not there.
    "media": NOBODY,
    # API
    "api-root": EVERYONE,
    "api-schema": EVERYONE,
    "api-docs": EVERYONE,
    "api-me": API_LOGGED_IN,
    "api-my-stars": API_LOGGED_IN,
    "api-my-star": every(API_WRITE_ONLY, SESSIONS),
    "api-my-registrations": API_LOGGED_IN,
    "api-my-registration": every(API_WRITE_ONLY, SESSIONS),
    "summit-list": EVERYONE,
    "summit-detail": {"summit": EVERYONE, "missing summit": NOBODY},
    "venue-list": EVERYONE,
    "venue-detail": {"venue": EVERYONE, "missing venue": NOBODY},
    "traveltime-list": EVERYONE,
    "traveltime-detail": {"travel time": EVERYONE, "missing travel time": NOBODY},
    "room-list": EVERYONE,
    "room-detail": {"room": EVERYONE, "missing room": NOBODY},
    "track-list": EVERYONE,
    "track-detail": {"track": EVERYONE, "missing track": NOBODY},
    "session-list": EVERYONE,
    "session-detail": SESSIONS,
    "session-conflicts": every("405 405 405 405 405", SESSIONS),  # a POST: schedulers only,
    "removal-list": EVERYONE,
    "release-list": EVERYONE,
    "release-detail": {"release": EVERYONE, "missing release": NOBODY},
    "person-list": EVERYONE,
    "person-detail": PEOPLE,
    "organisation-list": EVERYONE,
    "organisation-detail": {"organisation": EVERYONE, "missing organisation": NOBODY},
    "meeting-list": EVERYONE,
    "meeting-detail": MEETINGS,
    "meeting-find-slots": SCHEDULERS_WRITE_ONLY,
    "meeting-propose": every(SCHEDULERS_WRITE_ONLY, MEETINGS),
    "meeting-reply": every(API_WRITE_ONLY, MEETINGS),
    "meeting-cancel": every(SCHEDULERS_WRITE_ONLY, MEETINGS),
    "meeting-slots": {
        "confidential meeting": "401 403 403 200 200",
        "announced meeting": "401 403 403 200 200",
        "missing meeting": "401 403 403 404 404",
    },
    # The admin's own pages and the staff pages in it; each model's pages follow ADMIN_MODELS.
    "admin:index": STAFF_PAGE,
    "admin:login": "200 200 200 302 302",
    # Logging out is a POST; a GET from someone not in the admin goes to its index.
    "admin:logout": "302 302 302 405 405",
    "admin:password_change": STAFF_PAGE,
    "admin:password_change_done": STAFF_PAGE,
    "admin:jsi18n": STAFF_PAGE,
    "admin:autocomplete": "login login login 403 403",  # asked without a field to complete
    "admin:view_on_site": every(
        "login login login 302 302", ["public session", "confidential meeting"]
    ),
    "admin:app_list": {
        **every(STAFF_PAGE, ["agenda", "meetings", "people", "outbox"]),
        **every(
            "login login login 404 200", ["auth", "axes", "authtoken", "django_tasks_database"]
        ),
    },
    "/admin/(?P<url>.*)$": "login login login 404 404",
    "admin:auth_user_password_change": "login login login 403 200",
    "admin:people_person_invite": STAFF_PAGE,
    "admin:agenda_summit_timetable": STAFF_PAGE,
    "admin:agenda_summit_release": STAFF_PAGE,
    # Spreadsheets: staff who may add and change import, staff who may view export; the
    # confirmation of an import is a POST only.
    "admin:agenda_session_import": STAFF_PAGE,
    "admin:agenda_session_process_import": "login login login 405 405",
    "admin:agenda_session_export": STAFF_PAGE,
    "admin:people_person_import": STAFF_PAGE,
    "admin:people_person_process_import": "login login login 405 405",
    "admin:people_person_export": STAFF_PAGE,
    "admin:meetings_meeting_suggest": {
        "confidential meeting": STAFF_PAGE,
        "missing meeting": "login login login 404 404",
    },
    "admin:agenda_session_deleted": STAFF_PAGE,
    "admin:meetings_meeting_deleted": STAFF_PAGE,
    "admin:agenda_session_restore": {
        "deleted session": STAFF_PAGE,
        "missing session": "login login login 404 404",
    },
    "admin:meetings_meeting_restore": {
        "deleted meeting": STAFF_PAGE,
        "missing meeting": "login login login 404 404",
    },
}

# What each model's admin offers beside its list, its pages and their history: adding,
# changing, deleting. Staff get what their permissions allow of it; the superuser all of it.
ALL = "add change delete"
ADMIN_MODELS = {
    "auth.group": ALL,
    "auth.user": ALL,
    "axes.accessattempt": "delete",
    "axes.accessfailurelog": "delete",
    "axes.accesslog": "delete",
    "authtoken.tokenproxy": ALL,
    "people.organisation": ALL,
    "people.person": ALL,
    "people.delegation": ALL,
    "agenda.summit": ALL,
    "agenda.venue": ALL,
    "agenda.traveltime": ALL,
    "agenda.room": ALL,
    "agenda.track": ALL,
    "agenda.session": ALL,
    "agenda.sessionrole": ALL,
    "agenda.feedtoken": "change delete",  # made by their holders; staff revoke them
    "agenda.registration": ALL,
    "agenda.agendachange": "",  # the record of attendees' time
    "agenda.release": "",  # published from the summit's page, never edited after
    "agenda.star": "delete",
    "agenda.removal": "delete",
    "meetings.meeting": ALL,
    "meetings.meetingparticipant": ALL,
    "outbox.email": "change",  # kept on record; "send again" is a change
    "django_tasks_database.dbtaskresult": "",
}
# Each page of a model's admin, and what it takes.
ADMIN_PAGES = {
    "changelist": "view",
    "change": "view",
    "history": "view",
    "add": "add",
    "delete": "delete",
}
# The models whose every edit is kept: their admins also show one version of a row.
KEEP_HISTORY = {
    "agenda.session",
    "agenda.sessionrole",
    "agenda.registration",
    "agenda.room",
    "meetings.meeting",
    "meetings.meetingparticipant",
    "people.person",
}


def staff_may(label, action):
    return label.split(".")[0] in STAFF_APPS or action in STAFF_MODELS.get(label, ())


def admin_model_rows():
    """Every model's admin pages: a login for anyone not staff, then what the admin offers,
    for staff as far as their permissions go."""
    rows = {}
    for label, offered in ADMIN_MODELS.items():
        app_label, model_name = label.split(".")
        pages = {**ADMIN_PAGES, "simple_history": "view"} if label in KEEP_HISTORY else ADMIN_PAGES
        for page, action in pages.items():
            offers = action == "view" or action in offered.split()
            staff = "200" if offers and staff_may(label, action) else "403"
            superuser = "200" if offers else "403"
            rows[f"admin:{app_label}_{model_name}_{page}"] = (
                f"login login login {staff} {superuser}"
            )
        # The old address of a change page leads to it, and the page decides.
        rows[f"/admin/{app_label}/{model_name}/<path:object_id>/"] = "login login login 302 302"
    return rows


def expected_rows():
    return {**admin_model_rows(), **MATRIX}


# --- Walking the URL configuration, and asking ------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the qualified name, or the route's text for an unnamed one
    name: str | None
    params: tuple[str, ...]
    text: str
    translated: bool  # under i18n_patterns: also served with /fr/


def routes():
    """Every route of the URL configuration, by key; the API's format suffixes (.json) share
    their route's name and are asked alike."""

    def walk(resolver, namespaces, prefix, translated):
        for pattern in resolver.url_patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                names = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                inner = translated or isinstance(pattern.pattern, LocalePrefixPattern)
                yield from walk(pattern, names, text, inner)
            else:
                name = ":".join(namespaces + (pattern.name,)) if pattern.name else None
                params = tuple(sorted(pattern.pattern.regex.groupindex))
                yield Route(name or text, name, params, text, translated)

    found = {}
    for route in walk(get_resolver(), (), "/", False):
        found.setdefault(route.key, []).append(route)
    return found


ROUTES = routes()
PLACEHOLDERS = {
    "summit": "ai",
    "uidb64": "MQ",
    "token": "set-password",
    "url": "nowhere/",
    "path": "summits/logos/none.svg",
}
ADMIN_ROUTE = re.compile(r"^/admin/(\w+)/(\w+)/")


def admin_model(route):
    """The model whose admin serves a route, if any."""
    match = ADMIN_ROUTE.match(route.text)
    for model in admin.site._registry:
        if match and (model._meta.app_label, model._meta.model_name) == match.groups():
            return model
    return None


def first_row_id(model):
    row = model.objects.order_by("pk").first()
    assert row is not None, f"the world has no {model._meta.label} for its admin pages"
    return row.pk


def kwargs_for(route, item):
    """The URL's arguments for an item; None is the first row of an admin's model."""
    found = {}
    for param in route.params:
        if param in {"pk", "session_id", "object_id", "id"}:
            model = admin_model(route)
            found[param] = first_row_id(model) if item is None and model else item.pk
        elif param == "slug":
            found[param] = item.slug
        elif param == "token" and route.name == "personal-feed":
            found[param] = item.secret
        elif param == "history_id" and item is None:  # a version of the admin's first row
            row = first_row_id(admin_model(route))
            found[param] = history_of(admin_model(route)).filter(id=row).latest().history_id
        elif param == "history_id":  # the record of a deletion
            found[param] = getattr(item, "history_id", MISSING_ID)
        elif param == "content_type_id":
            found[param] = ContentType.objects.get_for_model(item).pk
        elif param == "app_label":
            found[param] = item
        elif param == "name" and route.name == "thumbnail":
            found[param] = f"{item.slug}.jpg"
        elif param == "format":
            found[param] = "json"
        else:
            assert param in PLACEHOLDERS, f"{route.key}: what goes in its {param}?"
            found[param] = PLACEHOLDERS[param]
    return found


def urls_for(forms, item):
    """Every URL of a route for an item: with its format suffix, in French."""
    found = []
    for route in forms:
        given = kwargs_for(route, item)
        if route.name is None:  # the admin's catch-all, and its old address of change pages
            found.append(
                "/admin/" + given["url"]
                if "(?P<url>" in route.text
                else route.text.replace("<path:object_id>", str(given["object_id"]))
            )
            continue
        for language in ("en", "fr") if route.translated else ("en",):
            with translation.override(language):
                found.append(reverse(route.name, kwargs=given or None))
    return found


def outcome(response):
    """The status, or "login" for a redirect to a login page."""
    if response.status_code in {301, 302}:
        try:
            target = resolve(urlsplit(response["Location"]).path).view_name
        except Resolver404:
            target = None
        if target in {"login", "admin:login"}:
            return "login"
    return str(response.status_code)


def answers(clients, urls, methods):
    """Per role, the outcome of every URL and method when they agree, else each of them."""
    row = []
    for role in ROLES:
        seen = {
            f"{method.upper()} {url}": outcome(getattr(clients[role], method)(url))
            for url in urls
            for method in methods
        }
        agreed = set(seen.values())
        row.append(agreed.pop() if len(agreed) == 1 else str(seen))
    return " ".join(row)


@pytest.fixture
def clients(world, db):
    cache.clear()  # the API's throttles count per test
    found = {"anonymous": Client()}
    for role, user in world["users"].items():
        found[role] = Client()
        found[role].force_login(user)
    return found


def test_every_route_has_a_row_and_every_row_a_route():
    rows, walked = set(expected_rows()), set(ROUTES)
    assert sorted(walked - rows) == [], "routes without a row in the matrix: add them"
    assert sorted(rows - walked) == [], "rows of the matrix for routes that are gone"


def test_every_model_in_the_admin_has_a_row():
    # Of installed apps: a test of the RQ backend imports django_rq, which adds its dashboard
    # to the admin of the whole process though the site does not install it.
    installed = {config.label for config in django_apps.get_app_configs()}
    registered = {
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.app_label in installed
    }
    assert sorted(registered - set(ADMIN_MODELS)) == [], "admins without a row: add them"
    assert sorted(set(ADMIN_MODELS) - registered) == [], "rows for admins that are gone"


@pytest.mark.parametrize("key", sorted(set(ROUTES) & set(expected_rows())))
def test_each_route_answers_each_role_as_the_matrix_says(clients, world, key):
    forms = ROUTES[key]
    rows = expected_rows()[key]
    if isinstance(rows, str):
        rows = {"-": rows}
    # Staff use the admin in a browser, which GETs.
    methods = ("get",) if forms[0].text.startswith("/admin/") else ("get", "head")
    answered = {
        name: answers(clients, urls_for(forms, item_named(world, name)), methods) for name in rows
    }
    assert answered == rows


# --- The matrix of writes -------------------------------------------------------------------
# A browser's form, with the CSRF token of a page it was shown; the API's JSON, with the token
# in X-CSRFToken. A "*" after a status says the database changed; every role writes to the
# world as it was, not after the others.


@dataclass(frozen=True)
class Write:
    name: str
    route: str
    method: str
    body: object  # what is sent: a function of the world's items, "item" being the row's
    rows: dict


def late_on_day_two(items):
    """17:00 on the second day: free, and in the meetings' window."""
    return items["confidential meeting"].window_start + timedelta(hours=8)


WRITES = [
    Write(
        "star a session",
        "me-star",
        "post",
        lambda items: {"action": "star"},
        {
            # The attendee starred the workshop already.
            "public session": "login 302 302* 302* 302*",
            "invitation session": "login 404 302* 302* 302*",
            "cancelled session": "login 302* 302* 302* 302*",
            "missing session": "login 404 404 404 404",
        },
    ),
    Write(
        "register for a session",
        "me-registration",
        "post",
        lambda items: {},
        {
            # Registered already, the attendee keeps their seat; the others take one, and a
            # login without a person gets one (a private one).
            "public session": "login 302 302* 302* 302*",
            "invitation session": "login 404 302 302 302",  # takes no registrations
            "cancelled session": "login 302 302 302 302",
            "missing session": "login 404 404 404 404",
        },
    ),
    Write(
        "cancel a registration on its page",
        "me-registration",
        "post",
        lambda items: {"action": "cancel"},
        {
            "public session": "login 302* 302 302 302",
            "invitation session": "login 404 302 302 302",
            "missing session": "login 404 404 404 404",
        },
    ),
    Write(
        "accept a meeting on its page",
        "me-meeting-answer",
        "post",
        lambda items: {"response": "accepted"},
        {
            # Staff have no person to answer for; the attendee does not take part.
            "confidential meeting": "login 404 302* 302 302",
            "announced meeting": "login 302 302 302 302",
            "missing meeting": "login 404 404 404 404",
        },
    ),
    Write(
        "make a calendar link",
        "me-calendar",
        "post",
        lambda items: {"label": "tablet"},
        {"-": "login 302* 302* 302* 302*"},
    ),
    Write(
        "revoke the attendee's calendar link",
        "me-calendar",
        "post",
        lambda items: {"revoke": items["attendee's link"].pk},
        {"-": "login 302* 404 404 404"},
    ),
    Write(
        "star a session with the API",
        "api-my-stars",
        "post",
        lambda items: {"session": items["item"].pk},
        {
            "public session": "401 201 201* 201* 201*",
            "invitation session": "401 400 201* 201* 201*",
            "cancelled session": "401 201* 201* 201* 201*",
            "missing session": "401 400 400 400 400",
        },
    ),
    Write(
        "unstar a session with the API",
        "api-my-star",
        "delete",
        lambda items: None,
        {
            "public session": "401 204* 204 204 204",
            "invitation session": "401 404 204 204 204",
            "missing session": "401 404 404 404 404",
        },
    ),
    Write(
        "register with the API",
        "api-my-registrations",
        "post",
        lambda items: {"session": items["item"].pk},
        {
            "public session": "401 201 201* 201* 201*",
            "invitation session": "401 400 400 400 400",
            "cancelled session": "401 400 400 400 400",
            "missing session": "401 400 400 400 400",
        },
    ),
    Write(
        "cancel a registration with the API",
        "api-my-registration",
        "delete",
        lambda items: None,
        {
            "public session": "401 204* 204 204 204",
            "invitation session": "401 404 204 204 204",
            "missing session": "401 404 404 404 404",
        },
    ),
    Write(
        "accept a meeting with the API",
        "meeting-reply",
        "post",
        lambda items: {"response": "accepted"},
        {
            "confidential meeting": "401 404 200* 400 400",
            "announced meeting": "401 400 400 400 400",
            "missing meeting": "401 404 404 404 404",
        },
    ),
    Write(
        "accept a meeting for the EVP",
        "meeting-reply",
        "post",
        lambda items: {"response": "accepted", "person": items["listed person"].pk},
        {
            "confidential meeting": "401 404 403 200* 200*",
            "announced meeting": "401 403 403 200* 200*",
            "missing meeting": "401 404 404 404 404",
        },
    ),
    Write(
        "propose a time",
        "meeting-propose",
        "post",
        lambda items: {"start": late_on_day_two(items).isoformat()},
        {
            "confidential meeting": "401 403 403 200* 200*",
            "announced meeting": "401 403 403 200* 200*",
            "missing meeting": "401 403 403 404 404",
        },
    ),
    Write(
        "cancel a meeting",
        "meeting-cancel",
        "post",
        lambda items: None,
        {
            "confidential meeting": "401 403 403 200* 200*",
            "announced meeting": "401 403 403 200* 200*",
            "missing meeting": "401 403 403 404 404",
        },
    ),
    Write(
        "rename a meeting",
        "meeting-detail",
        "patch",
        lambda items: {"title": "Renamed"},
        {
            "confidential meeting": "401 403 403 200* 200*",
            "missing meeting": "401 403 403 404 404",
        },
    ),
    Write(
        "rename a session",
        "session-detail",
        "patch",
        lambda items: {"title": "Renamed"},
        {
            "public session": "401 403 403 200* 200*",
            "invitation session": "401 403 403 200* 200*",
            "missing session": "401 403 403 404 404",
        },
    ),
    Write(
        "publish a release",
        "admin:agenda_summit_release",
        "post",
        lambda items: {"note": "The meeting is announced", "after": 1},
        {"-": "login login login 302* 302*"},
    ),
    Write(
        "give a person another position",
        "person-detail",
        "patch",
        lambda items: {"position": "Envoy"},
        {
            "listed person": "401 403 403 200* 200*",
            "unlisted person": "401 403 403 200* 200*",
            "missing person": "401 403 403 404 404",
        },
    ),
]

# What an attendee, a participant or staff may change from a page or the API.
WRITABLE = [Star, Registration, AgendaChange, FeedToken, Session, Person]
WRITABLE += [Meeting, MeetingParticipant, MeetingTransition, Email, Release]


def footprint():
    return {model.__name__: list(model.objects.order_by("pk").values_list()) for model in WRITABLE}


def browser(user):
    """A client that checks CSRF tokens, and the token of a page it was shown."""
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.get(reverse("login"))
    return client, client.cookies["csrftoken"].value


def send(client, token, method, url, body):
    if url.startswith("/api/"):
        return client.generic(
            method.upper(),
            url,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
    return client.post(url, {**body, "csrfmiddlewaretoken": token})


def page_or_endpoint(key):
    """The one URL form of a route that writes (the API's, without a format suffix)."""
    [route] = [route for route in ROUTES[key] if "format" not in route.params]
    return route


@pytest.mark.parametrize("action", WRITES, ids=[action.name for action in WRITES])
def test_each_write_is_done_or_refused_as_the_matrix_says(world, db, action):
    cache.clear()
    browsers = {role: browser(world["users"].get(role)) for role in ROLES}
    route = page_or_endpoint(action.route)
    answered = {}
    for name in action.rows:
        item = item_named(world, name)
        [url, *_french] = urls_for([route], item)
        body = action.body({**world["items"], "item": item})
        row = []
        for role in ROLES:
            client, token = browsers[role]
            with transaction.atomic():
                before = footprint()
                response = send(client, token, action.method, url, body)
                written = footprint() != before
                transaction.set_rollback(True)
            row.append(outcome(response) + ("*" if written else ""))
        answered[name] = " ".join(row)
    assert answered == action.rows


# --- "No such thing" and "a thing you may not see" answer alike -------------------------------
# Each request is made twice by the same client: while the item exists, hidden from the
# caller, and once it is deleted. Both answers must be the same bytes, reached by the same
# queries, so that neither the answer nor the work behind it tells the two apart.


HIDDEN = "the hidden item"


@dataclass(frozen=True)
class Ask:
    name: str
    role: str
    method: str
    route: str
    hidden: str  # the item hidden from the caller, then deleted
    item: str | None = HIDDEN  # the item the URL names, if any
    body: object = None  # what is sent: a function of the world's items
    query: object = None  # likewise, the query string


def answer_for(person=None):
    def body(items):
        return {"response": "declined"} | ({"person": items[person].pk} if person else {})

    return body


def closed_session(items):
    return {"session": items["invitation session"].pk}


ASKS = [
    Ask("a session page", "attendee", "get", "agenda:session", "invitation session"),
    Ask("a session's feed", "attendee", "get", "session-feed", "invitation session"),
    Ask("a session in the API", "attendee", "get", "session-detail", "invitation session"),
    Ask("a star", "attendee", "post", "me-star", "invitation session", body=lambda items: {}),
    Ask(
        "a star with the API",
        "attendee",
        "post",
        "api-my-stars",
        "invitation session",
        item=None,
        body=closed_session,
    ),
    Ask(
        "a registration with the API",
        "attendee",
        "post",
        "api-my-registrations",
        "invitation session",
        item=None,
        body=closed_session,
    ),
    Ask("a person's page", "attendee", "get", "agenda:person", "unlisted person"),
    Ask("a person in the API", "attendee", "get", "person-detail", "unlisted person"),
    Ask(
        "a person's programme",
        "attendee",
        "get",
        "agenda:programme",
        "unlisted person",
        item=None,
        query=lambda items: {"person": items["unlisted person"].slug},
    ),
    Ask(
        "a person's sessions in the API",
        "attendee",
        "get",
        "session-list",
        "unlisted person",
        item=None,
        query=lambda items: {"person": items["unlisted person"].pk},
    ),
    Ask("a meeting's page", "attendee", "get", "me-meeting", "confidential meeting"),
    Ask("a meeting in the API", "attendee", "get", "meeting-detail", "confidential meeting"),
    Ask(
        "an answer on a meeting's page",
        "attendee",
        "post",
        "me-meeting-answer",
        "confidential meeting",
        body=answer_for(),
    ),
    Ask(
        "an answer with the API",
        "attendee",
        "post",
        "meeting-reply",
        "confidential meeting",
        body=answer_for(),
    ),
    Ask(
        "an answer to a public meeting for a hidden person",
        "attendee",
        "post",
        "meeting-reply",
        "unlisted person",
        item="announced meeting",
        body=answer_for("unlisted person"),
    ),
    Ask(
        "an answer to one's own meeting for a hidden person",
        "participant",
        "post",
        "meeting-reply",
        "unlisted attendee",
        item="confidential meeting",
        body=answer_for("unlisted attendee"),
    ),
    Ask(
        "revoking another's calendar link",
        "attendee",
        "post",
        "me-calendar",
        "another's link",
        item=None,
        body=lambda items: {"revoke": items["another's link"].pk},
    ),
    Ask(
        "a revoked calendar link",
        "anonymous",
        "get",
        "personal-feed",
        "attendee's revoked link",
        item="revoked link",
    ),
]

# Set aside, as they differ from one request to the next by design: the masked CSRF tokens
# in a page's forms (and so the page's ETag), the Content-Security-Policy nonce, the clock in
# the query that reads the caller's session, and the names of PostgreSQL's server-side cursors.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
NONCE = re.compile(r"nonce-[A-Za-z0-9+/=]+|nonce=\"[^\"]+\"")
MOMENT = re.compile(r"'\d{4}-\d\d-\d\d[ T][\d:.]+(\+00:00)?'")
CURSOR = re.compile(r'"_django_curs_\w+"')


def clear_caches():
    for each in caches.all():
        each.clear()


def asked(ask, world, client, token):
    """The whole answer to a request, and the queries that made it."""
    items = world["items"]
    named = ask.hidden if ask.item == HIDDEN else ask.item
    [url, *_french] = urls_for([page_or_endpoint(ask.route)], items.get(named))
    with CaptureQueriesContext(connection) as queries:
        if ask.method == "get":
            response = client.get(url, ask.query(items) if ask.query else None)
        else:
            response = send(client, token, ask.method, url, ask.body(items))
    headers = sorted(
        (name, NONCE.sub("nonce", value)) for name, value in response.items() if name != "ETag"
    )
    content = NONCE.sub("nonce", CSRF_TOKEN.sub("csrf", response.content.decode()))
    sql = [CURSOR.sub("cursor", MOMENT.sub("now", query["sql"])) for query in queries]
    return (response.status_code, headers, content), sql


@pytest.mark.parametrize("ask", ASKS, ids=[ask.name for ask in ASKS])
def test_a_hidden_item_is_answered_like_one_that_does_not_exist(world, db, ask):
    client, token = browser(world["users"].get(ask.role))
    clear_caches()  # after logging in, which may look the current summit up
    hidden = asked(ask, world, client, token)
    item = world["items"][ask.hidden]
    type(item).objects.filter(pk=item.pk).delete()
    clear_caches()  # both answers made from nothing: kept cards or events would differ
    assert asked(ask, world, client, token) == hidden
