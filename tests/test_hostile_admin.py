"""The corpus of hostile values (tests/hostile.py) sent to every form of the admin: every
model admin that adds, and the admin's own pages (inviting attendees, proposing a slot), and
to the search of every admin list. Never a 500, nothing reflected unescaped, nothing written,
and the page back with the error beside the field (or, for a slot, a message naming it).

In a form every value is text: a list is the field given twice, read as its last value; free
text and a slug take any text that is one, and a box is ticked whatever it says. A NUL is
refused by the middleware, before any form, with a 400 naming the field.

The admin's pages are slow to render and the corpus sends each form hundreds of values, so
each value is read by the form and formsets the admin's add view builds from the request,
as its `_changeform_view` does; what they take goes through the whole admin, and one post per
form puts markup in every field and reads the page that comes back."""

import logging

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import Permission
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import URLPattern, resolve, reverse
from django.utils import timezone

from agenda.admin_forms import ScheduledItemAdmin
from agenda.history import deleted_sessions
from agenda.models import Room, Venue
from meetings.history import deleted_meetings
from meetings.models import Meeting
from people.models import Organisation
from tests.factories import MeetingFactory, MeetingParticipantFactory, SessionFactory, paris
from tests.hostile import (
    DEEP,
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

NEW_PASSWORD = "Brand-new passphrase 2025"
DEEP_JSON = DEEP.encode()


@pytest.fixture(autouse=True)
def quiet_refusals():
    # Hundreds of 4xx, each logged as a warning: only server errors are worth a line.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def corpus(fast_passwords, clock, site, staff_user):
    """The `site` programme on the eve of the summit, with a meeting requested and one
    proposed to the minister: one of everything the admin adds to."""
    summit = site["summit"]
    requested = MeetingFactory(summit=summit, title="Requested bilateral")
    MeetingParticipantFactory(meeting=requested, person=site["evp"])
    proposed = MeetingFactory(
        summit=summit,
        title="Proposed bilateral",
        status=Meeting.Status.PROPOSED,
        start=paris(11, 16),
        end=paris(11, 16, 30),
    )
    MeetingParticipantFactory(meeting=proposed, person=site["minister"], response="pending")
    return {
        **site,
        "staff": staff_user,
        "requested": requested,
        "proposed": proposed,
        "venues": {venue.slug: venue for venue in Venue.objects.filter(summit=summit)},
        "rooms": {room.slug: room for room in Room.objects.filter(venue__summit=summit)},
        "commission": Organisation.objects.get(slug="ec"),
        "permission": Permission.objects.get(
            codename="view_session", content_type__app_label="agenda"
        ),
    }


# The admin: every model admin that adds, and the admin's own pages. A valid post of each
# (inline rows included); the management forms of the inlines are added to it.
def on(checked):
    return "on" if checked else ""


ADMIN_FORMS = {
    "auth.Group": lambda c: {
        "name": "Programme staff",
        "permissions": [str(c["permission"].pk)],
    },
    "auth.User": lambda c: {
        "username": "amelie",
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    },
    "authtoken.TokenProxy": lambda c: {"user": str(c["staff"].pk)},
    "people.Organisation": lambda c: {
        "name_en": "Inria",
        "name_fr": "Inria",
        "slug": "inria",
        "kind": "research",
        "country": "FR",
        "website": "https://www.inria.fr",
    },
    "people.Person": lambda c: {
        "name": "Stéphane Séjourné",
        "slug": "sejourne",
        "position_en": "Executive Vice-President",
        "position_fr": "Vice-président exécutif",
        "organisation": str(c["commission"].pk),
        "country": "FR",
        "bio_en": "Prosperity and industrial strategy.",
        "bio_fr": "Prospérité et stratégie industrielle.",
        "is_public": on(True),
        "user": "",
        "language": "fr",
        "email": "evp@example.org",
        "photo": "",  # bad uploads: tests/people/test_photos.py
    },
    "people.Delegation": lambda c: {
        "name": "French delegation",
        "slug": "france",
        "organisation": "",
        "head": str(c["minister"].pk),
        "members": [str(c["minister"].pk), str(c["evp"].pk)],
    },
    "agenda.Summit": lambda c: {
        "name_en": "AI Impact Summit",
        "name_fr": "Sommet sur l’impact de l’IA",
        "slug": "ai-2026",
        "tagline_en": "New Delhi",
        "tagline_fr": "New Delhi",
        "description_en": "The next summit.",
        "description_fr": "Le prochain sommet.",
        "city": "New Delhi",
        "start_date": "2026-02-19",
        "end_date": "2026-02-20",
        "time_zone": "Asia/Kolkata",
        "primary_colour": "#1d2b64",
        "accent_colour": "#c8102e",
        # Files: none sent (tests/agenda/test_identity.py sends hostile ones).
        "logo": "",
        "hero_image": "",
        "venues-0-name": "Bharat Mandapam",
        "venues-0-slug": "bharat-mandapam",
        "venues-0-address": "Pragati Maidan",
        "venues-0-latitude": "28.617600",
        "venues-0-longitude": "77.242500",
        "tracks-0-name": "Inclusion",
        "tracks-0-slug": "inclusion",
        "tracks-0-colour": "#336699",
        "key_people-0-position": "0",
        "key_people-0-person": str(c["evp"].pk),
    },
    "agenda.Venue": lambda c: {
        "summit": str(c["summit"].pk),
        "name_en": "Élysée Palace",
        "name_fr": "Palais de l’Élysée",
        "slug": "elysee",
        "address": "55 rue du Faubourg Saint-Honoré",
        "latitude": "48.870500",
        "longitude": "2.316900",
        "description_en": "Dinner of the heads of state.",
        "description_fr": "Dîner des chefs d’État.",
        "rooms-0-name": "Salle des fêtes",
        "rooms-0-slug": "salle-des-fetes",
        "rooms-0-capacity": "200",
        "rooms-0-position": "0",
        "travel_from-0-destination": str(c["venues"]["grand-palais"].pk),
        "travel_from-0-minutes": "10",
    },
    "agenda.TravelTime": lambda c: {
        "origin": str(c["venues"]["station-f"].pk),
        "destination": str(c["venues"]["grand-palais"].pk),
        "minutes": "30",
    },
    "agenda.Room": lambda c: {
        "venue": str(c["venues"]["grand-palais"].pk),
        "name_en": "Salon d'honneur",
        "name_fr": "Salon d’honneur",
        "slug": "salon-d-honneur",
        "capacity": "120",
        "position": "3",
    },
    "agenda.Track": lambda c: {
        "summit": str(c["summit"].pk),
        "name_en": "Culture",
        "name_fr": "Culture",
        "slug": "culture",
        "colour": "#336699",
        "description_en": "Artists and AI.",
        "description_fr": "Les artistes et l’IA.",
    },
    "agenda.Session": lambda c: {
        "summit": str(c["summit"].pk),
        "title_en": "Update on the Code of Practice",
        "title_fr": "Point sur le code de bonnes pratiques",
        "slug": "code-of-practice",
        "kind": "briefing",
        "abstract_en": "Where the code stands.",
        "abstract_fr": "Où en est le code.",
        "start_0": "2025-02-10",
        "start_1": "12:00",
        "end_0": "2025-02-10",
        "end_1": "13:00",
        "room": str(c["rooms"]["nef"].pk),
        "track": str(c["summit"].tracks.get(slug="governance").pk),
        "status": "scheduled",
        "visibility": "public",
        "capacity": "40",
        "accept_conflicts": on(False),
        "roles-0-person": str(c["evp"].pk),
        "roles-0-role": "speaker",
        "roles-0-position": "0",
    },
    "agenda.SessionRole": lambda c: {
        "session": str(c["sessions"]["visit"].pk),
        "person": str(c["minister"].pk),
        "role": "speaker",
        "position": "0",
    },
    "agenda.Registration": lambda c: {
        "session": str(c["sessions"]["health"].pk),
        "person": str(c["evp"].pk),
        "priority": on(False),
    },
    "meetings.Meeting": lambda c: {
        "summit": str(c["summit"].pk),
        "title_en": "EVP – Minister Rossi",
        "title_fr": "VPE – ministre Rossi",
        "purpose": "Apply AI Strategy.",
        "requested_by": str(c["evp"].pk),
        "confidentiality": "confidential",
        "window_start_0": "2025-02-11",
        "window_start_1": "09:00",
        "window_end_0": "2025-02-11",
        "window_end_1": "18:00",
        "duration_minutes": "30",
        "respond_by_0": "2025-02-10",
        "respond_by_1": "18:00",
        "status": "requested",
        "start_0": "",
        "start_1": "",
        "end_0": "",
        "end_1": "",
        "venue": str(c["venues"]["grand-palais"].pk),
        "room": "",
        "accept_conflicts": on(False),
        "participants-0-person": str(c["evp"].pk),
        "participants-0-side": "European Commission",
        "participants-0-is_principal": on(True),
    },
    "meetings.MeetingParticipant": lambda c: {
        "meeting": str(c["proposed"].pk),
        "person": str(c["evp"].pk),
        "side": "European Commission",
        "is_principal": on(True),
    },
}

# The admin's own pages that take a form, with a valid post.
ADMIN_PAGES = {
    "people_person_invite": (
        lambda c: reverse("admin:people_person_invite"),
        lambda c: {
            "name": "Amélie Durand",
            "email": "amelie@example.org",
            "organisation": "Inria",
            "position": "Researcher",
            "country": "FR",
        },
    ),
    "meetings_meeting_suggest": (
        lambda c: reverse("admin:meetings_meeting_suggest", args=[c["requested"].pk]),
        lambda c: {"start": "2025-02-11 16:00", "room": str(c["rooms"]["nef"].pk)},
    ),
    "agenda_summit_release": (
        lambda c: reverse("admin:agenda_summit_release", args=[c["summit"].pk]),
        lambda c: {"note": "The first programme", "after": "0"},
    ),
    # A confirmation: nothing is typed.
    "agenda_session_restore": (
        lambda c: reverse("admin:agenda_session_restore", args=[deleted_session(c)]),
        lambda c: {},
    ),
    "meetings_meeting_restore": (
        lambda c: reverse("admin:meetings_meeting_restore", args=[deleted_meeting(c)]),
        lambda c: {},
    ),
}


def deleted_session(corpus):
    """The record of a session just deleted."""
    SessionFactory(summit=corpus["summit"], room=None).delete()
    return deleted_sessions().first().history_id


def deleted_meeting(corpus):
    """The record of a meeting just deleted."""
    MeetingFactory(summit=corpus["summit"], title="Deleted bilateral").delete()
    return deleted_meetings().first().history_id


# Admin pages that post no form: the timetable editor writes through the API (its corpus
# is the API's); it answers GET and HEAD only.
ADMIN_PAGES_WITHOUT_FORMS = {
    "agenda_summit_timetable": lambda c: reverse(
        "admin:agenda_summit_timetable", args=[c["summit"].pk]
    ),
    "agenda_session_deleted": lambda c: reverse("admin:agenda_session_deleted"),
    "meetings_meeting_deleted": lambda c: reverse("admin:meetings_meeting_deleted"),
}
# The spreadsheet pages of the programme and the people: a dry run, its confirmation and the
# export (tests/agenda/test_spreadsheets.py holds their round trips and row errors).
SPREADSHEET_PAGES = {
    f"{model}_{step}"
    for model in ("agenda_session", "people_person")
    for step in ("import", "process_import", "export")
}
# Files staff might upload by mistake, or anyone hostile: none is a 500 or writes a row.
JUNK_FILES = {
    "empty": b"",
    "binary": bytes(range(256)) * 64,
    "latin-1": "name,slug\nAmélie,amélie\n".encode("latin-1"),
    "wrong columns": b"colour,smell\nred,sweet\n",
    "bad id": b"id,slug\n" + str(2**70).encode() + b",x\n",
    "json object": b'{"not": "rows"}',
    "deep json": DEEP_JSON,
    "huge": b"x" * 6_000_000,
    **{name: "\n".join(form_values(name)).encode(errors="surrogatepass") for name in HOSTILE},
}
# Fields of those pages that take a file: the hostile value is what the file holds.
ADMIN_FILES = {"people_person_invite": {"csv_file"}}
# What those pages take as it is: free text, and a time without offset, which is a time in
# the summit's zone as every time typed in the admin.
TEXT_VALUES = set(HOSTILE) - {"nul", "1 MB string"}
ADMIN_PAGE_TAKES = {
    "people_person_invite": dict.fromkeys(("name", "organisation", "position"), TEXT_VALUES),
    "meetings_meeting_suggest": {"start": {"no offset"}},
    "agenda_summit_release": {"note": TEXT_VALUES},
}
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
# Typed twice: a new password and its repetition, where Django puts the pair's errors.
ADMIN_TWINS = {"password1": "password2"}


def staff_request(corpus, data, files=None, method="post"):
    """The staff's POST of `data` (lists of text) to an admin page, as the admin reads it."""
    if method == "get":
        request = RequestFactory().get(f"/admin/?{encoded(data)}")
    elif files:
        request = RequestFactory().post("/admin/", {**data, **files})
    else:
        request = RequestFactory().post("/admin/", encoded(data), content_type=FORM)
    request.user = corpus["staff"]
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._dont_enforce_csrf_checks = True
    return request


def add_view_classes(model_admin, request):
    """The form class and the inline formset classes of an admin's add view."""
    fields = flatten_fieldsets(model_admin.get_fieldsets(request, None))
    form_class = model_admin.get_form(request, None, change=False, fields=fields)
    return form_class, list(model_admin.get_formsets_with_inlines(request))


def add_form_of(model_admin, request, classes):
    """The form and formsets the admin's add view builds from a request, as its
    `_changeform_view` does, validated."""
    form_class, formset_classes = classes
    form = form_class(request.POST, request.FILES, instance=None)
    formsets = [
        FormSet(**model_admin.get_formset_kwargs(request, form.instance, inline, prefix))
        for FormSet, inline in formset_classes
        for prefix in [FormSet.get_default_prefix()]
    ]
    form.is_valid()
    for formset in formsets:
        formset.is_valid()
    return form, formsets


def posted_names(form, formsets):
    """{name posted: name its errors go under} of every field of an add form, inline rows
    included (a date and time is posted in two parts)."""
    names = {}
    for bound in form:
        widget = getattr(bound.field.widget, "widget", bound.field.widget)
        suffixes = widget.widgets_names if isinstance(widget, MultiWidget) else [""]
        names |= {bound.html_name + suffix: bound.name for suffix in suffixes}
    for formset in formsets:
        fk = getattr(formset, "fk", None)
        for bound in formset.empty_form:
            if bound.name not in {"id", "DELETE", getattr(fk, "name", None)}:
                name = bound.html_name.replace("__prefix__", "0")
                names[name] = name
    return names


def errors_of(form, formsets):
    named = set(form.errors)
    for formset in formsets:
        for index, errors in enumerate(formset.errors):
            named |= {f"{formset.prefix}-{index}-{name}" for name in errors}
        if formset.non_form_errors():
            named.add(formset.prefix)
    return named


def kind_of(form, formsets, name):
    """How a field reads any text: "text", "slug", "ticked" (a box), "file" (not at all),
    or "strict"."""
    fields = dict(form.fields)
    for formset in formsets:
        fields |= {
            f"{formset.prefix}-0-{key}": value for key, value in formset.empty_form.fields.items()
        }
    found = fields[name]
    if isinstance(found, forms.BooleanField):
        return "ticked"
    if isinstance(found, forms.FileField):
        return "file"  # read from the request's files, never from its text
    if isinstance(found, forms.SlugField):
        return "slug"
    free = isinstance(found, forms.CharField) and not isinstance(
        found, forms.SlugField | forms.EmailField | forms.URLField | forms.RegexField
    )
    return "text" if free else "strict"


def with_management(data, formset_classes):
    """A valid post as lists of text, with the management form of each inline: one row where
    the post fills one, none otherwise."""
    data = {key: value if isinstance(value, list) else [value] for key, value in data.items()}
    for FormSet, _inline in formset_classes:
        prefix = FormSet.get_default_prefix()
        rows = int(any(key.startswith(f"{prefix}-0-") for key in data))
        management = {"TOTAL_FORMS": rows, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0}
        management["MAX_NUM_FORMS"] = 1000
        for key, value in management.items():
            data[f"{prefix}-{key}"] = [str(value)]
    return data


def zone_of(model_admin, request):
    """The zone the add view reads times in: the summit's, once the form names one."""
    if isinstance(model_admin, ScheduledItemAdmin):
        return model_admin.summit_zone(request, None) or timezone.get_current_timezone_name()
    return timezone.get_current_timezone_name()


def check_admin_add_form(client, corpus, model_admin):
    """Every field of an admin add form given every hostile value: the faults found."""
    label = model_admin.model._meta.label
    empty = staff_request(corpus, {})
    data = with_management(ADMIN_FORMS[label](corpus), add_view_classes(model_admin, empty)[1])
    url = reverse(
        f"admin:{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}_add"
    )
    with rolled_back():
        saved = client.post(url, encoded(data), content_type=FORM)
    assert saved.status_code == 302, (label, form_errors(saved))
    request = staff_request(corpus, data)
    zone = zone_of(model_admin, request)
    with timezone.override(zone):
        classes = add_view_classes(model_admin, request)
        form, formsets = add_form_of(model_admin, request, classes)
    names = posted_names(form, formsets)
    assert set(names) == {key for key in data if not key.endswith(MANAGEMENT)}, label
    faults = []
    saved_fields = set()
    before = stored_rows()
    for posted, error_key in names.items():
        kind = kind_of(form, formsets, error_key)
        twin = ADMIN_TWINS.get(posted)
        for name in HOSTILE:
            hostile = with_value(data, posted, name)
            if twin:
                hostile = with_value(hostile, twin, name)
            if name == "nul":  # refused before any form, by the middleware
                response = client.post(url, encoded(hostile), content_type=FORM)
                if not refusal_names(response, posted):
                    faults.append((label, posted, name, response.status_code))
                continue
            request = staff_request(corpus, hostile)
            # Only a hostile summit changes the zone the view reads the times in.
            with timezone.override(zone_of(model_admin, request) if posted == "summit" else zone):
                form, formsets = add_form_of(model_admin, request, classes)
            errors = errors_of(form, formsets)
            allowed = (
                kind in {"ticked", "file"}
                or name == "list"
                or (kind == "text" and name != "1 MB string")
                or (kind == "slug" and SLUG.fullmatch(form_values(name)[-1]) is not None)
            )
            if errors:
                if not {error_key, twin} & errors and not allowed:
                    faults.append((label, posted, name, f"errors on {errors}"))
                continue
            if not allowed:
                faults.append((label, posted, name, "taken"))
                continue
            if posted in saved_fields:
                continue
            saved_fields.add(posted)
            with rolled_back():  # what the form takes, the whole admin saves (once a field)
                response = client.post(url, encoded(hostile), content_type=FORM)
            if response.status_code != 302:
                faults.append((label, posted, name, response.status_code, form_errors(response)))
    if (after := stored_rows()) != before:
        faults.append((label, "written", changed_tables(before, after)))
    markup = {
        key: value if key.endswith(MANAGEMENT) else [HOSTILE["html"]] for key, value in data.items()
    }
    response = client.post(url, encoded(markup), content_type=FORM)
    if response.status_code != 200 or reflects_markup(response):
        faults.append((label, "markup everywhere", response.status_code))
    return faults


def adding_admins(corpus):
    request = staff_request(corpus, {})
    return {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request)
    }


