"""Summit's ConditionalGetMiddleware answers what Django's answers: an ETag on every answer
to a GET, and 304 or 412 to the conditions a request states."""

import pytest

pytestmark = pytest.mark.django_db

DJANGO_S = "django.middleware.http.ConditionalGetMiddleware"
PATHS = ["/ai/programme/", "/ai/programme.ics", "/api/v1/sessions/", "/accounts/login/", "/x/"]


def with_django_s(settings):
    settings.MIDDLEWARE = [
        DJANGO_S if name == "summit.middleware.ConditionalGetMiddleware" else name
        for name in settings.MIDDLEWARE
    ]
    assert DJANGO_S in settings.MIDDLEWARE


def answers(client, path):
    """The answers to a plain GET, then to each condition on what it answered."""
    first = client.get(path)
    etag = first.get("ETag", '"none"')
    conditions = [
        {},
        {"If-None-Match": etag},
        {"If-None-Match": '"other", ' + etag},
        {"If-None-Match": "*"},
        {"If-Match": '"other"'},
        {"If-Modified-Since": "Sun, 01 Jan 2040 00:00:00 GMT"},
        {"If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"},
    ]
    found = []
    for headers in conditions:
        response = client.get(path, headers=headers)
        # A form's CSRF token differs between requests, not its length.
        found.append((response.status_code, response.get("ETag"), len(response.content)))
    head = client.head(path, headers={"If-None-Match": etag})
    found.append((head.status_code, head.get("ETag")))
    return found


@pytest.mark.parametrize("path", PATHS)
def test_every_condition_is_answered_as_django_answers_it(client, site, settings, path):
    ours = answers(client, path)
    with_django_s(settings)
    assert ours == answers(client, path)


def test_a_page_is_stamped_and_a_stamp_asked_again_is_a_304(client, site):
    page = client.get("/ai/programme/")
    assert page.status_code == 200 and page["ETag"].startswith('"')
    again = client.get("/ai/programme/", headers={"If-None-Match": page["ETag"]})
    assert (again.status_code, again.content) == (304, b"")
