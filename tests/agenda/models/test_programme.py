import re
from datetime import timedelta

import pytest

from agenda.models import Session
from common.text import LONG_TEXT_LENGTH
from tests.constraints import refused
from tests.factories import RoomFactory, SessionFactory, paris

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_session_ending_before_it_starts():
    session = SessionFactory()
    refused(lambda: Session.objects.filter(pk=session.pk).update(end=session.start))
    refused(lambda: SessionFactory(start=paris(10, 11), end=paris(10, 10)))


def test_the_database_refuses_a_duplicate_slug_in_one_summit_only():
    session = SessionFactory(slug="opening")
    refused(lambda: SessionFactory(room=session.room, slug="opening"))
    assert SessionFactory(slug="opening").summit != session.summit


def test_the_database_refuses_an_abstract_longer_than_a_few_pages():
    refused(lambda: SessionFactory(abstract="x" * (LONG_TEXT_LENGTH + 1)))


def test_the_database_refuses_more_seats_than_capacity():
    workshop = SessionFactory(kind="workshop", capacity=2, room=RoomFactory(capacity=40))
    refused(lambda: Session.objects.filter(pk=workshop.pk).update(seats_taken=3))


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


def test_session_links_use_the_summit_slug(site):
    assert site["sessions"]["panel"].get_absolute_url() == "/ai/sessions/panel/"
    assert re.fullmatch(
        r"/fr/ai/sessions/panel/", "/fr" + Session.objects.get(slug="panel").get_absolute_url()
    )


def test_an_unscheduled_session_is_seen_by_staff_only_and_holds_no_room(site, staff_user):
    panel = site["sessions"]["panel"]
    panel.status = Session.Status.UNSCHEDULED
    panel.save()
    rossi = site["minister"].user
    seen = {
        "staff": set(Session.objects.visible_to(staff_user).values_list("slug", flat=True)),
        "participant": set(Session.objects.visible_to(rossi).values_list("slug", flat=True)),
    }
    assert seen == {
        "staff": {"panel", "health", "visit", "closed", "energy"},
        "participant": {"health", "visit", "closed", "energy"},
    }
    assert (panel.blocks_room, panel.sequence) == (False, 1)
