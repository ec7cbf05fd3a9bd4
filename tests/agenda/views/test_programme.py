from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils.html import escape

from tests.agenda.pages import programme
from tests.factories import (
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TrackFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def test_the_root_leads_to_the_current_summit(client, site):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/ai/")


@pytest.mark.parametrize("who", ["anonymous", "attendee"])
def test_every_programme_page_renders(client, site, who):
    if who == "attendee":
        client.force_login(UserFactory())
    for url in [
        "/ai/",
        "/ai/programme/",
        "/ai/programme/?day=2025-02-11&track=science",
        "/ai/programme/grid/",
        "/ai/programme/grid/?day=2025-02-11",
        "/ai/sessions/panel/",
        "/ai/sessions/energy/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"SECRET" not in response.content, url
        assert b"Closed ministerial roundtable" not in response.content, url


def test_the_public_programme_shows_public_sessions_including_cancelled_ones(client, site):
    assert programme(client) == {"panel", "health", "visit", "energy"}


def test_invitation_only_sessions_show_to_participants_and_staff_only(client, site, staff_user):
    client.force_login(UserFactory())
    assert "closed" not in programme(client)
    assert client.get("/ai/sessions/closed/").status_code == 404
    client.force_login(site["minister"].user)
    assert "closed" in programme(client)
    assert client.get("/ai/sessions/closed/").status_code == 200
    client.force_login(staff_user)
    assert programme(client) == {"panel", "health", "visit", "energy", "closed"}


def test_an_empty_result_says_so(client, site):
    response = client.get("/ai/programme/", {"q": "no such thing"})
    assert "No session matches these filters." in response.content.decode()


def test_a_cancelled_session_is_shown_as_cancelled(client, site):
    content = client.get("/ai/sessions/energy/").content.decode()
    assert "This session will not take place." in content
    assert 'class="badge badge-cancelled"' in client.get("/ai/programme/").content.decode()


def test_the_session_page_shows_times_place_people_seats_and_feed_links(client, site):
    content = client.get("/ai/sessions/health/").content.decode()
    assert "14:30" in content and "16:00" in content and "Europe/Paris" in content
    assert "Salon, Grand Palais" in content
    assert "30 seats left" in content
    for link in [
        'href="http://testserver/ai/sessions/health.ics"',
        'href="webcal://testserver/ai/sessions/health.ics"',
    ]:
        assert link in content


def test_the_session_page_adds_the_event_itself_to_google_calendar_and_outlook(client, site):
    site["sessions"]["health"].room.venue.address = "3 Avenue du Général Eisenhower, Paris"
    site["sessions"]["health"].room.venue.save()
    event = client.get("/ai/sessions/health/").context["event"]
    details = "Early cancer detection.\n\nhttp://testserver/ai/sessions/health/"
    assert parse_qs(urlsplit(event.google).query) == {
        "action": ["TEMPLATE"],
        "text": ["AI in health and science"],
        "dates": ["20250210T133000Z/20250210T150000Z"],
        "details": [details],
        "location": ["Salon, Grand Palais, 3 Avenue du Général Eisenhower, Paris"],
        "ctz": ["Europe/Paris"],
    }
    assert event.google.startswith("https://calendar.google.com/calendar/render?")
    compose = {
        "path": ["/calendar/action/compose"],
        "rru": ["addevent"],
        "subject": ["AI in health and science"],
        "startdt": ["2025-02-10T13:30:00Z"],
        "enddt": ["2025-02-10T15:00:00Z"],
        "body": [details],
        "location": ["Salon, Grand Palais, 3 Avenue du Général Eisenhower, Paris"],
    }
    assert [
        (urlsplit(link)[:3], parse_qs(urlsplit(link).query))
        for link in (event.outlook, event.office)
    ] == [
        (("https", "outlook.live.com", "/calendar/0/deeplink/compose"), compose),
        (("https", "outlook.office.com", "/calendar/0/deeplink/compose"), compose),
    ]
    content = client.get("/ai/sessions/health/").content.decode()
    assert escape(event.google) in content and escape(event.outlook) in content


def test_a_cancelled_session_offers_no_event_to_add(client, site):
    content = client.get("/ai/sessions/energy/").content.decode()
    assert ("calendar.google.com" in content, "deeplink/compose" in content) == (False, False)
    assert 'href="webcal://testserver/ai/sessions/energy.ics"' in content


def feed_of(response):
    assert response.status_code == 200
    return response.context["feed"].https, response.context["feed_scope"]


@pytest.mark.parametrize(
    "query, feed, scope",
    [
        ("", "http://testserver/ai/programme.ics", "all"),
        ("?track=science", "http://testserver/ai/tracks/science.ics", "track"),
        ("?person=virkkunen", "http://testserver/ai/people/virkkunen.ics", "person"),
        ("?day=2025-02-10", "http://testserver/ai/programme.ics", "whole"),
        ("?track=science&kind=panel", "http://testserver/ai/programme.ics", "whole"),
        ("?person=virkkunen&q=panel", "http://testserver/ai/programme.ics", "whole"),
        ("?track=nowhere", "http://testserver/ai/programme.ics", "whole"),
        ("?track=", "http://testserver/ai/programme.ics", "all"),
    ],
)
def test_the_programme_subscribes_to_what_its_filter_shows_or_says_it_is_everything(
    client, site, query, feed, scope
):
    assert feed_of(client.get(f"/ai/programme/{query}")) == (feed, scope)


def test_the_programme_says_what_its_subscription_holds(client, site):
    said = {
        query: client.get(f"/ai/programme/{query}").content.decode()
        for query in ("", "?track=science", "?person=virkkunen", "?kind=panel")
    }
    whole = "This subscribes to the whole programme, not only the sessions shown"
    assert [whole in content for content in said.values()] == [False, False, False, True]
    assert "This subscribes to the track “Science”: the sessions shown." in said["?track=science"]
    assert (
        "This subscribes to the sessions with Henna Virkkunen: the sessions shown."
        in said["?person=virkkunen"]
    )
    assert 'href="webcal://testserver/ai/tracks/science.ics"' in said["?track=science"]


@pytest.mark.parametrize(
    "query, summary",
    [
        ("", "<summary>Filters</summary>"),
        ("?track=science", "<summary>Filters (1)</summary>"),
        ("?track=science&day=2025-02-10", "<summary>Filters (2)</summary>"),
        ("?track=science&day=2025-02-10&kind=panel&q=ai", "<summary>Filters (4)</summary>"),
        ("?track=", "<summary>Filters</summary>"),
    ],
)
def test_the_folded_filters_count_those_in_use(client, site, query, summary):
    content = client.get(f"/ai/programme/{query}").content.decode()
    assert summary in content
    assert '<details class="filter-fold">' in content


def test_folded_filters_open_on_an_error(client, site):
    content = client.get("/ai/programme/?day=someday&track=science").content.decode()
    assert '<details class="filter-fold" open>' in content
    assert "<summary>Filters (2)</summary>" in content


@pytest.mark.usefixtures("clock")
def test_the_session_page_offers_registration_and_shows_the_outcome(client, site, attendee):
    assert "Log in to register" in client.get("/ai/sessions/health/").content.decode()
    client.force_login(attendee)
    assert "Register" in client.get("/ai/sessions/health/").content.decode()
    client.post(f"/me/registrations/{site['sessions']['health'].pk}/")
    content = client.get("/ai/sessions/health/").content.decode()
    assert "You have a seat." in content and "Give up my seat" in content
    assert "29 seats left" in content


def test_people_hidden_from_the_public_are_left_off_session_pages(client, site, staff_user):
    assert "Quiet Adviser" not in client.get("/ai/sessions/panel/").content.decode()
    client.force_login(staff_user)
    assert "Quiet Adviser" in client.get("/ai/sessions/panel/").content.decode()


def test_the_home_page_names_venues_with_maps_tracks_and_key_people(client, site):
    response = client.get("/ai/")
    content = response.content.decode()
    assert "https://www.openstreetmap.org/?mlat=48.866100&amp;mlon=2.312500" in content
    assert response.context["key_people"][0].name == "Henna Virkkunen"
    assert response.context["session_count"] == 4
    assert "Governance" in content and "Science" in content


def test_the_home_page_shows_what_is_on_now_during_the_summit(client, site, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: paris(10, 10, 30))
    response = client.get("/ai/")
    assert [s.slug for s in response.context["on_now"]] == ["panel"]
    assert [(label, s.slug) for label, s in response.context["on_next"]] == [
        ("Today 14:30", "health"),  # not the cancelled one
        ("Tomorrow 10:00", "visit"),
    ]


def test_unknown_summits_and_sessions_are_404(client, site):
    assert client.get("/nope/").status_code == 404
    assert client.get("/ai/sessions/nope/").status_code == 404


def test_a_track_filter_offers_the_tracks_own_feed(client, site):
    content = client.get("/ai/programme/", {"track": "science"}).content.decode()
    assert 'href="webcal://testserver/ai/tracks/science.ics"' in content
    assert "tracks/" not in client.get("/ai/programme/").content.decode()


def test_the_staff_grid_shows_a_confidential_meeting_only_as_reserved(client, site, staff_user):
    public = client.get("/ai/programme/grid/", {"day": "2025-02-11"}).content.decode()
    assert "SECRET" not in public and "Reserved" not in public
    client.force_login(staff_user)
    grid = client.get("/ai/programme/grid/", {"day": "2025-02-11"})
    content = grid.content.decode()
    assert "Reserved" in content and "SECRET" not in content
    assert [c.session.title for c in grid.context["grid"].placed if c.session.is_meeting] == [
        "SECRET-BILATERAL"
    ]


def test_a_public_meeting_appears_like_a_session(client, site):
    from meetings.models import Meeting

    Meeting.objects.filter(title="SECRET-BILATERAL").update(
        title="Announced bilateral", confidentiality="public"
    )
    assert "Announced bilateral" in client.get("/ai/programme/").content.decode()
    assert (
        "Announced bilateral"
        in client.get("/ai/programme/grid/", {"day": "2025-02-11"}).content.decode()
    )
    assert (
        "Announced bilateral"
        not in client.get("/ai/programme/", {"track": "science"}).content.decode()
    )
    assert b"Announced bilateral" in client.get("/ai/programme.ics").content


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("url", "reader", "cold", "warm"),
    [
        # Built: version, summit, filters (tracks, venues), the sessions' plain rows and
        # roles (what names each card), sessions and roles read whole for the cards not
        # kept yet, the tracks shown, announced meetings. Then shared from the cache: the
        # version.
        ("/many/programme/", "visitor", 10, 1),
        # And for an attendee: session, user, whether they see more than the public (an
        # invitation-only session of theirs; then kept under the version), their stars.
        ("/many/programme/", "attendee", 14, 4),
        # Built: version, summit, plain rows and roles, sessions and roles read whole,
        # rooms, tracks, meetings holding rooms.
        ("/many/programme/grid/", "visitor", 9, 1),
        ("/many/programme/grid/", "attendee", 13, 4),
    ],
)
def test_programme_queries_do_not_grow_with_sessions(
    client, django_assert_num_queries, size, url, reader, cold, warm
):
    populate(size)
    if reader == "attendee":
        client.force_login(UserFactory())
    with django_assert_num_queries(cold):
        first = client.get(url)
    with django_assert_num_queries(warm):
        again = client.get(url)
    assert first.status_code == again.status_code == 200


def populate(size):
    summit = SummitFactory(slug="many")
    track = TrackFactory(summit=summit)
    for n in range(size):
        room = RoomFactory(venue=VenueFactory(summit=summit))
        session = SessionFactory(
            summit=summit, room=room, track=track, start=paris(10, 9 + n), end=paris(10, 10 + n)
        )
        SessionRoleFactory(session=session)
        SessionRoleFactory(session=session)
    return summit
