import email
import random
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from agenda import ical
from agenda.models import Registration, Release, Session, Star
from agenda.publishing import impact, publish, send_digests
from agenda.releases import ChangeKind, Entry, diff, snapshot
from meetings.models import Meeting, MeetingTransition
from outbox.models import Email
from people.models import Person
from tests.agenda.ics import events, parse
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    TravelTimeFactory,
    UserFactory,
    paris,
)


def entry(uid, start=10, room="Nef", title=None, status="scheduled", people=()):
    return Entry(
        uid=uid,
        kind="session",
        pk=int(uid.split("-")[1]),
        title=title or uid,
        start=paris(10, start),
        end=paris(10, start + 1),
        room=room,
        venue="Grand Palais",
        status=status,
        people=tuple(people),
    )


def test_a_release_diff_tells_moves_renames_cancellations_and_the_rest():
    before = [
        entry("s-1", start=9),
        entry("s-2", start=10),
        entry("s-3", start=11),
        entry("s-4", start=12),
        entry("s-5", start=13, status="cancelled"),
        entry("s-6", start=14),
        entry("s-7", start=15),
    ]
    after = [
        entry("s-1", start=9),  # unchanged
        entry("s-2", start=16),  # moved in time
        entry("s-3", start=11, room="Salon", title="New title"),  # moved room and renamed
        entry("s-4", start=12, status="cancelled"),  # cancelled
        entry("s-5", start=13),  # reinstated
        # s-6 removed
        entry("s-7", start=15, title="Renamed only"),
        entry("s-8", start=8),  # added
    ]
    expected = [
        ("added", "s-8"),
        ("moved", "s-3"),
        ("renamed", "s-3"),
        ("cancelled", "s-4"),
        ("reinstated", "s-5"),
        ("removed", "s-6"),
        ("renamed", "s-7"),
        ("moved", "s-2"),
    ]
    found = diff(before, after)
    assert [(c.kind.value, c.uid) for c in found] == expected
    moved = found[-1]
    assert (moved.before.start, moved.after.start) == (paris(10, 10), paris(10, 16))
    # Stable: the same whatever order the snapshots come in.
    shuffled_before, shuffled_after = before[:], after[:]
    random.Random(4).shuffle(shuffled_before)
    random.Random(5).shuffle(shuffled_after)
    assert [(c.kind.value, c.uid) for c in diff(shuffled_before, shuffled_after)] == expected


def test_an_item_first_seen_cancelled_is_a_cancellation_and_a_cancelled_one_moving_is_nothing():
    found = diff(
        [entry("s-1", status="cancelled")],
        [entry("s-1", start=14, status="cancelled"), entry("s-2", status="cancelled")],
    )
    assert [(c.kind, c.uid, c.before) for c in found] == [(ChangeKind.CANCELLED, "s-2", None)]


def test_an_entry_survives_its_json():
    one = entry("s-3", people=[4, 2])
    assert Entry.from_json(one.to_json()) == one


def test_the_snapshot_holds_only_what_the_public_sees(site):
    summit = site["summit"]
    public_meeting = MeetingFactory(
        summit=summit,
        title="Announced bilateral",
        confidentiality=Meeting.Confidentiality.PUBLIC,
        status=Meeting.Status.CONFIRMED,
        start=paris(11, 16),
        end=paris(11, 16, 30),
    )
    MeetingParticipantFactory(meeting=public_meeting, person=site["evp"])
    SessionFactory(summit=summit, room=site["sessions"]["panel"].room, status="unscheduled")
    titles = {(e.kind, e.title, e.status) for e in snapshot(summit)}
    assert titles == {
        ("session", "Panel on trustworthy AI governance", "scheduled"),
        ("session", "AI in health and science", "scheduled"),
        ("session", "Visit to Station F", "scheduled"),
        ("session", "AI and energy", "cancelled"),
        ("meeting", "Announced bilateral", "scheduled"),
    }
    [panel] = [e for e in snapshot(summit) if e.pk == site["sessions"]["panel"].pk]
    assert panel.uid == ical.uid("session", panel.pk)
    assert (panel.room, panel.venue, panel.track) == ("Nef", "Grand Palais", "Governance")
    assert set(panel.people) == {site["evp"].pk, site["sessions"]["panel"].roles.last().person_id}


