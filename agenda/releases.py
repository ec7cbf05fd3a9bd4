"""Releases of the programme: what each keeps, what changed between two, whom it touches.

Edits are public at once (pages and feeds follow every change); a release names the state
of the public programme at one moment. It keeps a compact snapshot of each public session
and announced public meeting, so that what changed between two releases, or since the last
one, is worked out here in Python, with no history table. Only what the public sees is
kept: invitation-only sessions and confidential meetings never appear, not even as counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from agenda import ical
from agenda.models import (
    AgendaVisit,
    Registration,
    Release,
    Session,
    SessionRole,
    Star,
    Summit,
)
from meetings.models import Meeting, MeetingParticipant
from people.models import Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SESSION, MEETING = "session", "meeting"
SCHEDULED, CANCELLED = "scheduled", "cancelled"


@dataclass(frozen=True)
class Entry:
    """One public item as a release keeps it."""

    uid: str
    kind: str  # SESSION or MEETING
    pk: int
    title: str
    start: datetime
    end: datetime
    room: str
    venue: str
    status: str  # SCHEDULED or CANCELLED
    track: str = ""
    slug: str = ""
    people: tuple[int, ...] = ()
    sequence: int = 0  # the calendar SEQUENCE last published (0 in releases made before it)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "kind": self.kind,
            "pk": self.pk,
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "room": self.room,
            "venue": self.venue,
            "status": self.status,
            "track": self.track,
            "slug": self.slug,
            "people": list(self.people),
            "sequence": self.sequence,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(
            uid=str(data["uid"]),
            kind=str(data["kind"]),
            pk=int(data["pk"]),
            title=str(data["title"]),
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            room=str(data.get("room", "")),
            venue=str(data.get("venue", "")),
            status=str(data["status"]),
            track=str(data.get("track", "")),
            slug=str(data.get("slug", "")),
            people=tuple(int(pk) for pk in data.get("people", ())),
            sequence=int(data.get("sequence", 0)),
        )

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.room, self.venue) if part)


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    RENAMED = "renamed"
    CANCELLED = "cancelled"
    REINSTATED = "reinstated"


# Said of a session or a meeting (both feminine in French).
LABELS = {
    ChangeKind.ADDED: pgettext_lazy("release change", "Added"),
    ChangeKind.REMOVED: pgettext_lazy("release change", "Removed"),
    ChangeKind.MOVED: pgettext_lazy("release change", "Moved"),
    ChangeKind.RENAMED: pgettext_lazy("release change", "Renamed"),
    ChangeKind.CANCELLED: pgettext_lazy("release change", "Cancelled"),
    ChangeKind.REINSTATED: pgettext_lazy("release change", "Back on"),
}

# Within one item, in this order.
KIND_ORDER = {kind: position for position, kind in enumerate(ChangeKind)}


@dataclass(frozen=True)
class Change:
    """One change to one item: `before` as the older state kept it, `after` as the newer."""

    kind: ChangeKind
    before: Entry | None
    after: Entry | None

    @property
    def entry(self) -> Entry:
        entry = self.after or self.before
        assert entry is not None
        return entry

    @property
    def uid(self) -> str:
        return self.entry.uid

    @property
    def time_changed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and (self.before.start, self.before.end) != (self.after.start, self.after.end)
        )

    @property
    def place_changed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and self.before.place != self.after.place
        )

    @property
    def people(self) -> set[int]:
        """Everyone on the item, before or after."""
        return {
            *(self.before.people if self.before else ()),
            *(self.after.people if self.after else ()),
        }


def diff(before: Iterable[Entry], after: Iterable[Entry]) -> list[Change]:
    """What changed from one snapshot to another: items added and removed; moved (time,
    room or venue), renamed, cancelled and reinstated. In the order of the items' times,
    then of their UIDs, whatever the order of the snapshots."""
    old = {entry.uid: entry for entry in before}
    new = {entry.uid: entry for entry in after}
    changes: list[Change] = []
    for uid in old.keys() - new.keys():
        changes.append(Change(ChangeKind.REMOVED, old[uid], None))
    for uid, now in new.items():
        was = old.get(uid)
        if was is None:
            # An item first seen already called off is news only as a cancellation.
            kind = ChangeKind.CANCELLED if now.is_cancelled else ChangeKind.ADDED
            changes.append(Change(kind, None, now))
            continue
        if now.is_cancelled:
            if not was.is_cancelled:
                changes.append(Change(ChangeKind.CANCELLED, was, now))
            continue
        if was.is_cancelled:
            changes.append(Change(ChangeKind.REINSTATED, was, now))
        if (was.start, was.end, was.place) != (now.start, now.end, now.place):
            changes.append(Change(ChangeKind.MOVED, was, now))
        if was.title != now.title:
            changes.append(Change(ChangeKind.RENAMED, was, now))
    changes.sort(key=lambda c: (c.entry.start, c.entry.end, c.uid, KIND_ORDER[c.kind]))
    return changes


def snapshot(summit: Summit) -> list[Entry]:
    """The public programme of a summit now: each public session and announced public
    meeting, in the order of their UIDs, with the texts of the site's first language
    whoever publishes (a French-speaking editor renames nothing). Four queries."""
    with translation.override(settings.LANGUAGE_CODE):
        return programme_now(summit)


def programme_now(summit: Summit) -> list[Entry]:
    anyone = AnonymousUser()
    sessions = (
        Session.objects.visible_to(anyone)
        .filter(summit=summit)
        .select_related("room__venue", "track")
        .order_by("pk")
    )
    roles: defaultdict[int, list[int]] = defaultdict(list)
    for session_id, person_id in (
        SessionRole.objects.filter(session__in=sessions)
        .order_by("session", "position", "id")
        .values_list("session_id", "person_id")
    ):
        if person_id not in roles[session_id]:
            roles[session_id].append(person_id)
    entries = [
        Entry(
            uid=ical.uid(SESSION, session.pk),
            kind=SESSION,
            pk=session.pk,
            title=session.title,
            start=session.start,
            end=session.end,
            room=session.room.name if session.room is not None else "",
            venue=session.place.name if session.place is not None else "",
            status=CANCELLED if session.is_closed else SCHEDULED,
            track=session.track.name if session.track is not None else "",
            slug=session.slug,
            people=tuple(roles[session.pk]),
            sequence=session.sequence,
        )
        for session in sessions
    ]
    meetings = (
        Meeting.objects.announced()
        .filter(summit=summit)
        .select_related("room__venue", "venue")
        .prefetch_related("participants")
        .order_by("pk")
    )
    for meeting in meetings:
        assert meeting.start is not None and meeting.end is not None  # announced: placed
        entries.append(
            Entry(
                uid=ical.uid(MEETING, meeting.pk),
                kind=MEETING,
                pk=meeting.pk,
                title=meeting.title,
                start=meeting.start,
                end=meeting.end,
                room=meeting.room.name if meeting.room is not None else "",
                venue=meeting.place.name if meeting.place is not None else "",
                status=CANCELLED if meeting.is_closed else SCHEDULED,
                people=tuple(p.person_id for p in meeting.participants.all()),
                sequence=meeting.sequence,
            )
        )
    entries.sort(key=lambda entry: entry.uid)
    return entries


def stored(entries: Iterable[Entry]) -> dict[str, Any]:
    """A snapshot as a release's JSON keeps it."""
    return {"items": [entry.to_json() for entry in entries]}


