"""The time-zone middleware costs nothing on requests that show no time."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_request_about_no_summit_does_no_query(client, site, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/v1/").status_code == 200


def test_times_not_about_a_summit_are_shown_in_the_current_summits_zone(client, site):
    """The zone is looked up when a time is shown: the API gives the times of the summit under way."""
    type(site["summit"]).objects.update(time_zone="Asia/Kolkata")
    session = client.get("/api/v1/sessions/?slug=panel").json()["results"][0]
    assert session["start"].endswith("+05:30")
