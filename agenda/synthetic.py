"""A synthetic summit at a real summit's scale, to measure the site: `manage.py generate_summit`.

The same plan (number of sessions, seed, slug, first day) gives the same summit: names, times,
rooms, people, seats and stars. Only what must not be predictable (feed secrets, password
salts) and the timestamps of the writes differ from one run to the next.

Rows are written with bulk_create, thousands at a time, so neither the admin's checks nor the
signals run for them. The generator keeps the scheduling rules itself instead: a room hosts one
thing at a time; nobody (speaker, meeting participant, attendee with a seat) is in two places at
once or short of the travel time between venues; no workshop sells more seats than it has.
Before the transaction commits, `summit_conflicts` reads the programme back and any conflict,
even a warning, undoes the whole summit. Stars are wishes, not commitments: an attendee may star
sessions that overlap, as real attendees do.
"""

from __future__ import annotations

import math
import random
import secrets
import zoneinfo
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from agenda.models import (
    AgendaChange,
    FeedToken,
    Registration,
    Room,
    Session,
    SessionRole,
    Star,
    Summit,
    Track,
    TravelTime,
    Venue,
)
from agenda.models.sync import hash_feed_token
from agenda.scheduling import Booking, TravelTimes, summit_conflicts
from meetings.models import Meeting, MeetingParticipant, MeetingTransition
from people.models import Organisation, Person

# Marks a summit as generated: only such a summit may be replaced.
TAGLINE = "A synthetic summit, generated to measure the site at scale"

TIME_ZONE = "Europe/Paris"
ZONE = zoneinfo.ZoneInfo(TIME_ZONE)
DAY_OPENS, DAY_CLOSES = time(8, 0), time(20, 0)
MIN_DAYS = 2
MINUTES = timedelta(minutes=1)

