"""What every admin with a time, a room and people shares, through the session admin: the
scheduling rules on save, staff's choice to accept warnings, times in the summit's zone."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.models import Session, SessionRole
from tests.factories import SessionFactory, paris

pytestmark = pytest.mark.django_db


def session_data(session, **changes):
    zone = session.summit.tz
    roles = list(session.roles.all())
    data = {
        "summit": session.summit_id,
        "title_en": session.title,
        "slug": session.slug,
        "kind": session.kind,
        "abstract_en": session.abstract,
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
