"""The programme's version moves with every write that can change a public page, feed or
export, however it is made, and with nothing else."""

import pytest

from agenda.models import Registration, Room, Session, SessionRole, Star, Track, TravelTime
from common import versions
from meetings.models import Meeting, MeetingParticipant
from people.models import Delegation, Organisation, Person
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def moves(write):
    before = versions.current()
    write()
    return versions.current() != before


WRITES = {
    "a session saved": lambda s: s["sessions"]["panel"].save(),
    "a session deleted": lambda s: s["sessions"]["visit"].delete(),
    "sessions updated in bulk": lambda s: Session.objects.filter(slug="panel").update(
        title="Renamed"
    ),
    "sessions updated with bulk_update": lambda s: Session.objects.bulk_update(
        [s["sessions"]["panel"]], ["title"]
    ),
    "sessions deleted in bulk": lambda s: Session.objects.filter(slug="visit").delete(),
    "a role added": lambda s: SessionRole.objects.create(
        session=s["sessions"]["health"], person=s["evp"]
    ),
    "people added to a session": lambda s: s["sessions"]["health"].people.add(PersonFactory()),
    "roles removed in bulk": lambda s: SessionRole.objects.filter(person=s["evp"]).delete(),
    "a person renamed": lambda s: Person.objects.filter(slug="virkkunen").update(name="H. V."),
    "people created in bulk": lambda s: Person.objects.bulk_create(
        [Person(name="New", slug="new-person")]
    ),
    "an organisation renamed": lambda s: Organisation.objects.update(name="Commission"),
    "a room renamed": lambda s: Room.objects.filter(slug="nef").update(name="Grande Nef"),
    "a track's colour": lambda s: Track.objects.update(colour="#000000"),
    "a travel time": lambda s: TravelTime.objects.create(
        origin=s["sessions"]["panel"].room.venue,
        destination=s["sessions"]["visit"].room.venue,
        minutes=35,
    ),
    "the summit's zone": lambda s: type(s["summit"]).objects.update(time_zone="Europe/Berlin"),
    "a meeting moved": lambda s: Meeting.objects.update(title="Other"),
    "a meeting's reply": lambda s: MeetingParticipant.objects.update(response="accepted"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_what_is_shown_moves_the_version(site, write):
    assert moves(lambda: write(site))


def test_a_many_to_many_change_moves_it(site):
    delegation = Delegation.objects.create(name="EU", slug="eu")
    assert moves(lambda: delegation.members.add(site["evp"]))
    assert moves(lambda: delegation.members.clear())


def test_seats_stars_and_registrations_leave_it_alone(site):
    """Taken and freed seats are shown by nothing cached: a registration rush does not throw
    the programme's renderings away."""
    health = site["sessions"]["health"]
    person = PersonFactory()
    assert not moves(lambda: Session.objects.filter(pk=health.pk).update(seats_taken=1))
    assert not moves(lambda: Registration.objects.create(session=health, person=person))
    assert not moves(lambda: Star.objects.create(session=health, user=UserFactory()))
    assert moves(lambda: Session.objects.filter(pk=health.pk).update(seats_taken=0, capacity=9))


def test_a_seat_taken_or_freed_moves_the_seats_version_once_committed(
    site, django_capture_on_commit_callbacks
):
    """The lines about seats are kept under a version of their own, moved after the writer's
    commit so that concurrent registrations do not queue on its row."""
    health = site["sessions"]["health"]
    before = versions.read(versions.PROGRAMME, versions.SEATS)
    with django_capture_on_commit_callbacks(execute=True) as moves_later:
        Session.objects.filter(pk=health.pk).update(seats_taken=1)
        assert versions.current(versions.SEATS) == before[versions.SEATS]
    assert len(moves_later) == 1
    after = versions.read(versions.PROGRAMME, versions.SEATS)
    assert after[versions.PROGRAMME] == before[versions.PROGRAMME]
    assert after[versions.SEATS] != before[versions.SEATS]
    with django_capture_on_commit_callbacks(execute=True) as nothing:
        Session.objects.filter(pk=health.pk, seats_taken=99).update(seats_taken=0)
    assert nothing == []


def test_a_new_database_starts_from_a_random_version(site):
    """Two databases (a test's, a restored one, a fresh install) do not share version numbers,
    so renderings cached for one are never served for the other."""
    from common.models import Version

    first = versions.current()
    Version.objects.all().delete()
    versions.bump()
    assert versions.current() not in (0, 1, first + 1)