VENUES = [
    ("Grand Hall", "1 avenue des Congrès, Paris", "48.866100", "2.312500"),
    ("Innovation Campus", "5 parvis Alan Turing, Paris", "48.834200", "2.370600"),
    ("Conference Centre", "2 place de la Porte Maillot, Paris", "48.878600", "2.283200"),
]
ROOM_SEATS = [40, 60, 80, 120, 200, 400]
TRACKS = [
    ("Governance and trust", "#1f4e79"),
    ("Health and science", "#2e7d32"),
    ("Energy and climate", "#827717"),
    ("Skills and work", "#6a1b9a"),
    ("Security and safety", "#b71c1c"),
    ("Research frontiers", "#00695c"),
    ("Start-ups and investment", "#e65100"),
    ("Culture and creation", "#ad1457"),
    ("Public services", "#283593"),
    ("Inclusion and languages", "#4e342e"),
    ("Compute and infrastructure", "#37474f"),
    ("Open source and data", "#558b2f"),
]
KINDS = {  # kind: (weight, role of the first person, role of the others)
    Session.Kind.PANEL: (40, SessionRole.Role.MODERATOR, SessionRole.Role.PANELLIST),
    Session.Kind.WORKSHOP: (22, SessionRole.Role.HOST, SessionRole.Role.HOST),
    Session.Kind.BRIEFING: (12, SessionRole.Role.SPEAKER, SessionRole.Role.SPEAKER),
    Session.Kind.KEYNOTE: (8, SessionRole.Role.SPEAKER, SessionRole.Role.CHAIR),
    Session.Kind.PLENARY: (6, SessionRole.Role.CHAIR, SessionRole.Role.SPEAKER),
    Session.Kind.PRESS: (6, SessionRole.Role.SPEAKER, SessionRole.Role.SPEAKER),
    Session.Kind.VISIT: (3, SessionRole.Role.HOST, SessionRole.Role.PARTICIPANT),
    Session.Kind.CEREMONY: (3, SessionRole.Role.HOST, SessionRole.Role.SPEAKER),
}
TOPICS = [
    "trustworthy AI governance",
    "AI in health and science",
    "early cancer detection",
    "personalised medicine",
    "the Code of Practice for general-purpose AI",
    "AI factories and supercomputing",
    "AI's energy footprint",
    "skills for an AI economy",
    "AI in public administration",
    "open models and open data",
    "safety evaluations of frontier models",
    "AI and the creative industries",
    "multilingual language models",
    "AI for climate adaptation",
    "semiconductors and compute",
    "AI in education",
    "financing AI start-ups",
    "privacy-preserving machine learning",
    "AI and cybersecurity",
    "agriculture and food systems",
    "AI in transport and cities",
    "children's rights online",
    "AI and the labour market",
    "scientific discovery with AI",
    "standards and conformity assessment",
    "AI for sustainable development",
    "disinformation and elections",
    "AI in defence and dual use",
    "robotics and manufacturing",
    "cloud sovereignty",
]
ANGLES = [
    "from pilots to practice",
    "what has worked so far",
    "the next five years",
    "lessons from the regions",
    "a view from industry",
    "a view from research",
    "the citizens' perspective",
    "open questions",
    "building the evidence",
    "international cooperation",
    "the role of the public sector",
    "investing at scale",
    "measuring impact",
    "risks and safeguards",
    "who pays, who benefits",
]
SENTENCES = [
    "Speakers compare what has been tried, what it cost and what it changed.",
    "The session draws on case studies from several continents.",
    "Questions from the floor are welcome; seats are limited.",
    "Participants leave with a shared list of next steps.",
    "It follows up on commitments made at earlier summits.",
    "Researchers, officials and entrepreneurs discuss the evidence side by side.",
    "Interpretation into French and English is provided.",
    "The discussion is held under the Chatham House rule.",
]
FIRST_NAMES = [
    "Amélie", "Rahul", "Henna", "Stéphane", "Ursula", "Aiko", "Kwame", "Lucía", "Mateo",
    "Ingrid", "Oluwaseun", "Priya", "Jonas", "Fatima", "Chen", "Sofia", "Tomás", "Leila",
    "Dmitri", "Grace", "Hiroshi", "Nadia", "Pedro", "Astrid", "Yusuf", "Mei", "Lars", "Zanele",
    "Camille", "Arjun", "Elena", "Malik", "Chiara", "Bjørn", "Thandiwe", "Kenji", "Marta",
    "Omar", "Anouk", "Rafael",
]  # fmt: skip
LAST_NAMES = [
    "Durand", "Sharma", "Virtanen", "Moreau", "Schmidt", "Tanaka", "Mensah", "García", "Rossi",
    "Johansson", "Adeyemi", "Iyer", "Weber", "El Amrani", "Wang", "Papadopoulos", "Silva",
    "Haddad", "Ivanov", "Okafor", "Sato", "Benali", "Costa", "Nilsson", "Demir", "Liu",
    "Hansen", "Dlamini", "Lefèvre", "Mehta", "Popescu", "Khan", "Bianchi", "Larsen", "Nkosi",
    "Kobayashi", "Kowalska", "Farouk", "de Vries", "Fernández",
]  # fmt: skip
POSITIONS = [
    "Minister for Digital Affairs",
    "Secretary of State for AI",
    "Director of AI Policy",
    "Chief Scientist",
    "Head of Research",
    "Founder and CEO",
    "Chief Technology Officer",
    "Professor of Computer Science",
    "Programme Director",
    "Senior Adviser",
    "Ambassador for Digital Affairs",
    "Head of Public Policy",
    "Executive Director",
    "Research Fellow",
]
ORGANISATIONS = [
    ("Ministry of Digital Affairs", Organisation.Kind.GOVERNMENT),
    ("European Commission", Organisation.Kind.EU_INSTITUTION),
    ("AI Office", Organisation.Kind.EU_INSTITUTION),
    ("Institute for AI Safety", Organisation.Kind.RESEARCH),
    ("National Research Centre", Organisation.Kind.RESEARCH),
    ("Foundation for Open AI", Organisation.Kind.NGO),
    ("Digital Rights Watch", Organisation.Kind.NGO),
    ("Nimbus AI", Organisation.Kind.COMPANY),
    ("Quanta Compute", Organisation.Kind.COMPANY),
    ("Lumen Health", Organisation.Kind.COMPANY),
    ("Global Partnership on AI", Organisation.Kind.INTERNATIONAL),
    ("Daily Tribune", Organisation.Kind.MEDIA),
    ("Museum of Digital Art", Organisation.Kind.CULTURE),
]
COUNTRIES = [
    "FR", "IN", "DE", "IT", "ES", "NL", "SE", "FI", "PL", "JP", "KR", "CA", "US", "GB", "BR",
    "MX", "NG", "KE", "ZA", "GH", "SN", "MA", "EG", "AE", "SG", "AU", "NZ", "CN", "CH", "EE",
]  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What to generate. Counts not given follow from the number of sessions."""

    sessions: int = 2000
    seed: int = 2025
    slug: str = "synthetic"
    start: date = date(2030, 2, 11)
    rooms: int | None = None
    tracks: int = 12
    attendees: int | None = None

    @property
    def room_count(self) -> int:
        return self.rooms or min(100, max(4, math.ceil(self.sessions / 20)))

    @property
    def venue_count(self) -> int:
        return 3 if self.room_count >= 12 else 2

    @property
    def people_count(self) -> int:
        return max(20, self.sessions // 2)

    @property
    def attendee_count(self) -> int:
        return max(50, self.sessions // 10) if self.attendees is None else self.attendees

    @property
    def meeting_count(self) -> int:
        return max(5, self.sessions // 20)

    @property
    def organisation_count(self) -> int:
        return max(10, self.sessions // 40)


@dataclass
class Built:
    """What was generated, for the command to report."""

    summit: Summit
    days: int = 0
    venues: int = 0
    rooms: int = 0
    tracks: int = 0
    people: int = 0
    attendees: int = 0
    agenda_items: int = 0
    meetings: int = 0


@dataclass(frozen=True)
class Slot:
    """A stretch of one room's time."""

    start: datetime
    end: datetime
    room: Room


