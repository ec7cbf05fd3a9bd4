from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agenda.models import FeedToken, Registration, Room, Session, SessionRole, Star, Summit
from agenda.scheduling import TravelTimes, check_session, find_person_conflicts, person_bookings
from meetings.models import Meeting, MeetingParticipant
from meetings.scheduling import check_meeting
from people.models import Person
from tests.factories import SummitFactory

pytestmark = pytest.mark.django_db

SMALL = ["--sessions", "120", "--quiet"]


def generate(*args):
    out = StringIO()
    call_command("generate_summit", *SMALL, *args, stdout=out)
    return Summit.objects.get(slug="synthetic")


def fingerprint(summit):
    """Everything generated, by natural keys: ids, timestamps and secrets left out."""
    sessions = Session.objects.filter(summit=summit)
    meetings = Meeting.objects.filter(summit=summit)
    return {
        "summit": (summit.name, summit.start_date, summit.end_date),
        "rooms": sorted(
            Room.objects.filter(venue__summit=summit).values_list(
                "venue__slug", "venue__name", "slug", "name", "capacity", "position"
            )
        ),
        "tracks": sorted(summit.tracks.values_list("slug", "name", "colour")),
        "travel": sorted(
            summit.venues.values_list("travel_from__destination__slug", "travel_from__minutes")
        ),
        "sessions": sorted(
            sessions.values_list(
                "slug",
                "title",
                "kind",
                "abstract",
                "start",
                "end",
                "room__slug",
                "track__slug",
                "status",
                "visibility",
                "capacity",
                "seats_taken",
            )
        ),
        "roles": sorted(
            SessionRole.objects.filter(session__summit=summit).values_list(
                "session__slug", "person__slug", "person__name", "role", "position"
            )
        ),
        "people": sorted(
            Person.objects.filter(slug__startswith="synthetic-").values_list(
                "slug", "name", "position", "organisation__name", "country", "is_public"
            )
        ),
        "stars": sorted(
            Star.objects.filter(session__summit=summit).values_list(
                "user__username", "session__slug", "created_at"
            )
        ),
        "registrations": sorted(
            Registration.objects.filter(session__summit=summit).values_list(
                "person__slug", "session__slug", "status", "queued_at"
            )
        ),
        "meetings": sorted(
            meetings.values_list(
                "title", "status", "confidentiality", "start", "end", "room__slug", "venue__slug"
            ),
            key=repr,
        ),
        "participants": sorted(
            MeetingParticipant.objects.filter(meeting__summit=summit).values_list(
                "meeting__title", "person__slug", "response", "is_principal"
            )
        ),
    }


def test_the_summit_has_the_size_asked_for():
    summit = generate()

    sessions = Session.objects.filter(summit=summit)
    people_per_session = Counter(
        SessionRole.objects.filter(session__summit=summit).values_list("session", flat=True)
    )
    attendees = get_user_model().objects.filter(username__startswith="synthetic-attendee-")
    items = {
        user.username: Session.objects.filter(summit=summit).in_agenda_of(user).count()
        for user in attendees.select_related("person")
    }
    assert sessions.count() == 120
    assert summit.days == [summit.start_date, summit.end_date]
    assert summit.venues.count() == 2
    assert Room.objects.filter(venue__summit=summit).count() == 6
    assert summit.tracks.count() == 12
    assert {people_per_session[pk] for pk in sessions.values_list("pk", flat=True)} == {1, 2, 3}
    assert len(items) == 50
    assert min(items.values()) >= 20 and max(items.values()) <= 40
    assert items["synthetic-attendee-0001"] == 30
    assert FeedToken.objects.filter(user__in=attendees).count() == 50
    assert sessions.filter(kind=Session.Kind.WORKSHOP, capacity__isnull=False).exists()
    assert Registration.objects.filter(session__summit=summit).exists()
    kinds = set(Meeting.objects.filter(summit=summit).values_list("confidentiality", "status"))
    assert ("confidential", "confirmed") in kinds and ("public", "confirmed") in kinds


