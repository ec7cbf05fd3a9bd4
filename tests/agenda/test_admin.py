import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from agenda.models import Session, SessionRole
from meetings.models import Meeting
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    TrackFactory,
    TravelTimeFactory,
    paris,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    nef = RoomFactory(name="Nef", capacity=500)
    summit = nef.venue.summit
    shed = RoomFactory(name="Shed", venue__summit=summit)
    TravelTimeFactory(origin=nef.venue, destination=shed.venue, minutes=35)
    track = TrackFactory(summit=summit)
    panel = SessionFactory(
        room=nef,
        track=track,
        title="Panel on trustworthy AI",
        start=paris(10, 10),
        end=paris(10, 11),
    )
    evp = PersonFactory(name="Henna Virkkunen")
    SessionRoleFactory(session=panel, person=evp)
    meeting = MeetingFactory(
        summit=summit,
        status=Meeting.Status.CONFIRMED,
        start=paris(11, 9),
        end=paris(11, 9, 30),
        room=shed,
    )
    MeetingParticipantFactory(meeting=meeting, person=evp)
    DelegationFactory(head=evp).members.add(evp)
    return {"nef": nef, "shed": shed, "panel": panel, "evp": evp, "meeting": meeting}


def test_every_admin_page_loads(staff_client, staff_user, programme, rf):
    request = rf.get("/admin/")
    request.user = staff_user
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert staff_client.get(changelist).status_code == 200, changelist
        assert staff_client.get(f"{changelist}?q=a").status_code == 200, changelist
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        # Some rows are only made by the site (feed links, login attempts): no add page.
        expected = 200 if model_admin.has_add_permission(request) else 403
        assert staff_client.get(add).status_code == expected, add
        first = model.objects.first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert staff_client.get(change).status_code == 200, change


def session_data(session, **changes):
    zone = session.summit.tz
    roles = list(session.roles.all())
    data = {
        "summit": session.summit_id,
        "title": session.title,
        "slug": session.slug,
        "kind": session.kind,
        "abstract": session.abstract,
        "start_0": timezone.localtime(session.start, zone).strftime("%Y-%m-%d"),
        "start_1": timezone.localtime(session.start, zone).strftime("%H:%M:%S"),
        "end_0": timezone.localtime(session.end, zone).strftime("%Y-%m-%d"),
        "end_1": timezone.localtime(session.end, zone).strftime("%H:%M:%S"),
        "room": session.room_id or "",
        "track": session.track_id or "",
        "status": session.status,
        "visibility": session.visibility,
        "capacity": session.capacity or "",
        "roles-TOTAL_FORMS": len(roles),
        "roles-INITIAL_FORMS": len(roles),
        "roles-MIN_NUM_FORMS": 0,
        "roles-MAX_NUM_FORMS": 1000,
        "registrations-TOTAL_FORMS": 0,
        "registrations-INITIAL_FORMS": 0,
        "registrations-MIN_NUM_FORMS": 0,
        "registrations-MAX_NUM_FORMS": 1000,
    }
    for index, role in enumerate(roles):
        data |= {
            f"roles-{index}-id": role.pk,
            f"roles-{index}-session": session.pk,
            f"roles-{index}-person": role.person_id,
            f"roles-{index}-role": role.role,
            f"roles-{index}-position": role.position,
        }
    return data | changes


def snapshot():
    return list(Session.objects.order_by("pk").values()), list(
        SessionRole.objects.order_by("pk").values()
    )


def test_times_are_typed_in_the_summit_zone(staff_client, programme):
    panel = programme["panel"]
    url = reverse("admin:agenda_session_change", args=[panel.pk])
    response = staff_client.post(url, session_data(panel, start_1="09:30:00"))
    assert response.status_code == 302
    panel.refresh_from_db()
    assert (panel.start, panel.sequence) == (paris(10, 9, 30), 1)