@dataclass
class Diary:
    """One person's commitments, kept as the scheduling rules see them."""

    bookings: list[Booking] = field(default_factory=list)

    def is_free(self, candidate: Booking, travel: TravelTimes) -> bool:
        """Not elsewhere at the time, with the trip to and from every other engagement."""
        for other in self.bookings:
            there = travel.between(other.venue_id, candidate.venue_id) * MINUTES
            back = travel.between(candidate.venue_id, other.venue_id) * MINUTES
            if candidate.start < other.end + there and other.start < candidate.end + back:
                return False
        return True


def generate(plan: Plan) -> Built:
    """Create the summit of the plan in one transaction; refuse it whole if it breaks a rule."""
    with transaction.atomic():
        built = Generator(plan).build()
        conflicts = summit_conflicts(summit=built.summit)
        if conflicts:
            raise AssertionError(
                f"The generated summit breaks {len(conflicts)} scheduling rule(s), e.g. "
                f"{conflicts[0].message}"
            )
    return built


def is_generated(summit: Summit) -> bool:
    return summit.tagline == TAGLINE


def forget(summit: Summit) -> None:
    """Delete a generated summit with its people, attendees and organisations.

    Bulk deletes in SQL: the per-row signals (seats passed down a waiting list, removals noted
    for syncing clients) have nothing to do for a summit that goes whole, and would take
    minutes for tens of thousands of rows.
    """
    assert is_generated(summit), f"{summit} was not generated; it is kept."
    sessions = Session.objects.filter(summit=summit)
    meetings = Meeting.objects.filter(summit=summit)
    prefix = f"{summit.slug}-"
    with transaction.atomic():
        rows: Sequence[QuerySet] = [
            AgendaChange.objects.filter(session__in=sessions),
            Registration.objects.filter(session__in=sessions),
            Star.objects.filter(session__in=sessions),
            SessionRole.objects.filter(session__in=sessions),
            MeetingParticipant.objects.filter(meeting__in=meetings),
            MeetingTransition.objects.filter(meeting__in=meetings),
            sessions,
            meetings,
            FeedToken.objects.filter(user__username__startswith=prefix),
        ]
        for queryset in rows:
            queryset._raw_delete(queryset.db)
        summit.delete()
        Person.objects.filter(slug__startswith=prefix).delete()
        get_user_model().objects.filter(username__startswith=prefix).delete()
        Organisation.objects.filter(slug__startswith=prefix).delete()