def entries_of(release: Release | None) -> list[Entry]:
    if release is None:
        return []
    return [Entry.from_json(item) for item in release.items]


def changelog(releases: Iterable[Release]) -> list[tuple[Release, list[Change]]]:
    """Each release with what changed since the one before it, newest first; nothing for
    the first one given."""
    ordered = sorted(releases, key=lambda release: release.number)
    found: list[tuple[Release, list[Change]]] = []
    previous: list[Entry] = []
    for position, release in enumerate(ordered):
        current = entries_of(release)
        # A first release is where the changes start from: it changes nothing.
        found.append((release, diff(previous, current) if position else []))
        previous = current
    found.reverse()
    return found


def pending(summit: Summit) -> tuple[Release | None, list[Change]]:
    """The last release, and what changed since."""
    last = Release.objects.latest_of(summit)
    return last, diff(entries_of(last), snapshot(summit))


@dataclass
class Affected:
    """Someone a change touches, and how to write to them."""

    key: str
    person: Person | None
    user: User | None
    uids: set[str] = field(default_factory=set)

    @property
    def email(self) -> str:
        if self.person is not None:
            return self.person.email_address
        return self.user.email if self.user is not None else ""

    @property
    def language(self) -> str:
        """The language to write to them in: their own, else the site's."""
        if self.person is not None and self.person.language:
            return self.person.language
        return settings.LANGUAGE_CODE

    @property
    def name(self) -> str:
        if self.person is not None:
            return self.person.name
        assert self.user is not None
        return self.user.get_full_name() or self.user.get_username()