def admin_pages():
    """The names of the admin's own pages, beside those every model admin has."""
    standard = ("_changelist", "_add", "_change", "_delete", "_history")
    return {
        pattern.name
        for model_admin in admin.site._registry.values()
        for pattern in model_admin.urls
        if isinstance(pattern, URLPattern) and pattern.name and not pattern.name.endswith(standard)
    }


def test_every_admin_form_is_in_the_corpus(corpus):
    assert set(ADMIN_FORMS) == set(adding_admins(corpus))
    assert set(ADMIN_PAGES) | set(ADMIN_PAGES_WITHOUT_FORMS) | SPREADSHEET_PAGES == admin_pages()


@pytest.mark.parametrize("label", ADMIN_PAGES_WITHOUT_FORMS)
def test_admin_pages_without_a_form_refuse_a_post(client, corpus, label):
    client.force_login(corpus["staff"])
    url = ADMIN_PAGES_WITHOUT_FORMS[label](corpus)
    assert client.get(url).status_code == 200
    assert client.post(url, {"start": "<script>"}).status_code == 405


@pytest.mark.parametrize("label", ADMIN_FORMS)
def test_admin_add_forms_refuse_hostile_values(client, corpus, label):
    client.force_login(corpus["staff"])
    faults = check_admin_add_form(client, corpus, adding_admins(corpus)[label])
    assert faults == [], report(faults)


