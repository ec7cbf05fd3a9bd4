"""Publishing a release: what it would change and for whom (the impact staff see first), the
release itself, and one email to each person it touches, with their calendar updates."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from agenda import ical, scheduling
from agenda.models import Registration, Release, Session, SessionRole, Star, Summit
from agenda.releases import (
    MEETING,
    SESSION,
    Affected,
    Change,
    ChangeKind,
    Line,
    affected,
    changes_for,
    describe,
    diff,
    entries_of,
    snapshot,
    stored,
)
from meetings.models import Meeting, MeetingParticipant
from outbox import mail as outbox
from outbox.models import Email

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Changes that put an item at a time and place in someone's calendar, and those that take
# it out: the iTIP REQUEST and CANCEL of a digest.
REQUESTED = (ChangeKind.ADDED, ChangeKind.MOVED, ChangeKind.REINSTATED)
CANCELLED = (ChangeKind.CANCELLED,)
# Gone from the public programme: called off for those who no longer have it.
REMOVED = (ChangeKind.REMOVED,)


@dataclass
class Someone:
    """One person a release touches: their changes, the clashes these make for them."""

    who: Affected
    changes: list[Change]
    clashes: list[str] = field(default_factory=list)


@dataclass
class Impact:
    summit: Summit
    last: Release | None
    changes: list[Change]
    people: list[Someone]

    @property
    def emails(self) -> int:
        """How many emails publishing would send: one per person touched who has an address
        (the first release sends none: it is where the changes start from)."""
        if self.last is None:
            return 0
        return sum(1 for someone in self.people if someone.who.email)

    @property
    def next_name(self) -> str:
        return f"v{(self.last.number if self.last else 0) + 1}"


def impact(summit: Summit) -> Impact:
    """What publishing now would change, whom it touches, and the clashes (two places at
    once, too little time between venues) that the changes make for them."""
    last = Release.objects.latest_of(summit)
    changes = diff(entries_of(last), snapshot(summit))
    travel = scheduling.TravelTimes.for_summit(summit.pk)
    people = []
    for who in affected(changes):
        mine = changes_for(changes, who.uids)
        placed = {change.uid for change in mine if change.kind in REQUESTED}
        people.append(Someone(who=who, changes=mine, clashes=clashes(summit, who, placed, travel)))
    return Impact(summit=summit, last=last, changes=changes, people=people)


def clashes(
    summit: Summit, who: Affected, uids: set[str], travel: scheduling.TravelTimes
) -> list[str]:
    """The scheduling rules' warnings for someone's agenda in this summit that involve one of
    these items (added, moved or reinstated): the checks of their own agenda page."""
    if not uids:
        return []
    chosen = Q(pk__in=[])
    if who.user is not None:
        chosen |= Q(pk__in=Star.objects.filter(user=who.user).values("session_id"))
    if who.person is not None:
        chosen |= Q(pk__in=SessionRole.objects.filter(person=who.person).values("session_id"))
        chosen |= Q(
            pk__in=Registration.objects.active().filter(person=who.person).values("session_id")
        )
    sessions = list(
        Session.objects.filter(chosen, summit=summit).scheduled().select_related("room__venue")
    )
    meetings: list[Meeting] = []
    if who.person is not None:
        meetings = list(
            Meeting.objects.filter(summit=summit)
            .of_person(who.person)
            .holding_time()
            .select_related("room__venue", "venue")
        )
    bookings = [scheduling.Booking.of(item) for item in sessions]
    bookings += [scheduling.Booking.of(item) for item in meetings]
    found = []
    for conflict in scheduling.find_person_conflicts(
        items=bookings, travel=travel, person=who.name
    ):
        involved = {ical.uid(item_kind(item), item.pk) for item in (conflict.item, conflict.other)}
        if involved & uids and conflict.message not in found:
            found.append(conflict.message)
    return found


def item_kind(item: Session | Meeting) -> str:
    return MEETING if item.is_meeting else SESSION


def publish(*, summit: Summit, note: str, user: User | None, after: int) -> Release:
    """Publish the public programme as it is now as the next release. `after` is the number
    of the last release the publisher saw (0 for none), so that two staff publishing at once
    do not both publish. Raises ValidationError when someone published meanwhile, or when
    nothing changed since the last release. The emails are written by a task after commit."""
    with transaction.atomic():
        # Publishers of one summit wait for each other here (on databases that lock rows).
        Summit.objects.select_for_update().filter(pk=summit.pk).first()
        last_number = (
            Release.objects.filter(summit=summit).aggregate(last=Max("number"))["last"] or 0
        )
        if last_number != after:
            raise ValidationError(
                _(
                    "Someone published v%(number)s meanwhile: look at what changed since, "
                    "then publish."
                )
                % {"number": last_number},
                code="published-meanwhile",
            )
        last = Release.objects.filter(summit=summit, number=last_number).first()
        current = snapshot(summit)
        if last is not None and not diff(entries_of(last), current):
            raise ValidationError(
                _("Nothing in the public programme changed since %(name)s.") % {"name": last.name},
                code="unchanged",
            )
        try:
            with transaction.atomic():
                release = Release.objects.create(
                    summit=summit,
                    number=last_number + 1,
                    note=note,
                    published_by=user,
                    snapshot=stored(current),
                )
        except IntegrityError as error:
            raise ValidationError(
                _("Another release was published at the same moment: look again, then publish."),
                code="published-meanwhile",
            ) from error
        # robust: a task queue that is down loses the digests, not the release.
        transaction.on_commit(partial(send_digests.enqueue, release.pk), robust=True)
    return release


@dataclass
class Digest:
    """One person's email about a release: its text, and its iTIP parts."""

    to: str
    subject: str
    body: str
    request: str = ""
    cancel: str = ""