def test_a_room_clash_is_refused_and_changes_nothing(staff_client, programme):
    panel = programme["panel"]
    other = SessionFactory(room=programme["shed"], start=paris(10, 10), end=paris(10, 11))
    before = snapshot()
    url = reverse("admin:agenda_session_change", args=[other.pk])
    response = staff_client.post(url, session_data(other, room=programme["nef"].pk, title="Moved"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["room"]
    assert "Panel on trustworthy AI" in errors["room"][0]
    assert snapshot() == before
    assert panel.pk != other.pk


def test_a_session_outside_the_summit_is_refused_on_add(staff_client, programme):
    panel = programme["panel"]
    data = session_data(panel, slug="late", start_0="2025-02-12", end_0="2025-02-12")
    data |= {"roles-TOTAL_FORMS": 0, "roles-INITIAL_FORMS": 0}
    before = snapshot()
    response = staff_client.post(reverse("admin:agenda_session_add"), data)
    assert list(response.context["adminform"].form.errors) == ["start"]
    assert snapshot() == before


def test_a_travel_warning_needs_staff_to_accept_it(staff_client, programme):
    evp = programme["evp"]
    visit = SessionFactory(
        room=programme["shed"], title="Station F visit", start=paris(10, 11, 15), end=paris(10, 12)
    )
    url = reverse("admin:agenda_session_change", args=[visit.pk])
    data = session_data(visit) | {
        "roles-TOTAL_FORMS": 1,
        "roles-0-person": evp.pk,
        "roles-0-role": "speaker",
        "roles-0-position": 0,
    }
    before = snapshot()
    response = staff_client.post(url, data)
    assert response.status_code == 200
    [formset] = [
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "roles"
    ]
    [warning, advice] = formset.non_form_errors()
    assert "Henna Virkkunen has 15 min" in warning and "takes 35 min" in warning
    assert "Save despite the warnings" in advice
    assert snapshot() == before

    response = staff_client.post(url, data | {"accept_conflicts": "on"})
    assert response.status_code == 302
    assert list(visit.roles.values_list("person", flat=True)) == [evp.pk]


def test_the_session_list_filters_to_sessions_with_conflicts(staff_client, programme):
    visit = SessionFactory(room=programme["shed"], start=paris(10, 11), end=paris(10, 12))
    SessionRoleFactory(session=visit, person=programme["evp"])
    SessionFactory(room=programme["shed"], start=paris(10, 14), end=paris(10, 15))
    url = reverse("admin:agenda_session_changelist")
    listed = staff_client.get(url, {"conflicts": "yes"}).context["cl"].result_list
    assert set(listed) == {programme["panel"], visit}
    listed = staff_client.get(url, {"conflicts": "no"}).context["cl"].result_list
    assert len(listed) == 1


def test_bulk_cancel_and_reinstate(staff_client, programme):
    panel = programme["panel"]
    url = reverse("admin:agenda_session_changelist")
    staff_client.post(url, {"action": "cancel_sessions", "_selected_action": [panel.pk]})
    panel.refresh_from_db()
    assert (panel.status, panel.sequence) == ("cancelled", 1)

    # While cancelled, another session takes the room: reinstating is refused.
    taker = SessionFactory(room=panel.room, start=panel.start, end=panel.end, title="Taker")
    response = staff_client.post(
        url, {"action": "reinstate_sessions", "_selected_action": [panel.pk]}, follow=True
    )
    panel.refresh_from_db()
    assert (panel.status, panel.sequence) == ("cancelled", 1)
    assert any("Taker" in str(m) for m in response.context["messages"])

    Session.objects.filter(pk=taker.pk).cancel()
    staff_client.post(url, {"action": "reinstate_sessions", "_selected_action": [panel.pk]})
    panel.refresh_from_db()
    assert (panel.status, panel.sequence) == ("scheduled", 2)


def test_a_meeting_in_a_taken_room_is_refused(staff_client, programme):
    meeting = programme["meeting"]
    clash = SessionFactory(
        room=programme["shed"], start=paris(11, 9), end=paris(11, 10), title="Visit"
    )
    Session.objects.filter(pk=clash.pk).cancel()
    zone = meeting.summit.tz
    data = {
        "summit": meeting.summit_id,
        "title": meeting.title,
        "purpose": meeting.purpose,
        "requested_by": "",
        "confidentiality": meeting.confidentiality,
        "window_start_0": "2025-02-11",
        "window_start_1": "09:00:00",
        "window_end_0": "2025-02-11",
        "window_end_1": "18:00:00",
        "duration_minutes": 30,
        "status": "confirmed",
        "start_0": "2025-02-11",
        "start_1": timezone.localtime(meeting.start, zone).strftime("%H:%M:%S"),
        "end_0": "2025-02-11",
        "end_1": timezone.localtime(meeting.end, zone).strftime("%H:%M:%S"),
        "venue": "",
        "room": programme["shed"].pk,
        "participants-TOTAL_FORMS": 0,
        "participants-INITIAL_FORMS": 0,
        "participants-MIN_NUM_FORMS": 0,
        "participants-MAX_NUM_FORMS": 1000,
        "transitions-TOTAL_FORMS": 0,
        "transitions-INITIAL_FORMS": 0,
        "transitions-MIN_NUM_FORMS": 0,
        "transitions-MAX_NUM_FORMS": 1000,
        "respond_by_0": "",
        "respond_by_1": "",
    }
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    assert staff_client.post(url, data).status_code == 302  # a cancelled session frees the room
    SessionFactory(room=programme["shed"], start=paris(11, 9), end=paris(11, 10), title="Visit 2")
    response = staff_client.post(url, data | {"title": "Renamed"})
    assert list(response.context["adminform"].form.errors) == ["room"]
    assert Meeting.objects.get(pk=meeting.pk).title == meeting.title
