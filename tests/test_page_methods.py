"""Every view outside the API refuses the methods no page handles: a 405, before any login.
Ours, and Django's own (the admin, the login and password pages), which would take a PUT for
a POST or a PATCH for a GET. The API answers for itself (tests/summit/test_api_errors.py)."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Made-up arguments: the method is refused before anything is looked up.
ARGUMENTS = {
    "summit": "ai",
    "slug": "panel",
    "token": "secret",
    "session_id": 1,
    "pk": 1,
    "object_id": 1,
    "content_type_id": 1,
    "id": 1,
    "uidb64": "MQ",
    "app_label": "agenda",
    "name": "photo.jpg",
    "path": "logos/logo.svg",
}
# Admin routes without a name: an item's bare address and an address it does not know.
UNNAMED = ["/admin/agenda/session/1/", "/admin/no-such-page/"]
METHODS = ["patch", "put", "delete", "options"]


def routes():
    """(name, path) of every named route outside the API."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and not route.startswith("api/"):
                name = namespace + pattern.name
                keywords = pattern.pattern.regex.groupindex or pattern.pattern.converters
                yield name, reverse(name, kwargs={key: ARGUMENTS[key] for key in keywords})

    return sorted(set(walk(get_resolver().url_patterns, "", "")))


ROUTES = routes()


def test_every_route_outside_the_api_is_walked():
    names = {name for name, _path in ROUTES}
    assert {name for name in names if not name.startswith("admin:")} == {
        "current-summit",
        "media",
        "me",
        "me-calendar",
        "me-star",
        "me-meetings",
        "me-meeting",
        "me-meeting-answer",
        "me-registration",
        "agenda:home",
        "agenda:programme",
        "agenda:grid",
        "agenda:session",
        "agenda:people",
        "agenda:person",
        "agenda:changes",
        "agenda:search",
        "changes-feed",
        "personal-feed",
        "programme-feed",
        "session-feed",
        "person-feed",
        "track-feed",
        "schedule-xml",
        "schedule-json",
        "thumbnail",
        "set_language",
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
    every_model_admin = {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
        for model in admin.site._registry
        for view in ("changelist", "add", "change", "delete", "history")
    }
    assert every_model_admin <= names
    assert {"admin:index", "admin:login", "admin:meetings_meeting_suggest"} <= names


@pytest.mark.parametrize("method", METHODS)
def test_views_refuse_methods_no_page_handles(client, staff_user, method):
    paths = [path for _name, path in ROUTES] + UNNAMED
    anonymous = {path: getattr(client, method)(path).status_code for path in paths}
    client.force_login(staff_user)  # staff reach every admin page
    staff = {path: getattr(client, method)(path).status_code for path in paths}
    assert (anonymous, staff) == (dict.fromkeys(paths, 405), dict.fromkeys(paths, 405))


def test_a_refused_method_says_which_a_page_takes(client):
    response = client.patch("/admin/agenda/session/add/")
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, POST")