def affected(changes: Sequence[Change]) -> list[Affected]:
    """Everyone the changes touch: the people on each item (before or after), those with a
    seat or a place in line, and those who starred it; each once, with the UIDs of their
    changed items. In the order of their names."""
    sessions: defaultdict[int, set[str]] = defaultdict(set)
    meetings: defaultdict[int, set[str]] = defaultdict(set)
    people: defaultdict[int, set[str]] = defaultdict(set)
    users: defaultdict[int, set[str]] = defaultdict(set)
    for change in changes:
        target = sessions if change.entry.kind == SESSION else meetings
        target[change.entry.pk].add(change.uid)
        for person_id in change.people:
            people[person_id].add(change.uid)
    for session_id, person_id in SessionRole.objects.filter(session_id__in=sessions).values_list(
        "session_id", "person_id"
    ):
        people[person_id] |= sessions[session_id]
    for session_id, person_id in (
        Registration.objects.active()
        .filter(session_id__in=sessions)
        .values_list("session_id", "person_id")
    ):
        people[person_id] |= sessions[session_id]
    for meeting_id, person_id in MeetingParticipant.objects.filter(
        meeting_id__in=meetings
    ).values_list("meeting_id", "person_id"):
        people[person_id] |= meetings[meeting_id]
    for session_id, user_id in Star.objects.filter(session_id__in=sessions).values_list(
        "session_id", "user_id"
    ):
        users[user_id] |= sessions[session_id]
    found: dict[str, Affected] = {}
    persons = Person.objects.filter(pk__in=people).select_related("user")
    for person in persons:
        key = f"user-{person.user_id}" if person.user_id else f"person-{person.pk}"
        found[key] = Affected(key=key, person=person, user=person.user, uids=set(people[person.pk]))
    for user in get_user_model().objects.filter(pk__in=users).select_related("person"):
        key = f"user-{user.pk}"
        if key not in found:
            found[key] = Affected(key=key, person=getattr(user, "person", None), user=user)
        found[key].uids |= users[user.pk]
    return sorted(found.values(), key=lambda someone: (someone.name.casefold(), someone.key))


def changes_for(changes: Sequence[Change], uids: set[str]) -> list[Change]:
    return [change for change in changes if change.uid in uids]


@dataclass
class SinceVisit:
    """What changed in one summit's releases since an attendee last looked at their agenda."""

    summit: Summit
    releases: list[Release]
    changes: list[Change]


