"""Pages, feeds and exports refuse the methods they do not handle: a 405, before any login."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Django's own views (admin, language switch, login and password pages) and the API, which
# answers for itself (tests/summit/test_api_errors.py).
NOT_OURS = ("admin/", "i18n/", "accounts/", "api/")
ARGUMENTS = {"summit": "ai", "slug": "panel", "token": "secret", "session_id": 1, "pk": 1}


def page_routes():
    """(name, path) of every route of ours outside the API, with made-up arguments: the
    method is refused before anything is looked up."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern).lstrip("^")
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and not route.startswith(NOT_OURS):
                name = namespace + pattern.name
                keywords = {key: ARGUMENTS[key] for key in pattern.pattern.converters}
                yield name, reverse(name, kwargs=keywords)

    return sorted(set(walk(get_resolver().url_patterns, "", "")))


ROUTES = page_routes()


def test_every_page_route_is_walked():
    assert {name for name, _path in ROUTES} == {
        "current-summit",
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
        "personal-feed",
        "programme-feed",
        "session-feed",
        "person-feed",
        "track-feed",
        "schedule-xml",
        "schedule-json",
    }


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
@pytest.mark.parametrize("name, path", ROUTES)
def test_pages_refuse_methods_they_do_not_handle(client, name, path, method):
    anonymous = getattr(client, method)(path).status_code
    client.force_login(UserFactory())
    logged_in = getattr(client, method)(path).status_code
    assert (anonymous, logged_in) == (405, 405)
