import re
import shutil
import zoneinfo
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from agenda.demo import DEFAULT_PATH, InvalidDemoData, load_demo, whole_weeks
from agenda.models import KeyPerson, Room, Session, SessionRole, Summit, Track, TravelTime, Venue
from agenda.scheduling import summit_conflicts
from meetings.models import Meeting, MeetingParticipant
from people.models import Delegation, Organisation, Person

pytestmark = pytest.mark.usefixtures("fast_passwords")

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MODELS = [
    Summit,
    Venue,
    TravelTime,
    Room,
    Track,
    Session,
    SessionRole,
    KeyPerson,
    Organisation,
    Person,
    Delegation,
    Delegation.members.through,
    Meeting,
    MeetingParticipant,
]

# Every session DESIGN.md names, with the breaks, press conference and extras around them.
SESSION_SLUGS = {
    "registration-day-1",
    "opening-plenary",
    "coffee-break-day-1",
    "trustworthy-ai-governance-panel",
    "lunch-day-1",
    "code-of-practice-update",
    "ai-and-energy",
    "ai-in-health-and-science-workshop",
    "europe-leadership-responsible-ai-workshop",
    "ministerial-roundtable",
    "press-conference",
    "welcome-coffee-station-f",
    "ai-factories",
    "station-f-visit",
    "startup-clinic-ai-act",
    "apply-ai-strategy-skills-academy",
    "global-dialogue-panel",
    "lunch-day-2",
    "leaders-working-lunch",
    "closing-statement",
}


def snapshot():
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows["User"] = list(
        get_user_model().objects.order_by("pk").values(*user_fields_but_last_login())
    )
    return rows


def user_fields_but_last_login():
    return [f.attname for f in get_user_model()._meta.concrete_fields if f.name != "last_login"]


@pytest.fixture(autouse=True)
def demo_images(tmp_path):
    """Demo data written to tmp_path names the demo's logo and preview image beside it."""
    for name in ("ai-action-summit-2025.svg", "ai-action-summit-2025-preview.png"):
        shutil.copy(DEFAULT_PATH.parent / name, tmp_path / name)