def since_last_visit(user: User) -> list[SinceVisit]:
    """The changes in releases published since the attendee's last visit that touch their
    own agenda (their sessions, seats, places in line, stars and meetings), per summit; the
    visit is then recorded, so each change is shown once. Nothing on a first visit: there is
    no "since" yet. Only what the public programme showed is ever listed."""
    moment = timezone.now()
    seen_at = AgendaVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()
    if seen_at is None:
        # Two first visits at once (two tabs) record one of them.
        AgendaVisit.objects.bulk_create(
            [AgendaVisit(user=user, seen_at=moment)], ignore_conflicts=True
        )
        return []
    AgendaVisit.objects.filter(user=user).update(seen_at=moment)
    fresh = list(
        Release.objects.filter(published_at__gt=seen_at, published_at__lte=moment)
        .select_related("summit")
        .order_by("summit", "number")
    )
    if not fresh:
        return []
    mine = own_uids(user)
    person_id = getattr(getattr(user, "person", None), "pk", None)
    found = []
    for _summit_id, group in groupby(fresh, key=lambda release: release.summit_id):
        releases = list(group)
        base = Release.objects.filter(
            summit_id=releases[0].summit_id, number__lt=releases[0].number
        ).first()
        if base is None:
            # The first release of a summit is where its changes start from.
            base, releases = releases[0], releases[1:]
            if not releases:
                continue
        changes = [
            change
            for change in diff(entries_of(base), entries_of(releases[-1]))
            if change.uid in mine or (person_id is not None and person_id in change.people)
        ]
        if changes:
            found.append(SinceVisit(summit=releases[0].summit, releases=releases, changes=changes))
    return found


def own_uids(user: User) -> set[str]:
    """The UIDs of the items in someone's agenda, whatever their state now."""
    uids = {
        ical.uid(SESSION, pk)
        for pk in Session.objects.in_agenda_of(user).values_list("pk", flat=True)
    }
    person = getattr(user, "person", None)
    if person is not None:
        uids |= {
            ical.uid(MEETING, pk)
            for pk in Meeting.objects.of_person(person).values_list("pk", flat=True)
        }
    return uids


def predecessors(releases: Iterable[Release]) -> dict[tuple[int, int], Release]:
    """The release before each of these, by (summit id, number), in one query."""
    wanted = Q(pk__in=[])
    for release in releases:
        if release.number > 1:
            wanted |= Q(summit_id=release.summit_id, number=release.number - 1)
    return {(r.summit_id, r.number): r for r in Release.objects.filter(wanted)}


def changes_in(release: Release, previous: dict[tuple[int, int], Release]) -> list[Change]:
    """What a release changed since the one before it (`previous`: see `predecessors`)."""
    before = previous.get((release.summit_id, release.number - 1))
    if before is None:
        return []  # a first release is where the changes start from
    return diff(entries_of(before), entries_of(release))


@dataclass(frozen=True)
class Line:
    """A change as pages, feeds and emails tell it."""

    kind: str
    label: str
    title: str
    url: str
    detail: str


def describe(change: Change, *, summit: Summit) -> Line:
    """A change in words, with times in the summit's zone; a link for a session still shown."""
    zone = summit.tz
    entry = change.entry
    url = ""
    if entry.kind == SESSION and change.after is not None and entry.slug:
        url = reverse("agenda:session", kwargs={"summit": summit.slug, "slug": entry.slug})
    detail = ""
    if change.kind == ChangeKind.MOVED:
        assert change.before is not None and change.after is not None
        detail = f"{when_where(change.before, zone)} → {when_where(change.after, zone)}"
    elif change.kind == ChangeKind.RENAMED:
        assert change.before is not None
        detail = _("formerly “%(title)s”") % {"title": change.before.title}
    elif change.kind != ChangeKind.REMOVED:
        detail = when_where(entry, zone)
    return Line(
        kind=str(change.kind),
        label=str(LABELS[change.kind]),
        title=entry.title,
        url=url,
        detail=detail,
    )


def when_where(entry: Entry, zone: tzinfo) -> str:
    start, end = timezone.localtime(entry.start, zone), timezone.localtime(entry.end, zone)
    when = f"{date_format(start, 'D j M')} {start:%H:%M}–{end:%H:%M}"
    return ", ".join(part for part in (when, entry.place) if part)
