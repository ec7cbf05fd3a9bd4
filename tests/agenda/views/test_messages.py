"""The messages a page shows after an action: their storage is made when a page reads or adds
one, and a message waits through requests that show none for the page that does."""

import pytest
from django.utils.functional import empty

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_a_message_waits_through_feeds_and_the_api_for_the_page_that_shows_it(
    client, site, attendee
):
    health = site["sessions"]["health"]
    client.force_login(attendee)
    client.post(f"/me/registrations/{health.pk}/")
    done = client.post(f"/me/registrations/{health.pk}/", {"action": "cancel", "next": "/me/"})
    assert done.status_code == 302
    for path in ("/ai/programme.ics", "/api/v1/", "/ai/programme.ics"):
        answer = client.get(path)
        assert answer.status_code == 200
        # Neither read nor written: the storage was never made.
        assert answer.wsgi_request._messages._wrapped is empty
        assert "messages" not in answer.cookies
    page = client.get("/me/")
    assert [str(m) for m in page.context["messages"]] == [
        "You have a seat.",
        "Your registration for “AI in health and science” is cancelled.",
    ]
    # Shown once: the page that showed it cleared its cookie.
    assert page.cookies["messages"].value == ""
    again = client.get("/me/")
    assert list(again.context["messages"]) == []