def admin_page_forms(client, url):
    """The forms a page posts to itself (its header also holds the logout)."""
    response = client.get(url)
    assert response.status_code == 200, url
    own = resolve(url).view_name
    return {form for form in forms_on(response) if form[1] == own}


def call_admin_page(corpus, url, data, files=None):
    """An admin page's own view, on a staff request, its answer not rendered: the admin's
    pages are slow to render, and the corpus sends each of them a hundred posts."""
    request = staff_request(corpus, data, files)
    match = resolve(url)
    return request, match.func(request, *match.args, **match.kwargs)


def admin_page_fault(request, response, name_of_field):
    if response.status_code >= 500:
        return response.status_code
    if response.status_code == 302:
        return "taken"
    context = response.context_data
    form = context.get("form")
    if form is not None and name_of_field in form.errors:
        return None
    if context.get("errors"):  # the invitees a file names, refused as a whole
        return None
    said = " ".join(str(message) for message in request._messages).lower()
    return None if name_of_field in said else f"nothing names it: {said[:200]}"


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_refuse_hostile_values(client, corpus, page):
    url_of, data_of = ADMIN_PAGES[page]
    url, valid = (
        url_of(corpus),
        {key: [value] for key, value in data_of(corpus).items()},
    )
    files = ADMIN_FILES.get(page, set())
    client.force_login(corpus["staff"])
    posted = {names for method, view, names in admin_page_forms(client, url) if method == "post"}
    assert posted == {tuple(sorted({*valid, *files}))}
    with rolled_back():
        saved = client.post(url, encoded(valid), content_type=FORM)
    assert saved.status_code == 302, form_errors(saved)
    faults = []
    before = stored_rows()
    for name_of_field in [*valid, *files]:
        for name in HOSTILE:
            if name == "nul" and name_of_field not in files:  # refused by the middleware
                hostile = encoded(with_value(valid, name_of_field, name))
                response = client.post(url, hostile, content_type=FORM)
                if not refusal_names(response, name_of_field):
                    faults.append((name_of_field, name, response.status_code))
                continue
            taken = name == "list" or name in ADMIN_PAGE_TAKES.get(page, {}).get(name_of_field, ())
            with rolled_back() if taken else transaction.atomic():
                if name_of_field in files:
                    content = form_values(name)[-1].encode(errors="surrogatepass")
                    upload = {name_of_field: SimpleUploadedFile("invitees.csv", content)}
                    request, response = call_admin_page(corpus, url, valid, upload)
                else:
                    hostile = with_value(valid, name_of_field, name)
                    request, response = call_admin_page(corpus, url, hostile)
            if taken and response.status_code < 500:
                continue
            if problem := admin_page_fault(request, response, name_of_field):
                faults.append((name_of_field, name, problem))
    if (after := stored_rows()) != before:
        faults.append(("written", changed_tables(before, after)))
    assert faults == [], report(faults)


