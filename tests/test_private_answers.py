"""Pages and API answers with one person's data or a new secret are never stored by a
browser or a proxy; personal calendar feeds keep revalidating with their ETag."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from agenda.models import FeedToken
from tests.api_helpers import api
from tests.factories import MeetingParticipantFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PRIVATE = "no-store, private"


def private_routes():
    """The names of every route under /me/ and /api/v1/me/."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith(("me/", "api/v1/me/")):
                yield pattern.name

    return set(walk(get_resolver().url_patterns, ""))


def cache_control(response):
    return ", ".join(sorted(part.strip() for part in response["Cache-Control"].split(",")))


@pytest.fixture
def attendee(site):
    user = UserFactory(username="amelie")
    PersonFactory(name="Amélie Durand", user=user, is_public=False)
    return user


@pytest.fixture
def pages(site, attendee):
    """(route name, method, path) of every private page, as the attendee sees it."""
    panel = site["sessions"]["panel"]
    meeting = site["evp"].meetings.get()
    MeetingParticipantFactory(meeting=meeting, person=attendee.person)
    pk = meeting.pk
    return [
        ("me", "get", "/me/"),
        ("me", "get", "/fr/me/"),
        ("me-calendar", "get", "/me/calendar/"),
        ("me-calendar", "post", "/me/calendar/"),
        ("me-star", "post", f"/me/stars/{panel.pk}/"),
        ("me-registration", "post", f"/me/registrations/{panel.pk}/"),
        ("me-meetings", "get", "/me/meetings/"),
        ("me-meeting", "get", f"/me/meetings/{pk}/"),
        ("me-meeting-answer", "post", f"/me/meetings/{pk}/answer/"),
    ]


API = [
    ("api-me", "get", "/api/v1/me/"),
    ("api-my-stars", "get", "/api/v1/me/stars/"),
    ("api-my-star", "delete", "/api/v1/me/stars/{panel}/"),
    ("api-my-registrations", "get", "/api/v1/me/registrations/"),
    ("api-my-registration", "delete", "/api/v1/me/registrations/{panel}/"),
]


def test_every_private_route_is_checked(pages):
    assert {name for name, _method, _path in pages + API} == private_routes()


# What a page's own form would post, where a post without it is refused.
POSTED = {"me-meeting-answer": {"response": "accepted"}}


def test_private_pages_are_not_stored(client, pages, attendee):
    client.force_login(attendee)
    answers = {
        (method, path): getattr(client, method)(path, POSTED.get(name, {}))
        for name, method, path in pages
    }
    assert {key: (r.status_code < 400, cache_control(r)) for key, r in answers.items()} == {
        (method, path): (True, PRIVATE) for _name, method, path in pages
    }


def test_the_page_showing_a_new_calendar_secret_is_not_stored(client, attendee):
    client.force_login(attendee)
    shown = client.post("/me/calendar/", {"label": "Phone"}, follow=True)
    assert shown.context["new_links"] is not None
    assert cache_control(shown) == PRIVATE


def test_private_pages_are_not_stored_on_the_way_to_login(client, pages):
    response = client.get("/me/")
    assert (response.status_code, cache_control(response)) == (302, PRIVATE)


@pytest.mark.parametrize("name, method, path", API)
def test_private_api_answers_are_not_stored(site, attendee, name, method, path):
    path = path.format(panel=site["sessions"]["panel"].pk)
    mine = getattr(api(attendee), method)(path)
    anonymous = getattr(api(), method)(path)
    assert (mine.status_code < 400, cache_control(mine), cache_control(anonymous)) == (
        True,
        PRIVATE,
        PRIVATE,
    )


def test_personal_feeds_still_revalidate(client, attendee):
    _token, secret = FeedToken.issue(user=attendee, label="Phone")
    first = client.get(f"/feeds/{secret}.ics")
    again = client.get(f"/feeds/{secret}.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (first["Cache-Control"], again.status_code) == ("private, no-cache", 304)
