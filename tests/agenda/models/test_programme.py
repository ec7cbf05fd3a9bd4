from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from agenda.models import Session, Summit, TravelTime
from meetings.models import Meeting
from tests.factories import (
    MeetingFactory,
    RoomFactory,
    SessionFactory,
    SummitFactory,
    TrackFactory,
    VenueFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_the_database_refuses_a_session_ending_before_it_starts():
    session = SessionFactory()
    refused(lambda: Session.objects.filter(pk=session.pk).update(end=session.start))
    refused(lambda: SessionFactory(start=paris(10, 11), end=paris(10, 10)))


def test_the_database_refuses_a_duplicate_slug_in_one_summit_only():
    session = SessionFactory(slug="opening")
    refused(lambda: SessionFactory(room=session.room, slug="opening"))
    assert SessionFactory(slug="opening").summit != session.summit


def test_the_database_refuses_bad_summits_venues_tracks_and_travel():
    refused(lambda: SummitFactory(start_date=paris(11, 0).date(), end_date=paris(10, 0).date()))
    venue = VenueFactory()
    refused(lambda: TravelTime.objects.create(origin=venue, destination=venue, minutes=5))
    refused(lambda: VenueFactory(summit=venue.summit, slug=venue.slug))
    refused(lambda: VenueFactory(latitude="91.000000"))
    refused(lambda: TrackFactory(colour="blue"))
    refused(lambda: SessionFactory(capacity=0))


def test_the_database_refuses_meetings_without_a_coherent_time():
    refused(lambda: MeetingFactory(window_end=paris(11, 8)))
    refused(lambda: MeetingFactory(start=paris(11, 10), end=None))
    refused(lambda: MeetingFactory(start=paris(11, 10), end=paris(11, 9)))
    refused(lambda: MeetingFactory(status=Meeting.Status.CONFIRMED))
    refused(lambda: MeetingFactory(duration_minutes=0))


@pytest.mark.parametrize(
    "change",
    [
        lambda s: setattr(s, "start", s.start - timedelta(minutes=15)),
        lambda s: setattr(s, "end", s.end + timedelta(minutes=15)),
        lambda s: setattr(s, "room", RoomFactory(venue=s.room.venue)),
        lambda s: setattr(s, "status", Session.Status.CANCELLED),
    ],
    ids=["start", "end", "room", "status"],
)
def test_a_change_of_time_place_or_status_bumps_the_sequence(change):
    session = Session.objects.get(pk=SessionFactory().pk)
    change(session)
    session.save()
    assert Session.objects.get(pk=session.pk).sequence == 1


def test_other_edits_leave_the_sequence_alone():
    session = Session.objects.get(pk=SessionFactory().pk)
    session.title = "Panel on trustworthy AI governance"
    session.save()
    session.save()
    assert Session.objects.get(pk=session.pk).sequence == 0


def test_each_change_bumps_once_even_on_the_same_instance():
    session = Session.objects.get(pk=SessionFactory().pk)
    session.start -= timedelta(minutes=30)
    session.save()
    session.save()
    session.room = RoomFactory(venue=session.room.venue)
    session.save(update_fields=["room"])
    assert Session.objects.get(pk=session.pk).sequence == 2


def test_bulk_cancel_keeps_the_rows_and_bumps_each_sequence_once():
    sessions = [SessionFactory(), SessionFactory()]
    before = {s.pk: s.updated_at for s in sessions}
    queryset = Session.objects.filter(pk__in=before)
    assert queryset.cancel() == 2
    assert queryset.cancel() == 0
    rows = {s.pk: (s.status, s.sequence, s.updated_at > before[s.pk]) for s in queryset}
    assert rows == dict.fromkeys(before, ("cancelled", 1, True))


def test_a_meeting_bumps_its_sequence_when_moved():
    meeting = MeetingFactory(status=Meeting.Status.PROPOSED, start=paris(11, 10), end=paris(11, 11))
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.start, meeting.end = paris(11, 12), paris(11, 13)
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_the_current_summit_is_the_one_under_way_or_next():
    past = SummitFactory(start_date=paris(10, 0).date(), end_date=paris(11, 0).date())
    assert Summit.objects.current(today=paris(10, 0).date() + timedelta(days=400)) == past
    later = SummitFactory(
        start_date=paris(10, 0).date() + timedelta(days=365),
        end_date=paris(11, 0).date() + timedelta(days=365),
    )
    assert Summit.objects.current(today=paris(11, 0).date()) == past
    assert Summit.objects.current(today=paris(11, 0).date() + timedelta(days=1)) == later