def digests(release: Release) -> list[Digest]:
    """The emails a release sends: one to each person it touches who has an address, listing
    their own changes, with a REQUEST for the items added, moved or reinstated and a CANCEL
    for those cancelled, and for those gone from the public programme unless they still take
    part (the feeds' UIDs and SEQUENCEs). None for a first release."""
    previous = Release.objects.filter(summit=release.summit, number=release.number - 1).first()
    if previous is None:
        return []
    changes = diff(entries_of(previous), entries_of(release))
    people = [who for who in affected(changes) if who.email]
    wanted = {change.uid for change in changes if change.kind in REQUESTED + CANCELLED + REMOVED}
    sessions = {
        ical.uid(SESSION, session.pk): session
        for session in Session.objects.filter(
            summit=release.summit,
            pk__in=[c.entry.pk for c in changes if c.entry.kind == SESSION and c.uid in wanted],
        )
        .select_related("summit", "room__venue", "track")
        .prefetch_related("roles__person")
    }
    meetings = {
        ical.uid(MEETING, meeting.pk): meeting
        for meeting in Meeting.objects.filter(
            summit=release.summit,
            pk__in=[c.entry.pk for c in changes if c.entry.kind == MEETING and c.uid in wanted],
        )
        .select_related("room__venue", "venue")
        .prefetch_related("participants__person")
    }
    summit = release.summit
    # Who still takes part in an item gone from the public programme (made invitation-only,
    # confidential): it is not called off for them.
    removed = [change for change in changes if change.kind in REMOVED]
    taking_part = {
        (ical.uid(SESSION, session_id), person_id)
        for session_id, person_id in SessionRole.objects.filter(
            session_id__in=[c.entry.pk for c in removed if c.entry.kind == SESSION]
        ).values_list("session_id", "person_id")
    } | {
        (ical.uid(MEETING, meeting_id), person_id)
        for meeting_id, person_id in MeetingParticipant.objects.filter(
            meeting_id__in=[c.entry.pk for c in removed if c.entry.kind == MEETING]
        ).values_list("meeting_id", "person_id")
    }
    # A release keeps its titles in the site's language; each reader gets the item's title in
    # their own where the item still has one.
    titles = {
        (SESSION, row["pk"]): row
        for row in Session.objects.filter(
            summit=summit, pk__in=[c.entry.pk for c in changes if c.entry.kind == SESSION]
        ).values("pk", *(f"title_{code}" for code, _name in settings.LANGUAGES))
    }
    found = []
    for who in people:
        with translation.override(who.language):
            mine = changes_for(changes, who.uids)
            parts = {}
            someone = who.person.pk if who.person is not None else None
            gone = {
                change.uid: change.entry
                for change in mine
                if change.kind in REMOVED and (change.uid, someone) not in taking_part
            }
            for method, kinds in (("REQUEST", REQUESTED), ("CANCEL", CANCELLED)):
                uids = {change.uid for change in mine if change.kind in kinds}
                if method == "CANCEL":
                    uids |= gone.keys()
                chosen_sessions = [sessions[uid] for uid in sorted(uids) if uid in sessions]
                chosen_meetings = [meetings[uid] for uid in sorted(uids) if uid in meetings]
                # Deleted since: told from what the last release said of them.
                withdrawn = [
                    ical.withdrawn_event(
                        kind=entry.kind,
                        pk=entry.pk,
                        title=entry.title,
                        start=entry.start,
                        end=entry.end,
                        sequence=entry.sequence,
                        zone=summit.time_zone,
                    )
                    for uid, entry in sorted(gone.items())
                    if method == "CANCEL" and uid not in sessions and uid not in meetings
                ]
                if not chosen_sessions and not chosen_meetings and not withdrawn:
                    parts[method] = ""
                    continue
                message = ical.scheduling_message(
                    method,
                    sessions=chosen_sessions,
                    meetings=chosen_meetings,
                    zone=summit.time_zone,
                    organizer=summit.name,
                    attendee=who.name,
                    email=who.email,
                    withdrawn=withdrawn,
                )
                parts[method] = ical.to_bytes(message).decode()
            subject = _("%(summit)s: the programme changed (%(release)s)") % {
                "summit": summit.name,
                "release": release.name,
            }
            body = render_to_string(
                "agenda/release_digest.txt",
                {
                    "summit": summit,
                    "release": release,
                    "name": who.name,
                    "lines": [
                        in_own_words(describe(change, summit=summit), change, titles, who.language)
                        for change in mine
                    ],
                },
            )
            found.append(
                Digest(
                    to=who.email,
                    subject=subject,
                    body=body,
                    request=parts["REQUEST"],
                    cancel=parts["CANCEL"],
                )
            )
    return found


def in_own_words(
    line: Line, change: Change, titles: dict[tuple[str, int], dict[str, Any]], language: str
) -> Line:
    """The line with the item's title in `language` where it has one."""
    row = titles.get((change.entry.kind, change.entry.pk))
    title = row and (row.get(f"title_{language}") or row.get(f"title_{settings.LANGUAGE_CODE}"))
    return dataclasses.replace(line, title=title) if title else line


@task()
def send_digests(release_id: int) -> int:
    """Write a release's emails to the outbox, once, whatever the number of runs; returns how
    many were written."""
    purpose = f"release-{release_id}"
    with transaction.atomic():
        release = Release.objects.select_related("summit").filter(pk=release_id).first()
        if release is None or Email.objects.filter(purpose=purpose).exists():
            return 0
        written = 0
        for digest in digests(release):
            # The REQUEST is the calendar part; alone, a CANCEL is.
            method = "REQUEST" if digest.request else ("CANCEL" if digest.cancel else "")
            outbox.send(
                to=[digest.to],
                subject=digest.subject,
                body=digest.body,
                calendar=digest.request or digest.cancel,
                method=method,
                cancellation=digest.cancel if digest.request else "",
                purpose=purpose,
            )
            written += 1
    return written