def test_admin_searches_take_any_text(corpus):
    """Every admin list searched for each hostile value (a NUL never gets that far): the
    list, and a search longer than any name said to be so."""
    answers = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.search_fields:
            continue
        for name in HOSTILE:
            if name == "nul":
                continue
            request = staff_request(corpus, {"q": form_values(name)}, method="get")
            response = model_admin.changelist_view(request)
            said = [str(message) for message in request._messages]
            answers[model._meta.label, name] = (response.status_code, said)
    too_long = ["Search for at most 200 characters."]
    assert answers == {
        (label, name): (200, too_long if len(form_values(name)[-1]) > 200 else [])
        for label, name in answers
    }


@pytest.mark.parametrize("model", ["agenda_session", "people_person"])
def test_spreadsheet_pages_refuse_junk_files_and_values(client, corpus, model):
    client.force_login(corpus["staff"])
    faults = []
    before = stored_rows()
    for name, content in JUNK_FILES.items():
        for format_index in ("0", "1", "2"):
            upload = SimpleUploadedFile(f"{name}.csv", content)
            response = client.post(
                reverse(f"admin:{model}_import"),
                {"resource": "0", "format": format_index, "import_file": upload},
            )
            if response.status_code != 200 or "confirm_form" in response.context:
                faults.append(("import", name, format_index, response.status_code))
    valid = {
        "import_file_name": "0" * 32,
        "original_file_name": "x.csv",
        "format": "0",
        "resource": "0",
    }
    for field in valid:
        for name in HOSTILE:
            if name == "nul":
                continue
            response = client.post(
                reverse(f"admin:{model}_process_import"),
                encoded(with_value({key: [value] for key, value in valid.items()}, field, name)),
                content_type=FORM,
            )
            if response.status_code != 302:
                faults.append(("process_import", field, name, response.status_code))
    for field in ("format", "resource"):
        for name in HOSTILE:
            if name == "nul":
                continue
            response = client.post(
                reverse(f"admin:{model}_export"),
                encoded(with_value({"format": ["0"], "resource": ["0"]}, field, name)),
                content_type=FORM,
            )
            if response.status_code >= 500:
                faults.append(("export", field, name, response.status_code))
    if (after := stored_rows()) != before:
        faults.append(("written", changed_tables(before, after)))
    assert faults == [], report(faults)