def test_publishing_numbers_releases_and_refuses_a_stale_or_empty_one(site, staff_user):
    summit = site["summit"]
    first = publish(summit=summit, note="First programme", user=staff_user, after=0)
    assert (first.number, first.name, first.published_by) == (1, "v1", staff_user)
    with pytest.raises(ValidationError) as unchanged:
        publish(summit=summit, note="Again", user=staff_user, after=1)
    assert unchanged.value.code == "unchanged"
    panel = site["sessions"]["panel"]
    panel.title = "Panel on AI governance"
    panel.save()
    # Someone who saw no release yet publishes after v1 went out: refused, nothing written.
    with pytest.raises(ValidationError) as stale:
        publish(summit=summit, note="Late", user=staff_user, after=0)
    assert stale.value.code == "published-meanwhile"
    second = publish(summit=summit, note="Renamed the panel", user=staff_user, after=1)
    assert list(Release.objects.filter(summit=summit).values_list("number", "note")) == [
        (2, "Renamed the panel"),
        (1, "First programme"),
    ]
    assert [
        (c.kind, c.entry.title)
        for c in diff(
            [Entry.from_json(i) for i in first.items], [Entry.from_json(i) for i in second.items]
        )
    ] == [(ChangeKind.RENAMED, "Panel on AI governance")]


def test_the_database_refuses_two_releases_with_one_number(site):
    Release.objects.create(summit=site["summit"], number=1, note="One")
    with pytest.raises(IntegrityError):
        Release.objects.create(summit=site["summit"], number=1, note="Two at once")


@pytest.fixture
def touched(site, staff_user):
    """v1 published; then the panel moved, the visit cancelled, the health workshop left as
    it was. Each person holds a different part of it."""
    sessions = site["sessions"]
    mover = PersonFactory(name="Mover", user=UserFactory(username="mover", email="m@example.org"))
    SessionRoleFactory(session=sessions["panel"], person=mover)
    fan = UserFactory(username="fan", email="fan@example.org")
    Star.objects.create(user=fan, session=sessions["visit"])
    both = PersonFactory(name="Both", email="both@example.org")
    SessionRoleFactory(session=sessions["panel"], person=both, role="moderator")
    Registration.objects.create(session=sessions["visit"], person=both, status="confirmed")
    bystander = PersonFactory(name="Bystander", user=UserFactory(username="by"))
    Registration.objects.create(session=sessions["health"], person=bystander, status="confirmed")
    publish(summit=site["summit"], note="v1", user=staff_user, after=0)
    panel = sessions["panel"]
    panel.start, panel.end = paris(10, 17), paris(10, 18)
    panel.save()
    visit = sessions["visit"]
    visit.status = "cancelled"
    visit.save()
    return {"mover": mover, "fan": fan, "both": both, "panel": panel, "visit": visit}


