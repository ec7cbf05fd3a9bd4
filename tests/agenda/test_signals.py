"""What syncing clients learn of sessions that leave the public programme."""

import pytest

from tests.api_helpers import api, results

pytestmark = pytest.mark.django_db


def test_deleting_leaves_a_removal_for_syncing_clients(site, staff_user):
    panel = site["sessions"]["panel"]
    closed = site["sessions"]["closed"]
    assert api(staff_user).delete(f"/api/v1/sessions/{panel.pk}/").status_code == 204
    api(staff_user).delete(f"/api/v1/sessions/{closed.pk}/")
    public = results(api().get("/api/v1/removals/"))
    assert [(r["kind"], r["object_id"]) for r in public] == [("session", panel.pk)]
    assert {r["object_id"] for r in results(api(staff_user).get("/api/v1/removals/"))} == {
        panel.pk,
        closed.pk,
    }


def test_making_a_session_invitation_only_removes_it_for_the_public(site, staff_user):
    health = site["sessions"]["health"]
    api(staff_user).patch(f"/api/v1/sessions/{health.pk}/", {"visibility": "invitation"})
    assert [r["object_id"] for r in results(api().get("/api/v1/removals/"))] == [health.pk]


def test_unscheduling_a_session_removes_it_for_the_public(site, staff_user):
    health = site["sessions"]["health"]
    answer = api(staff_user).patch(f"/api/v1/sessions/{health.pk}/", {"status": "unscheduled"})
    assert answer.status_code == 200, answer.content
    assert [r["object_id"] for r in results(api().get("/api/v1/removals/"))] == [health.pk]
