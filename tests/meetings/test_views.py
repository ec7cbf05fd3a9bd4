"""A participant's meetings: the list, a meeting's page and their answer."""

import pytest

from tests.factories import MeetingFactory, MeetingParticipantFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_meeting_page_is_for_its_participants_and_staff_only(
    client, staff_user, request_for_day_two
):
    meeting = request_for_day_two["meeting"]
    url = f"/me/meetings/{meeting.pk}/"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(f"{url}answer/", {"response": "accepted"}).status_code == 404
    client.force_login(request_for_day_two["minister"].user)
    assert client.get(url).status_code == 200
    assert client.get("/me/meetings/").context["meetings"].get() == meeting
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


def test_answering_a_request_without_a_time_is_refused_with_a_message(client, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    client.force_login(request_for_day_two["evp"].user)
    response = client.post(
        f"/me/meetings/{meeting.pk}/answer/", {"response": "accepted"}, follow=True
    )
    assert "Only a proposed or confirmed meeting can be answered." in response.content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_my_meetings_queries_do_not_grow(client, django_assert_num_queries, size):
    person = PersonFactory(user=UserFactory())
    for _ in range(size):
        meeting = MeetingFactory()
        MeetingParticipantFactory(meeting=meeting, person=person)
        MeetingParticipantFactory(meeting=meeting)
    client.force_login(person.user)
    # session, user, the zone (the version, the current summit), person, meetings, participants
    with django_assert_num_queries(7):
        assert client.get("/me/meetings/").status_code == 200


def test_an_answer_that_is_no_answer_is_a_400_naming_it(client, confirmed_day_two):
    meeting = confirmed_day_two["meeting"]
    client.force_login(confirmed_day_two["evp"].user)
    response = client.post(f"/me/meetings/{meeting.pk}/answer/", {"response": "<i>maybe</i>"})
    assert response.status_code == 400
    assert response.content.decode().startswith("“response”: ")
    assert "maybe" not in response.content.decode()
    assert set(meeting.participants.values_list("response", flat=True)) == {"accepted"}