def test_the_digest_lists_exactly_each_persons_items_with_valid_itip(
    client, site, staff_user, touched, django_capture_on_commit_callbacks
):
    assert not Email.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        release = publish(summit=site["summit"], note="Moves", user=staff_user, after=1)
    panel, visit = touched["panel"], touched["visit"]
    panel.refresh_from_db()
    visit.refresh_from_db()
    sent = {tuple(e.to): e for e in Email.objects.filter(purpose=f"release-{release.pk}")}
    # The EVP holds both; her login has no address; the bystander's workshop did not change.
    assert set(sent) == {("m@example.org",), ("fan@example.org",), ("both@example.org",)}
    messages = {tuple(m.to): m for m in mail.outbox}
    assert set(messages) == set(sent)

    def body_titles(message):
        return {
            title
            for title in ("Panel on trustworthy AI governance", "Visit to Station F")
            if title in message.body
        }

    assert body_titles(sent[("m@example.org",)]) == {"Panel on trustworthy AI governance"}
    assert body_titles(sent[("fan@example.org",)]) == {"Visit to Station F"}
    assert body_titles(sent[("both@example.org",)]) == {
        "Panel on trustworthy AI governance",
        "Visit to Station F",
    }
    assert "AI in health and science" not in "".join(e.body for e in sent.values())

    moved = (ical.uid("session", panel.pk), panel.sequence, "CONFIRMED")
    cancelled = (ical.uid("session", visit.pk), visit.sequence, "CANCELLED")
    assert itip_parts(messages[("m@example.org",)]) == {"REQUEST": [moved]}
    assert itip_parts(messages[("fan@example.org",)]) == {"CANCEL": [cancelled]}
    assert itip_parts(messages[("both@example.org",)]) == {
        "REQUEST": [moved],
        "CANCEL": [cancelled],
    }
    # The feeds carry the same UID and SEQUENCE.
    feeds = {}
    for session in (panel, visit):
        url = reverse("session-feed", kwargs={"summit": "ai", "slug": session.slug})
        feeds |= events(client.get(url).content)
    assert {(uid, int(event["SEQUENCE"])) for uid, event in feeds.items()} == {
        moved[:2],
        cancelled[:2],
    }