def test_every_session_and_meeting_passes_the_scheduling_rules():
    summit = generate()

    sessions = Session.objects.filter(summit=summit).select_related("summit", "room__venue")
    meetings = Meeting.objects.filter(summit=summit).select_related("summit", "room__venue")
    conflicts = [
        *(c for session in sessions for c in check_session(session=session)),
        *(c for meeting in meetings for c in check_meeting(meeting=meeting)),
    ]
    # Not even a warning: nobody is in two places at once or short of the travel time.
    assert [conflict.message for conflict in conflicts] == []


def test_nobody_is_in_two_places_at_once_nor_short_of_the_travel_time():
    """Speakers, meeting participants and attendees with seats alike."""
    summit = generate()

    start, end = summit.bounds
    people = Person.objects.filter(slug__startswith="synthetic-")
    bookings = person_bookings(person_ids=people.values_list("pk", flat=True), start=start, end=end)
    travel = TravelTimes.for_summit(summit.pk)
    conflicts = [
        conflict.message
        for items in bookings.values()
        for conflict in find_person_conflicts(items=items, travel=travel)
    ]
    seated = {
        person_id
        for person_id, items in bookings.items()
        if Registration.objects.filter(person_id=person_id).exists()
    }
    assert conflicts == []
    assert len(seated) > 10  # attendees' seats were among the bookings checked


def test_seats_taken_are_the_confirmed_registrations_and_within_the_seats():
    summit = generate()

    confirmed = Counter(
        Registration.objects.filter(session__summit=summit, status="confirmed").values_list(
            "session__slug", flat=True
        )
    )
    sessions = Session.objects.filter(summit=summit, capacity__isnull=False)
    assert {s.slug: s.seats_taken for s in sessions if s.seats_taken} == dict(confirmed)
    assert all(s.seats_taken <= s.capacity <= s.room.capacity for s in sessions)
    # Only a full workshop has a waiting list.
    waiting = set(
        Registration.objects.filter(session__summit=summit, status="waitlisted").values_list(
            "session__slug", flat=True
        )
    )
    assert {s.slug for s in sessions if s.seats_taken == s.capacity} >= waiting


def test_the_same_seed_gives_the_same_summit_and_another_seed_another():
    first = fingerprint(generate())
    again = fingerprint(generate("--replace"))
    other = fingerprint(generate("--replace", "--seed", "7"))

    assert again == first
    assert other["sessions"] != first["sessions"]
    assert other["roles"] != first["roles"]


def test_replacing_deletes_everything_made_with_the_previous_one():
    generate()
    generate("--replace", "--sessions", "60")

    summit = Summit.objects.get(slug="synthetic")
    assert Session.objects.filter(summit=summit).count() == 60
    assert Session.objects.count() == 60
    assert Person.objects.filter(slug__startswith="synthetic-").count() == 30 + 50
    assert get_user_model().objects.filter(username__startswith="synthetic-").count() == 50


def test_an_existing_summit_is_kept_unless_replace_is_asked():
    generate()

    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_summit", *SMALL)


def test_replace_never_deletes_a_summit_it_did_not_generate():
    SummitFactory(slug="synthetic")

    with pytest.raises(CommandError, match="not generated"):
        call_command("generate_summit", *SMALL, "--replace")
    assert Summit.objects.filter(slug="synthetic").exists()


def test_the_command_says_what_it_built():
    out = StringIO()

    call_command("generate_summit", "--sessions", "120", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first.startswith(
        "Synthetic summit “synthetic”: 120 sessions over 2 days in 6 rooms at 2 venues, "
        "12 tracks, 60 people, 50 attendees (1,453 agenda items), 6 meetings; built in "
    )
    assert second == "Programme: /synthetic/programme/"