class Generator:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.rng = random.Random(plan.seed)
        self.prefix = f"{plan.slug}-"

    def build(self) -> Built:
        slots = self.lay_out_room_time()
        self.build_summit()
        self.built.days = len(self.summit.days)
        self.build_people()
        chosen = set(self.rng.sample(range(len(slots)), self.plan.sessions))
        self.build_sessions([slot for index, slot in enumerate(slots) if index in chosen])
        self.build_meetings([slot for index, slot in enumerate(slots) if index not in chosen])
        self.build_attendees()
        return self.built

    # --- place and time --------------------------------------------------------------------

    def lay_out_room_time(self) -> list[Slot]:
        """Room time, day after day, until there is a slot for every session and meeting."""
        plan, rng = self.plan, self.rng
        self.venues = [
            Venue(
                name=name,
                slug=slugify(name),
                address=address,
                latitude=Decimal(latitude),
                longitude=Decimal(longitude),
            )
            for name, address, latitude, longitude in VENUES[: plan.venue_count]
        ]
        self.rooms = []
        for index in range(plan.room_count):
            venue = self.venues[index % len(self.venues)]
            number = index // len(self.venues) + 1
            self.rooms.append(
                Room(
                    venue=venue,
                    name=f"{venue.name} {number}",
                    slug=f"room-{number}",
                    capacity=rng.choice(ROOM_SEATS),
                    position=number,
                )
            )
        wanted = plan.sessions + plan.meeting_count
        slots: list[Slot] = []
        self.days: list[date] = []
        while len(self.days) < MIN_DAYS or len(slots) < wanted:
            day = plan.start + timedelta(days=len(self.days))
            self.days.append(day)
            for room in self.rooms:
                slots += self.day_in_room(day, room)
        return slots

    def day_in_room(self, day: date, room: Room) -> list[Slot]:
        moment = datetime.combine(day, DAY_OPENS, tzinfo=ZONE)
        closes = datetime.combine(day, DAY_CLOSES, tzinfo=ZONE)
        moment += self.rng.choice([0, 15, 30]) * MINUTES
        slots: list[Slot] = []
        while True:
            end = moment + self.rng.choice([30, 45, 60, 60, 90]) * MINUTES
            if end > closes:
                return slots
            slots.append(Slot(moment, end, room))
            moment = end + self.rng.choice([0, 0, 15]) * MINUTES

    def build_summit(self) -> None:
        plan, rng = self.plan, self.rng
        self.summit = Summit.objects.create(
            name=f"Synthetic Summit ({plan.sessions:,} sessions)",
            slug=plan.slug,
            tagline=TAGLINE,
            description=(
                f"Made by manage.py generate_summit --sessions {plan.sessions} --seed "
                f"{plan.seed}. Every name, organisation and time in it is invented."
            ),
            city="Paris",
            start_date=self.days[0],
            end_date=self.days[-1],
            time_zone=TIME_ZONE,
        )
        self.built = Built(summit=self.summit)
        for venue in self.venues:
            venue.summit = self.summit
        Venue.objects.bulk_create(self.venues)
        Room.objects.bulk_create(self.rooms)
        minutes = {}
        for origin in self.venues:
            for destination in self.venues:
                if origin is not destination:
                    minutes[origin.pk, destination.pk] = rng.randint(25, 35)
        TravelTime.objects.bulk_create(
            TravelTime(origin_id=origin, destination_id=destination, minutes=value)
            for (origin, destination), value in minutes.items()
        )
        self.travel = TravelTimes(minutes)
        self.tracks = Track.objects.bulk_create(
            Track(summit=self.summit, name=name, slug=slugify(name), colour=colour)
            for name, colour in TRACKS[: plan.tracks]
        )
        self.built.venues, self.built.rooms = len(self.venues), len(self.rooms)
        self.built.tracks = len(self.tracks)

    # --- people ----------------------------------------------------------------------------

    def build_people(self) -> None:
        """The people on the programme and in the meetings, with their organisations."""
        plan, rng = self.plan, self.rng
        organisations = []
        for index in range(plan.organisation_count):
            name, kind = ORGANISATIONS[index % len(ORGANISATIONS)]
            country = rng.choice(COUNTRIES)
            if kind == Organisation.Kind.GOVERNMENT:
                name = f"{name} ({country})"
            slug = f"{self.prefix}organisation-{index + 1:04d}"
            organisations.append(Organisation(name=name, slug=slug, kind=kind, country=country))
        Organisation.objects.bulk_create(organisations)
        self.people, self.affiliations = [], []
        for index in range(plan.people_count):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            organisation = rng.choice(organisations)
            self.people.append(
                Person(
                    name=name,
                    slug=f"{self.prefix}{slugify(name)}-{index + 1}",
                    position=rng.choice(POSITIONS),
                    organisation=organisation,
                    country=organisation.country,
                    bio=f"{name} works on {rng.choice(TOPICS)} at {organisation.name}.",
                    is_public=rng.random() > 0.05,
                )
            )
            self.affiliations.append(organisation.name)
        Person.objects.bulk_create(self.people, batch_size=500)
        self.diaries = [Diary() for _ in self.people]
        self.built.people = len(self.people)

    def free_people(self, booking: Booking, count: int) -> list[int]:
        """Up to `count` people (their indexes) free at the booking's time, now committed."""
        found: list[int] = []
        everyone = len(self.people)
        # A few random tries find someone nearly always; the full scan makes it certain.
        tries = self.rng.sample(range(everyone), min(everyone, 40))
        start = self.rng.randrange(everyone)
        for index in chain(tries, range(start, everyone), range(start)):
            if index not in found and self.diaries[index].is_free(booking, self.travel):
                found.append(index)
                self.diaries[index].bookings.append(booking)
                if len(found) == count:
                    break
        return found

    # --- the programme ---------------------------------------------------------------------

    def build_sessions(self, slots: list[Slot]) -> None:
        rng = self.rng
        kinds = list(KINDS)
        weights = [KINDS[kind][0] for kind in kinds]
        slugs: Counter[str] = Counter()
        sessions, roles = [], []
        for slot in slots:
            kind = rng.choices(kinds, weights)[0]
            topic = rng.choice(TOPICS)
            title = (
                f"{Session.Kind(kind).label}: {topic[0].upper()}{topic[1:]} — {rng.choice(ANGLES)}"
            )
            slug = slugify(title)[:190]
            slugs[slug] += 1
            workshop = kind == Session.Kind.WORKSHOP
            session = Session(
                summit=self.summit,
                title=title,
                slug=slug if slugs[slug] == 1 else f"{slug}-{slugs[slug]}",
                kind=kind,
                abstract=" ".join(
                    [f"On {topic}: {rng.choice(ANGLES)}.", *rng.sample(SENTENCES, 2)]
                ),
                start=slot.start,
                end=slot.end,
                room=slot.room,
                track=rng.choice(self.tracks) if rng.random() < 0.9 else None,
                visibility=(
                    Session.Visibility.INVITATION
                    if not workshop and rng.random() < 0.04
                    else Session.Visibility.PUBLIC
                ),
                status=(
                    Session.Status.CANCELLED
                    if not workshop and rng.random() < 0.01
                    else Session.Status.SCHEDULED
                ),
                capacity=rng.randint(10, min(60, slot.room.capacity or 60)) if workshop else None,
            )
            sessions.append(session)
            booking = Booking.of(session)
            # A cancelled session holds nobody's time; its people are kept free of it anyway.
            lead, others = KINDS[kind][1:]
            roles += [
                SessionRole(
                    session=session,
                    person=self.people[index],
                    role=others if position else lead,
                    position=position,
                )
                for position, index in enumerate(self.free_people(booking, rng.randint(1, 3)))
            ]
        self.sessions, self.roles = sessions, roles

    def build_meetings(self, free_slots: list[Slot]) -> None:
        """Bilateral and small multilateral meetings of the speakers, in room time no session
        uses: most confidential, some public and announced; most confirmed, some only
        requested."""
        rng = self.rng
        free = list(free_slots)
        rng.shuffle(free)
        meetings, participants, transitions = [], [], []
        for index in range(self.plan.meeting_count):
            status = rng.choices(
                [Meeting.Status.CONFIRMED, Meeting.Status.PROPOSED, Meeting.Status.REQUESTED],
                [65, 10, 25],
            )[0]
            # At least one public confirmed meeting, and one confidential, in every summit.
            if index < 2:
                status = Meeting.Status.CONFIRMED
            public = index == 1 or (index > 1 and rng.random() < 0.2)
            size = rng.choice([2, 2, 2, 3, 4])
            duration = rng.choice([30, 45])
            day = rng.choice(self.days)
            meeting = Meeting(
                summit=self.summit,
                status=status,
                confidentiality=(
                    Meeting.Confidentiality.PUBLIC
                    if public
                    else Meeting.Confidentiality.CONFIDENTIAL
                ),
                duration_minutes=duration,
                window_start=datetime.combine(day, DAY_OPENS, tzinfo=ZONE),
                window_end=datetime.combine(day, DAY_CLOSES, tzinfo=ZONE),
            )
            chosen: list[int] = []
            while status != Meeting.Status.REQUESTED and free:
                slot = free.pop()
                end = slot.start + duration * MINUTES
                if end > slot.end:
                    continue
                booking = Booking(slot.start, end, slot.room.venue.pk, meeting)
                chosen = self.free_people(booking, size)
                if len(chosen) >= 2:
                    meeting.start, meeting.end, meeting.room = slot.start, end, slot.room
                    meeting.venue = slot.room.venue
                    meeting.window_start = datetime.combine(
                        slot.start.date(), DAY_OPENS, tzinfo=ZONE
                    )
                    meeting.window_end = datetime.combine(
                        slot.start.date(), DAY_CLOSES, tzinfo=ZONE
                    )
                    break
                for index in chosen:  # too few: free them again
                    self.diaries[index].bookings.remove(booking)
                chosen = []
            if not chosen:
                meeting.status = status = Meeting.Status.REQUESTED
                chosen = rng.sample(range(len(self.people)), size)
            people = [self.people[index] for index in chosen]
            sides = [self.affiliations[index] for index in chosen]
            kind = "Bilateral meeting" if len(people) == 2 else "Meeting"
            meeting.title = f"{kind}: {' / '.join(dict.fromkeys(sides))}"
            meeting.purpose = f"To discuss {rng.choice(TOPICS)}."
            meeting.requested_by = people[0]
            meetings.append(meeting)
            answer = (
                MeetingParticipant.Response.ACCEPTED
                if status == Meeting.Status.CONFIRMED
                else MeetingParticipant.Response.PENDING
            )
            participants += [
                MeetingParticipant(meeting=meeting, person=person, side=side, response=answer)
                for person, side in zip(people, sides, strict=True)
            ]
            if status != Meeting.Status.REQUESTED:
                transitions.append(
                    MeetingTransition(
                        meeting=meeting, from_status=Meeting.Status.REQUESTED, to_status=status
                    )
                )
        self.meetings, self.participants, self.transitions = meetings, participants, transitions

    # --- attendees -------------------------------------------------------------------------

    def build_attendees(self) -> None:
        """Attendees with a login, a private person, 20 to 40 sessions in their agenda (seats
        at workshops, stars) and one personal feed link. The first has exactly 30 items, for a
        feed of a known size."""
        rng, plan = self.rng, self.plan
        public = [s for s in self.sessions if s.visibility == Session.Visibility.PUBLIC]
        workshops = [
            s
            for s in public
            if s.kind == Session.Kind.WORKSHOP and s.status == Session.Status.SCHEDULED
        ]
        users, people, tokens = [], [], []
        stars: list[Star] = []
        registrations: list[Registration] = []
        # Unusable passwords: hashing thousands of real ones would take minutes.
        password = make_password(None)
        signed_up = datetime.combine(plan.start - timedelta(days=30), time(9, 0), tzinfo=ZONE)
        items = 0
        taken: Counter[int] = Counter()  # seats per session, by id(): none is written yet
        for index in range(plan.attendee_count):
            username = f"{self.prefix}attendee-{index + 1:04d}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user = get_user_model()(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.invalid",
                password=password,
            )
            person = Person(
                name=f"{first} {last}",
                slug=username,
                user=user,
                is_public=False,
                country=rng.choice(COUNTRIES),
            )
            users.append(user)
            people.append(person)
            wanted = 30 if index == 0 else rng.randint(20, 40)
            diary = Diary()
            seats: list[Session] = []
            target = min(rng.randint(2, 6), wanted)
            for session in rng.sample(workshops, min(len(workshops), 12)):
                if len(seats) == target:
                    break
                booking = Booking.of(session)
                if diary.is_free(booking, self.travel):
                    diary.bookings.append(booking)
                    seats.append(session)
            for session in seats:
                moment = signed_up + len(registrations) * MINUTES
                has_seat = taken[id(session)] < (session.capacity or 0)
                taken[id(session)] += has_seat
                status = (
                    Registration.Status.CONFIRMED if has_seat else Registration.Status.WAITLISTED
                )
                registrations.append(
                    Registration(session=session, person=person, status=status, queued_at=moment)
                )
            chosen = {id(session) for session in seats}
            others = [session for session in public if id(session) not in chosen]
            starred = rng.sample(others, min(len(others), wanted - len(seats)))
            for session in starred:
                moment = signed_up + (len(stars) + len(registrations)) * MINUTES
                stars.append(Star(user=user, session=session, created_at=moment))
            items += len(seats) + len(starred)
            token_hash = hash_feed_token(secrets.token_urlsafe(32))
            tokens.append(FeedToken(user=user, label="Phone", token_hash=token_hash))
        for session in self.sessions:
            session.seats_taken = taken[id(session)]
        self.write(users, people, stars, registrations, tokens)
        self.built.attendees, self.built.agenda_items = len(users), items

    def write(self, users, people, stars, registrations, tokens) -> None:
        """Every row, parents first, thousands per statement."""
        Session.objects.bulk_create(self.sessions, batch_size=500)
        SessionRole.objects.bulk_create(self.roles, batch_size=500)
        Meeting.objects.bulk_create(self.meetings, batch_size=500)
        MeetingParticipant.objects.bulk_create(self.participants, batch_size=500)
        MeetingTransition.objects.bulk_create(self.transitions, batch_size=500)
        get_user_model().objects.bulk_create(users, batch_size=500)
        Person.objects.bulk_create(people, batch_size=500)
        Star.objects.bulk_create(stars, batch_size=500)
        Registration.objects.bulk_create(registrations, batch_size=500)
        AgendaChange.objects.bulk_create(
            (
                AgendaChange(
                    at=registration.queued_at,
                    actor=registration.person.user,
                    person=registration.person,
                    session=registration.session,
                    action=(
                        AgendaChange.Action.REGISTERED
                        if registration.status == Registration.Status.CONFIRMED
                        else AgendaChange.Action.WAITLISTED
                    ),
                )
                for registration in registrations
            ),
            batch_size=500,
        )
        FeedToken.objects.bulk_create(tokens, batch_size=500)
        self.built.meetings = len(self.meetings)
