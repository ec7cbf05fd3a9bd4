import zoneinfo
from datetime import date, datetime, timedelta

import factory
from django.contrib.auth import get_user_model

from agenda.models import Room, Session, SessionRole, Summit, Track, TravelTime, Venue
from meetings.models import Meeting, MeetingParticipant
from people.models import Delegation, Organisation, Person

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(day, hour, minute=0):
    """An aware datetime in Paris on 10 (day=10) or 11 February 2025."""
    return datetime(2025, 2, day, hour, minute, tzinfo=PARIS)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("pw-attendee-123")


class SummitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Summit

    name = factory.Sequence(lambda n: f"Summit {n}")
    slug = factory.Sequence(lambda n: f"summit-{n}")
    city = "Paris"
    start_date = date(2025, 2, 10)
    end_date = date(2025, 2, 11)
    time_zone = "Europe/Paris"


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    summit = factory.SubFactory(SummitFactory)
    name = factory.Sequence(lambda n: f"Venue {n}")
    slug = factory.Sequence(lambda n: f"venue-{n}")
    address = "Paris"
    latitude = "48.866100"
    longitude = "2.312500"


class TravelTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TravelTime

    origin = factory.SubFactory(VenueFactory)
    destination = factory.SubFactory(VenueFactory, summit=factory.SelfAttribute("..origin.summit"))
    minutes = 30


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    slug = factory.Sequence(lambda n: f"room-{n}")
    capacity = 100


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    summit = factory.SubFactory(SummitFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")
    colour = "#1f4e79"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    room = factory.SubFactory(RoomFactory)
    summit = factory.LazyAttribute(lambda session: session.room.venue.summit)
    title = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.Sequence(lambda n: f"session-{n}")
    kind = Session.Kind.PANEL
    start = factory.LazyFunction(lambda: paris(10, 10))
    end = factory.LazyAttribute(lambda session: session.start + timedelta(hours=1))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.GOVERNMENT
    country = "FR"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    position = "Minister"
    organisation = factory.SubFactory(OrganisationFactory)
    country = "FR"


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    name = factory.Sequence(lambda n: f"Delegation {n}")
    slug = factory.Sequence(lambda n: f"delegation-{n}")


class SessionRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionRole

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    role = SessionRole.Role.SPEAKER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    summit = factory.SubFactory(SummitFactory)
    title = factory.Sequence(lambda n: f"Bilateral {n}")
    purpose = "Illustrative bilateral."
    window_start = factory.LazyFunction(lambda: paris(11, 9))
    window_end = factory.LazyFunction(lambda: paris(11, 18))
    duration_minutes = 30
    status = Meeting.Status.REQUESTED


class MeetingParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingParticipant

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    response = MeetingParticipant.Response.ACCEPTED
