"""Editing the timetable through the API as several staff at once: versions (ETag and
If-Match), the record of each change, and the conflicts a move would bring."""

import pytest
from django.contrib.admin.models import LogEntry

from tests.api_helpers import api
from tests.factories import paris

pytestmark = pytest.mark.django_db


def url(session, action=""):
    return f"/api/v1/sessions/{session.pk}/{action}"


def test_a_change_based_on_an_out_of_date_version_is_refused(site, staff_user):
    panel = site["sessions"]["panel"]
    seen = api(staff_user).get(url(panel))["ETag"]
    first = api(staff_user).patch(
        url(panel),
        {"start": "2025-02-10T12:00:00+01:00", "end": "2025-02-10T13:00:00+01:00"},
        HTTP_IF_MATCH=seen,
    )
    second = api(staff_user).patch(
        url(panel),
        {"start": "2025-02-10T15:00:00+01:00", "end": "2025-02-10T16:00:00+01:00"},
        HTTP_IF_MATCH=seen,
    )
    panel.refresh_from_db()
    assert (first.status_code, second.status_code, panel.start) == (200, 412, paris(10, 12))
    assert first["ETag"] != seen
    assert second.json() == {
        "detail": "Someone else changed this session since you read it. Read it again."
    }


def test_the_version_is_the_updated_at_that_listings_show(site, staff_user):
    panel = site["sessions"]["panel"]
    [listed] = [
        session
        for session in api(staff_user).get("/api/v1/sessions/").json()["results"]
        if session["id"] == panel.pk
    ]
    answer = api(staff_user).patch(
        url(panel), {"title": "Governance"}, HTTP_IF_MATCH=f'"{listed["updated_at"]}"'
    )
    assert answer.status_code == 200, answer.content


def test_each_change_through_the_api_is_recorded_with_before_and_after(site, staff_user, client):
    panel = site["sessions"]["panel"]
    salon = site["sessions"]["health"].room
    answer = api(staff_user).patch(
        url(panel),
        {
            "start": "2025-02-10T12:00:00+01:00",
            "end": "2025-02-10T13:00:00+01:00",
            "room": salon.pk,
        },
    )
    assert answer.status_code == 200, answer.content
    [entry] = LogEntry.objects.filter(object_id=str(panel.pk))
    assert (entry.user, entry.get_change_message()) == (
        staff_user,
        "Moved from Mon 10 Feb 10:00–11:00 in Nef to Mon 10 Feb 12:00–13:00 in Salon.",
    )
    client.force_login(staff_user)
    history = client.get(f"/admin/agenda/session/{panel.pk}/history/").content.decode()
    assert "Moved from Mon 10 Feb 10:00–11:00 in Nef to Mon 10 Feb 12:00–13:00 in Salon." in history


def test_the_conflicts_of_a_move_name_the_other_item(site, staff_user):
    panel = site["sessions"]["panel"]
    visit = site["sessions"]["visit"]
    answer = api(staff_user).post(
        url(panel, "conflicts/"),
        {"start": "2025-02-11T10:30:00+01:00", "end": "2025-02-11T11:30:00+01:00"},
    )
    assert answer.status_code == 200, answer.content
    assert [(c["kind"], c["blocking"], c["other"]) for c in answer.json()] == [
        ("overlap", False, {"kind": "session", "id": visit.pk})
    ]
    panel.refresh_from_db()
    assert panel.start == paris(10, 10)


def test_only_schedulers_ask_for_conflicts(site):
    panel = site["sessions"]["panel"]
    assert api().post(url(panel, "conflicts/"), {}).status_code == 401
    assert api(site["minister"].user).post(url(panel, "conflicts/"), {}).status_code == 403


@pytest.mark.parametrize("version", ['"2025-02-30T10:00:00+01:00"', "nonsense", '""'])
def test_a_version_that_names_no_moment_is_out_of_date(site, staff_user, version):
    panel = site["sessions"]["panel"]
    answer = api(staff_user).patch(url(panel), {"title": "Governance"}, HTTP_IF_MATCH=version)
    assert answer.status_code == 412