def broken_copy(tmp_path, session):
    path = tmp_path / "broken.toml"
    path.write_text(DEFAULT_PATH.read_text(encoding="utf-8") + session, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_loading_creates_the_summit_as_designed():
    summary = load_demo()

    summit = Summit.objects.get(slug="ai-action-summit-2025")
    assert (summit.name, summit.city, summit.time_zone) == (
        "AI Action Summit",
        "Paris",
        "Europe/Paris",
    )
    assert summit.days == [date(2025, 2, 10), date(2025, 2, 11)]
    assert {(v.slug, v.latitude, v.longitude) for v in Venue.objects.filter(summit=summit)} == {
        ("grand-palais", Decimal("48.866100"), Decimal("2.312500")),
        ("station-f", Decimal("48.834100"), Decimal("2.370700")),
    }
    assert set(TravelTime.objects.values_list("origin__slug", "destination__slug", "minutes")) == {
        ("grand-palais", "station-f", 35),
        ("station-f", "grand-palais", 30),
    }
    sessions = Session.objects.filter(summit=summit)
    assert set(sessions.values_list("slug", flat=True)) == SESSION_SLUGS
    assert set(
        sessions.filter(visibility=Session.Visibility.INVITATION).values_list("slug", flat=True)
    ) == {"ministerial-roundtable", "leaders-working-lunch"}
    for item in [*sessions, *Meeting.objects.filter(start__isnull=False)]:
        start, end = item.start.astimezone(PARIS), item.end.astimezone(PARIS)
        assert time(8) <= start.time() and end.time() <= time(20), item
    confidential_on_day_2 = Meeting.objects.filter(
        summit=summit,
        confidentiality=Meeting.Confidentiality.CONFIDENTIAL,
        start__gte=summit.day_bounds(date(2025, 2, 11))[0],
        end__lte=summit.day_bounds(date(2025, 2, 11))[1],
    )
    assert sorted(confidential_on_day_2.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "proposed",
    ]
    assert set(Meeting.objects.values_list("status", flat=True)) == {
        "confirmed",
        "proposed",
        "requested",
    }
    logins = {
        user.username: (user.is_staff, user.is_superuser, getattr(user, "person", None))
        for user in get_user_model().objects.select_related("person")
    }
    assert logins == {
        "staff": (True, True, None),
        "amelie": (False, False, Person.objects.get(slug="amelie-durand")),
        "rahul": (False, False, Person.objects.get(slug="rahul-mehta")),
    }
    assert [(login.username, login.password) for login in summary.logins] == [
        ("staff", "summit-staff-2025"),
        ("amelie", "summit-amelie-2025"),
        ("rahul", "summit-rahul-2025"),
    ]
    assert get_user_model().objects.get(username="rahul").check_password("summit-rahul-2025")


@pytest.mark.django_db
def test_the_commission_delegation_and_its_confirmed_bilaterals():
    load_demo()

    delegation = Delegation.objects.get(slug="european-commission")
    assert delegation.head.name == "Ursula von der Leyen"
    assert set(delegation.members.values_list("name", flat=True)) == {
        "Ursula von der Leyen",
        "Stéphane Séjourné",
        "Henna Virkkunen",
        "Jukka Mäkelä",
    }
    for meeting in Meeting.objects.filter(status=Meeting.Status.CONFIRMED):
        responses = set(meeting.participants.values_list("response", flat=True))
        assert responses == {MeetingParticipant.Response.ACCEPTED}, meeting
    requested = Meeting.objects.get(status=Meeting.Status.REQUESTED)
    assert (requested.start, requested.end, requested.room) == (None, None, None)
    assert set(requested.participants.values_list("response", flat=True)) == {"pending"}


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load_demo()
    before = snapshot()

    summary = load_demo()

    assert snapshot() == before
    assert (sum(summary.created.values()), sum(summary.updated.values())) == (0, 0)
    memberships = Delegation.members.through.__name__
    assert dict(summary.unchanged) == {
        name: len(rows) for name, rows in before.items() if name != memberships
    }


@pytest.mark.django_db
def test_a_changed_session_time_is_updated_and_its_sequence_bumped(tmp_path):
    load_demo()
    path = tmp_path / "moved.toml"
    path.write_text(
        DEFAULT_PATH.read_text(encoding="utf-8").replace(
            'start = "2025-02-10T18:00"\nend = "2025-02-10T18:30"',
            'start = "2025-02-10T18:15"\nend = "2025-02-10T18:45"',
        ),
        encoding="utf-8",
    )

    summary = load_demo(path)

    assert (dict(summary.created), dict(summary.updated)) == ({}, {"Session": 1})
    press = Session.objects.get(slug="press-conference")
    assert (press.start.astimezone(PARIS).time(), press.sequence) == (time(18, 15), 1)


@pytest.mark.django_db
def test_the_demo_data_has_no_conflicts_at_all():
    summary = load_demo()

    assert summary.warnings == []
    assert summit_conflicts(summit=summary.summit) == []


@pytest.mark.django_db
def test_a_tight_change_of_venue_is_reported_as_a_warning(tmp_path):
    # Virkkunen leaves her Station F bilateral at 12:30; the Grand Palais is 30 minutes away.
    # Sessions load before meetings, so the warning falls on the meeting.
    path = broken_copy(
        tmp_path,
        """
[[sessions]]
slug = "too-soon"
title = "Too soon after Station F"
kind = "briefing"
start = "2025-02-11T12:45"
end = "2025-02-11T13:15"
venue = "grand-palais"
room = "salle-jean-perrin"
people = [{ person = "henna-virkkunen", role = "speaker" }]
""",
    )

    summary = load_demo(path)

    meeting = "Bilateral: EVP Virkkunen and Rahul Mehta (Ganga Compute)"
    assert summary.warnings == [
        f"Meeting '{meeting}': Henna Virkkunen has 15 min between meeting “{meeting}” and "
        "session “Too soon after Station F”, but travel from Station F to Grand Palais takes 30 min."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "room", "message"),
    [
        ("09:45", "10:30", "nef", "Nef (Grand Palais) is already taken by session “Opening"),
        ("10:30", "09:45", "salle-jean-perrin", "The end must come after the start."),
    ],
    ids=["room-double-booked", "ends-before-it-starts"],
)
def test_broken_data_is_refused_and_nothing_is_loaded(tmp_path, start, end, room, message):
    path = broken_copy(
        tmp_path,
        f"""
[[sessions]]
slug = "broken-session"
title = "A session that cannot be"
kind = "panel"
start = "2025-02-10T{start}"
end = "2025-02-10T{end}"
venue = "grand-palais"
room = "{room}"
""",
    )

    with pytest.raises(InvalidDemoData) as refused:
        load_demo(path)

    assert str(refused.value).startswith("Session 'broken-session': ")
    assert message in str(refused.value)
    assert {name: rows for name, rows in snapshot().items() if rows} == {}