def test_the_digests_are_written_once_however_often_the_task_runs(
    site, staff_user, touched, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        release = publish(summit=site["summit"], note="Moves", user=staff_user, after=1)
    assert send_digests.call(release.pk) == 0
    assert Email.objects.filter(purpose=f"release-{release.pk}").count() == 3


def test_the_first_release_sends_nothing(site, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(summit=site["summit"], note="v1", user=staff_user, after=0)
    assert not Email.objects.exists()


def test_the_impact_names_the_people_their_changes_the_new_clashes_and_the_emails(
    site, staff_user, touched
):
    sessions = site["sessions"]
    # The moved panel now ends at 18:00 at the Grand Palais; the mover has a 18:10 session
    # at Station F, 30 minutes away.
    far = RoomFactory(venue=sessions["visit"].room.venue, name="Far")
    TravelTimeFactory(origin=sessions["panel"].room.venue, destination=far.venue, minutes=30)
    later = SessionFactory(
        summit=site["summit"],
        room=far,
        title="Later",
        start=paris(10, 18, 10),
        end=paris(10, 19),
    )
    SessionRoleFactory(session=later, person=touched["mover"])
    found = impact(site["summit"])
    assert [(c.kind, c.entry.title) for c in found.changes] == [
        (ChangeKind.MOVED, "Panel on trustworthy AI governance"),
        (ChangeKind.ADDED, "Later"),
        (ChangeKind.CANCELLED, "Visit to Station F"),
    ]
    summary = {
        someone.who.name: ({c.entry.title for c in someone.changes}, len(someone.clashes))
        for someone in found.people
    }
    panel, visit, later_title = (
        "Panel on trustworthy AI governance",
        "Visit to Station F",
        "Later",
    )
    assert summary == {
        "Mover": ({panel, later_title}, 1),
        "fan": ({visit}, 0),
        "Both": ({panel, visit}, 0),
        "Henna Virkkunen": ({panel, visit}, 0),
        "Quiet Adviser": ({panel}, 0),
    }
    [clash] = next(s.clashes for s in found.people if s.who.name == "Mover")
    assert "Mover" in clash
    # Mover, fan and Both have addresses; the EVP and the adviser none.
    assert found.emails == 3
    assert found.last.number == 1
    assert sessions["closed"].title not in repr(found)


def test_changes_to_invitation_only_sessions_and_confidential_meetings_are_never_released(
    site, staff_user
):
    publish(summit=site["summit"], note="v1", user=staff_user, after=0)
    closed = site["sessions"]["closed"]
    closed.start, closed.end = closed.start + timedelta(hours=2), closed.end + timedelta(hours=2)
    closed.save()
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    MeetingTransition.objects.filter(meeting=meeting).delete()
    assert impact(site["summit"]).changes == []
    with pytest.raises(ValidationError):
        publish(summit=site["summit"], note="v2", user=staff_user, after=1)


def test_the_snapshot_is_the_same_whatever_language_the_publisher_reads(site):
    from django.utils import translation

    from agenda.models import Session

    Session.objects.filter(slug="panel").update(title_fr="Table ronde sur la gouvernance")
    english = snapshot(site["summit"])
    with translation.override("fr"):
        french = snapshot(site["summit"])
    assert diff(english, french) == []
    assert "Panel on trustworthy AI governance" in {entry.title for entry in french}


def test_each_digest_is_written_in_its_readers_language(
    site, staff_user, touched, django_capture_on_commit_callbacks
):
    panel = touched["panel"]
    Session.objects.filter(pk=panel.pk).update(title_fr="Table ronde : une IA de confiance")
    Person.objects.filter(name="Mover").update(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        release = publish(summit=site["summit"], note="Moves", user=staff_user, after=1)
    sent = {e.to[0]: e for e in Email.objects.filter(purpose=f"release-{release.pk}")}
    french, english = sent["m@example.org"], sent["both@example.org"]
    assert french.subject == "AI Action Summit\u00a0: le programme a changé (v2)"
    assert "Table ronde : une IA de confiance" in french.body
    assert "Panel on trustworthy AI governance" not in french.body
    assert english.subject == "AI Action Summit: the programme changed (v2)"
    assert "Panel on trustworthy AI governance" in english.body


def itip_parts(message):
    """{method: [(uid, sequence, status)]} of an email's calendar parts."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    found = {}
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            calendar = parse(part.get_payload(decode=True))
            found[str(calendar["METHOD"])] = [
                (str(e["UID"]), int(e["SEQUENCE"]), str(e["STATUS"]))
                for e in calendar.walk("VEVENT")
            ]
    return found


def test_an_item_gone_from_the_programme_is_called_off_for_those_who_no_longer_have_it(
    site, staff_user, django_capture_on_commit_callbacks
):
    """Made invitation-only, a session is called off for who starred it, not for who takes
    part; deleted, it is called off for who took part, after its last SEQUENCE."""
    sessions = site["sessions"]
    panel, visit = sessions["panel"], sessions["visit"]
    speaker = PersonFactory(name="Speaker", email="speaker@example.org")
    SessionRoleFactory(session=panel, person=speaker)
    fan = UserFactory(username="fan", email="fan@example.org")
    Star.objects.create(user=fan, session=panel)
    host = PersonFactory(name="Host", email="host@example.org")
    SessionRoleFactory(session=visit, person=host)
    visit.start, visit.end = visit.start + timedelta(hours=1), visit.end + timedelta(hours=1)
    visit.save()
    visit.refresh_from_db()
    assert visit.sequence >= 1
    publish(summit=site["summit"], note="v1", user=staff_user, after=0)
    panel.visibility = "invitation"
    panel.save()
    Registration.objects.filter(session=visit).delete()
    visit_uid, last_sequence = ical.uid("session", visit.pk), visit.sequence
    visit.delete()
    with django_capture_on_commit_callbacks(execute=True):
        release = publish(summit=site["summit"], note="Gone", user=staff_user, after=1)
    sent = {e.to[0]: e for e in Email.objects.filter(purpose=f"release-{release.pk}")}
    messages = {m.to[0]: m for m in mail.outbox}
    panel_uid = ical.uid("session", panel.pk)
    assert itip_parts(messages["fan@example.org"]) == {
        "CANCEL": [(panel_uid, panel.sequence, "CANCELLED")]
    }
    assert itip_parts(messages["host@example.org"]) == {
        "CANCEL": [(visit_uid, last_sequence + 1, "CANCELLED")]
    }
    # Still on the panel: told it changed, nothing called off.
    assert "speaker@example.org" in sent
    assert itip_parts(messages["speaker@example.org"]) == {}
