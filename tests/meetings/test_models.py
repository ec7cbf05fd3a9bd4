import pytest

from common.text import LONG_TEXT_LENGTH
from meetings import lifecycle
from meetings.models import Meeting
from tests.constraints import refused
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    VenueFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def test_the_database_refuses_meetings_without_a_coherent_time():
    refused(lambda: MeetingFactory(window_end=paris(11, 8)))
    refused(lambda: MeetingFactory(start=paris(11, 10), end=None))
    refused(lambda: MeetingFactory(start=paris(11, 10), end=paris(11, 9)))
    refused(lambda: MeetingFactory(status=Meeting.Status.CONFIRMED))
    refused(lambda: MeetingFactory(duration_minutes=0))


def test_the_database_refuses_a_purpose_longer_than_a_few_pages():
    refused(lambda: MeetingFactory(purpose="x" * (LONG_TEXT_LENGTH + 1)))


def test_a_meeting_bumps_its_sequence_when_moved():
    meeting = MeetingFactory(status=Meeting.Status.PROPOSED, start=paris(11, 10), end=paris(11, 11))
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.start, meeting.end = paris(11, 12), paris(11, 13)
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_public_meeting_names_only_people_the_visitor_may_see(client, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    adviser = PersonFactory(name="Hidden Adviser", is_public=False)
    MeetingParticipantFactory(meeting=meeting, person=adviser, is_principal=True)
    Meeting.objects.filter(pk=meeting.pk).update(
        confidentiality="public", status="confirmed", start=paris(11, 14), end=paris(11, 14, 30)
    )
    slug = meeting.summit.slug
    for url in (
        f"/{slug}/programme/",
        f"/{slug}/programme.ics",
        "/api/v1/meetings/",
        f"/api/v1/meetings/{meeting.pk}/",
    ):
        content = client.get(url).content.decode()
        assert "EVP – Minister Satō" in content or "EVP \\u2013" in content, url
        assert "Hidden Adviser" not in content, url
    client.force_login(request_for_day_two["minister"].user)  # a participant sees everyone
    assert "Hidden Adviser" in client.get(f"/me/meetings/{meeting.pk}/").content.decode()


def test_a_public_meeting_is_not_announced_before_it_is_confirmed(client, request_for_day_two):
    meeting = request_for_day_two["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        confidentiality="public", status="proposed", start=paris(11, 14), end=paris(11, 14, 30)
    )
    assert client.get("/api/v1/meetings/").json()["count"] == 0
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404


def test_a_meeting_bumps_its_sequence_when_its_venue_changes():
    meeting = MeetingFactory(status=Meeting.Status.PROPOSED, start=paris(11, 10), end=paris(11, 11))
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.venue = VenueFactory(summit=meeting.summit)
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).sequence == 1


def test_a_public_meeting_cancelled_before_it_was_confirmed_was_never_announced(
    client, request_for_day_two
):
    meeting = request_for_day_two["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(confidentiality="public")
    lifecycle.propose(meeting, start=paris(11, 14), venue=meeting.venue, actor=None)
    lifecycle.cancel(meeting, actor=None)
    slug = meeting.summit.slug
    assert client.get("/api/v1/meetings/").json()["count"] == 0
    assert client.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert b"EVP" not in client.get(f"/{slug}/programme.ics").content
    assert Meeting.objects.filter(pk=meeting.pk).announced().count() == 0


def test_a_public_meeting_declined_once_confirmed_stays_announced_as_cancelled(
    client, clock, confirmed_day_two
):
    meeting = confirmed_day_two["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(confidentiality="public")
    lifecycle.reply(meeting, person=confirmed_day_two["minister"], response="declined", actor=None)
    [listed] = client.get("/api/v1/meetings/").json()["results"]
    assert (listed["id"], listed["status"]) == (meeting.pk, "declined")
    feed = client.get(f"/{meeting.summit.slug}/programme.ics").content.decode()
    assert "STATUS:CANCELLED" in feed and f"meeting-{meeting.pk}@" in feed
