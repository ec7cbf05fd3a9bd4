"""The staff timetable editor's page: who may open it and what it holds for its script."""

import json

import pytest
from django.contrib.auth.models import Permission

from agenda.models import Session
from tests.factories import SessionFactory, SessionRoleFactory, UserFactory, paris

pytestmark = pytest.mark.django_db


def editor_url(summit, day=""):
    return f"/admin/agenda/summit/{summit.pk}/timetable/" + (f"?day={day}" if day else "")


def timetable(response):
    assert response.status_code == 200, response.content
    return json.loads(
        response.content.decode()
        .split('id="tte-data" type="application/json">')[1]
        .split("</script>")[0]
    )


def test_staff_without_the_right_to_change_sessions_are_refused(client, site):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(editor_url(site["summit"])).status_code == 403
    staff.user_permissions.add(
        Permission.objects.get(codename="change_session", content_type__app_label="agenda")
    )
    assert client.get(editor_url(site["summit"])).status_code == 200


def test_the_day_holds_its_sessions_its_meetings_and_every_unscheduled_one(staff_client, site):
    site["sessions"]["panel"].status = Session.Status.UNSCHEDULED
    site["sessions"]["panel"].save()
    data = timetable(staff_client.get(editor_url(site["summit"], "2025-02-11")))
    assert {session["slug"] for session in data["sessions"]} == {
        "panel",
        "visit",
        "closed",
        "energy",
    }
    assert [meeting["title"] for meeting in data["meetings"]] == ["SECRET-BILATERAL"]
    assert [room["name"] for room in data["rooms"]] == ["Nef", "Salon", "Shed"]
    assert (data["gridStart"], data["gridEnd"]) == (
        "2025-02-11T08:00:00+01:00",
        "2025-02-11T20:00:00+01:00",
    )


def test_the_summits_in_the_admin_link_to_their_timetable(staff_client, site):
    page = staff_client.get("/admin/agenda/summit/").content.decode()
    assert editor_url(site["summit"]) in page


@pytest.mark.parametrize("count", [1, 5])
def test_the_editor_reads_a_fixed_number_of_queries(
    staff_client, site, count, django_assert_num_queries
):
    for n in range(count):
        session = SessionFactory(
            summit=site["summit"],
            room=None,
            slug=f"extra-{n}",
            start=paris(10, 8 + n),
            end=paris(10, 9 + n),
        )
        SessionRoleFactory(session=session, person=site["evp"])
    staff_client.get(editor_url(site["summit"]))  # the session and the user, read once
    with django_assert_num_queries(9):
        staff_client.get(editor_url(site["summit"]))