@pytest.mark.django_db
def test_unknown_references_are_refused_with_their_place(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(
        DEFAULT_PATH.read_text(encoding="utf-8").replace(
            '{ person = "tomas-ferreira", role = "speaker" }',
            '{ person = "tomas-fereira", role = "speaker" }',
        ),
        encoding="utf-8",
    )

    with pytest.raises(InvalidDemoData, match="no person 'tomas-fereira'"):
        load_demo(path)

    assert Summit.objects.count() == 0


MEETING_TIMES = ("window_start", "window_end", "start", "end")


def wall_clock(items, *fields):
    """Each item's times as read on a clock in Paris, with the weekday."""
    return {
        str(item): [
            (moment.astimezone(PARIS).strftime("%A %H:%M"), moment.astimezone(PARIS).date())
            for moment in (getattr(item, name) for name in fields)
            if moment is not None
        ]
        for item in items
    }


@pytest.mark.parametrize(
    ("wanted", "placed"),
    [
        (date(2026, 12, 14), date(2026, 12, 14)),
        (date(2026, 12, 17), date(2026, 12, 14)),
        (date(2026, 12, 18), date(2026, 12, 21)),
        (date(2025, 2, 10), date(2025, 2, 10)),
        (date(2024, 2, 8), date(2024, 2, 5)),
    ],
)
def test_the_summit_moves_by_the_whole_weeks_nearest_the_wanted_start(wanted, placed):
    assert date(2025, 2, 10) + whole_weeks(planned=date(2025, 2, 10), wanted=wanted) == placed


@pytest.mark.django_db
def test_a_start_moves_every_date_and_time_by_whole_weeks_at_the_same_local_times():
    load_demo()
    sessions = wall_clock(Session.objects.all(), "start", "end")
    meetings = wall_clock(Meeting.objects.all(), *MEETING_TIMES)
    panel_in_winter = Session.objects.get(slug="trustworthy-ai-governance-panel")

    # A Wednesday in summer: the summit moves 70 weeks, to Monday 15 June 2026.
    load_demo(start=date(2026, 6, 17))

    summit = Summit.objects.get()
    assert summit.days == [date(2026, 6, 15), date(2026, 6, 16)]
    weeks = timedelta(weeks=70)

    def moved(times):
        return {
            item: [(clock, day + weeks) for clock, day in moments]
            for item, moments in times.items()
        }

    assert wall_clock(Session.objects.all(), "start", "end") == moved(sessions)
    assert wall_clock(Meeting.objects.all(), *MEETING_TIMES) == moved(meetings)
    # The same 10:00 in Paris is an hour earlier in UTC under summer time.
    panel = Session.objects.get(slug="trustworthy-ai-governance-panel")
    assert panel.start - panel_in_winter.start == weeks - timedelta(hours=1)
    # Calendars learn of the move.
    assert set(Session.objects.values_list("sequence", flat=True)) == {1}
    assert summit_conflicts(summit=summit) == []


@pytest.mark.django_db
def test_loading_twice_with_the_same_start_changes_nothing():
    load_demo(start=date(2026, 12, 14))
    before = snapshot()

    summary = load_demo(start=date(2026, 12, 14))

    assert snapshot() == before
    assert (sum(summary.created.values()), sum(summary.updated.values())) == (0, 0)


@pytest.mark.django_db
def test_loading_without_a_start_puts_the_summit_back_on_its_real_dates():
    load_demo()
    real = snapshot()
    load_demo(start=date(2026, 12, 14))

    load_demo()

    def without_versions(rows):
        return {
            name: [
                {k: v for k, v in row.items() if k not in {"sequence", "updated_at"}}
                for row in table
            ]
            for name, table in rows.items()
        }

    assert without_versions(snapshot()) == without_versions(real)


@pytest.mark.django_db
def test_a_deadline_to_answer_moves_with_the_meeting(tmp_path):
    path = tmp_path / "deadline.toml"
    path.write_text(
        DEFAULT_PATH.read_text(encoding="utf-8").replace(
            'status = "requested"\n',
            'status = "requested"\nrespond_by = "2025-02-10T18:00"\n',
        ),
        encoding="utf-8",
    )

    load_demo(path, start=date(2026, 12, 14))

    requested = Meeting.objects.get(status=Meeting.Status.REQUESTED)
    assert requested.respond_by.astimezone(PARIS).isoformat() == "2026-12-14T18:00:00+01:00"


@pytest.mark.django_db
def test_everything_public_has_its_french_text():
    load_demo()
    summit = Summit.objects.get()
    assert (summit.name_fr, summit.tagline_fr != "", summit.description_fr != "") == (
        "Sommet pour l’action sur l’IA",
        True,
        True,
    )
    lacking = [
        f"{obj._meta.model_name} {obj}: {field}"
        for model, fields in [
            (Venue, ["name", "description"]),
            (Room, ["name"]),
            (Track, ["name", "description"]),
            (Session, ["title", "abstract"]),
            (Person, ["position", "bio"]),
        ]
        for obj in model.objects.all()
        for field in fields
        if getattr(obj, f"{field}_en") and not getattr(obj, f"{field}_fr")
    ]
    assert lacking == []
    # Proper names stay as they are: only organisations with a French name have one.
    assert set(Organisation.objects.filter(name_fr=None).values_list("slug", flat=True)) == {
        "aurora-labs",
        "nordlys-ai",
        "ganga-compute",
        "open-futures-alliance",
    }


@pytest.mark.django_db
def test_the_french_texts_follow_french_typography():
    load_demo()
    texts = [
        value
        for model, fields in [
            (Summit, ["name", "tagline", "description"]),
            (Venue, ["name", "description"]),
            (Track, ["name", "description"]),
            (Session, ["title", "abstract"]),
            (Person, ["position", "bio"]),
            (Meeting, ["title"]),
        ]
        for row in model.objects.values_list(*(f"{field}_fr" for field in fields))
        for value in row
        if value
    ]
    wrong = [text for text in texts if re.search(r"(^|[^\u00a0\u202f])[:;?!](\s|$)|'", text)]
    assert wrong == []


@pytest.mark.django_db
def test_french_texts_of_unknown_items_are_refused(tmp_path):
    english = tmp_path / "summit.toml"
    english.write_bytes(DEFAULT_PATH.read_bytes())
    (tmp_path / "summit.fr.toml").write_text('[sessions.no-such-session]\ntitle = "Rien"\n')
    with pytest.raises(InvalidDemoData, match="French texts: sessions 'no-such-session'"):
        load_demo(english)
    assert Summit.objects.count() == 0


@pytest.mark.django_db
def test_the_demo_puts_the_commission_president_first_among_key_people(client):
    summit = load_demo().summit

    shown = client.get(f"/{summit.slug}/").context["key_people"]

    assert [person.name for person in shown] == [
        "Ursula von der Leyen",
        "Stéphane Séjourné",
        "Henna Virkkunen",
        "Hélène Marchetti",
        "Anand Krishnan",
    ]
