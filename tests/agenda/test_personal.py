"""An attendee's agenda: what it holds and what it warns about, read on their page."""

import pytest

from tests.agenda.pages import agenda
from tests.factories import (
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    TravelTimeFactory,
    UserFactory,
    paris,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_the_agenda_holds_exactly_the_attendees_items(client, site, attendee):
    health = site["sessions"]["health"]
    panel = site["sessions"]["panel"]
    client.force_login(attendee)
    client.post(f"/me/stars/{panel.pk}/", {"next": "/ai/programme/"})
    client.post(f"/me/registrations/{health.pk}/", {"next": "/ai/sessions/health/"})
    other = UserFactory()
    PersonFactory(user=other)
    client.force_login(other)
    client.post(f"/me/stars/{site['sessions']['visit'].pk}/")
    client.force_login(attendee)
    items = agenda(client)
    assert set(items) == {"Panel on trustworthy AI governance", "AI in health and science"}
    assert items["AI in health and science"].registration.status == "confirmed"
    assert items["Panel on trustworthy AI governance"].starred
    assert "SECRET" not in client.get("/me/").content.decode()


def test_the_agenda_flags_a_clash_and_a_too_short_venue_change(client, site, attendee):
    panel, visit = site["sessions"]["panel"], site["sessions"]["visit"]
    person = attendee.person
    # Panel 10:00-11:00 at the Grand Palais; a Station F session at 11:15 the same day.
    TravelTimeFactory(origin=panel.room.venue, destination=visit.room.venue, minutes=35)
    tight = SessionFactory(
        summit=site["summit"],
        room=visit.room,
        title="Start-up pitch",
        start=paris(10, 11, 15),
        end=paris(10, 12),
    )
    clash = SessionFactory(
        summit=site["summit"],
        room=RoomFactory(venue=panel.room.venue),
        title="Side event",
        start=paris(10, 10, 30),
        end=paris(10, 11),
    )
    for session in (panel, tight, clash):
        SessionRoleFactory(session=session, person=person, role="participant")
    client.force_login(attendee)
    items = agenda(client)
    assert items["Panel on trustworthy AI governance"].warnings == [
        "Clashes with “Side event”, 10:30–11:00.",
        "Only 15 min to get from Grand Palais to Station F for “Start-up pitch”; "
        "the trip takes 35 min.",
    ]
    assert items["Start-up pitch"].warnings == [
        "Only 15 min to get from Grand Palais to Station F after "
        "“Panel on trustworthy AI governance”; the trip takes 35 min.",
        "Only 15 min to get from Grand Palais to Station F after “Side event”; "
        "the trip takes 35 min.",
    ]
    assert items["Side event"].warnings == [
        "Clashes with “Panel on trustworthy AI governance”, 10:00–11:00.",
        "Only 15 min to get from Grand Palais to Station F for “Start-up pitch”; "
        "the trip takes 35 min.",
    ]


def test_meetings_are_in_the_participants_agenda_only(client, site):
    evp_user = UserFactory()
    site["evp"].user = evp_user
    site["evp"].save()
    client.force_login(evp_user)
    assert "SECRET-BILATERAL" in agenda(client)
    client.force_login(site["minister"].user)
    assert "SECRET-BILATERAL" not in agenda(client)
