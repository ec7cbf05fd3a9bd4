import re
import zoneinfo
from datetime import datetime

import pytest
from django.utils import timezone, translation

from agenda import home
from agenda.models import KeyPerson
from meetings.models import Meeting
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TravelTimeFactory,
    UserFactory,
    VenueFactory,
    paris,
)

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def texts(pattern, content):
    """The text of each match of `pattern`, as a reader sees it: no tags, single spaces."""
    found = re.findall(pattern, content, re.S)
    spaced = (" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in found)
    return [re.sub(r" ([,:)])", r"\1", text) for text in spaced]


def test_staff_chosen_key_people_come_in_their_order_and_only_if_visible(client, site):
    summit = site["summit"]
    president = PersonFactory(name="Ursula von der Leyen", slug="vdl")
    hidden = PersonFactory(name="Hidden Envoy", slug="envoy", is_public=False)
    KeyPerson.objects.create(summit=summit, person=site["evp"], position=2)
    KeyPerson.objects.create(summit=summit, person=hidden, position=1)
    KeyPerson.objects.create(summit=summit, person=president, position=0)

    response = client.get("/ai/")

    assert [p.name for p in response.context["key_people"]] == [
        "Ursula von der Leyen",
        "Henna Virkkunen",
    ]
    assert "Hidden Envoy" not in response.content.decode()


def test_key_people_all_hidden_from_the_reader_leave_the_list_empty(client, site):
    hidden = PersonFactory(name="Hidden Envoy", slug="envoy", is_public=False)
    KeyPerson.objects.create(summit=site["summit"], person=hidden, position=0)
    response = client.get("/ai/")
    assert (response.context["key_people"], "Key people" in response.content.decode()) == (
        [],
        False,
    )


def test_staff_see_hidden_key_people_too(client, site, staff_user):
    hidden = PersonFactory(name="Hidden Envoy", slug="envoy", is_public=False)
    KeyPerson.objects.create(summit=site["summit"], person=hidden, position=0)
    client.force_login(staff_user)
    assert [p.name for p in client.get("/ai/").context["key_people"]] == ["Hidden Envoy"]


def test_without_chosen_key_people_those_appearing_most_come_first(client, site):
    other = PersonFactory(name="Aaron Once", slug="once")
    SessionRoleFactory(session=site["sessions"]["health"], person=other)
    names = [p.name for p in client.get("/ai/").context["key_people"]]
    assert names == ["Henna Virkkunen", "Aaron Once"]


def test_a_key_person_is_chosen_once_per_summit(site):
    from django.db import IntegrityError, transaction

    KeyPerson.objects.create(summit=site["summit"], person=site["evp"], position=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyPerson.objects.create(summit=site["summit"], person=site["evp"], position=1)


@pytest.mark.parametrize(
    ("moment", "language", "label"),
    [
        (datetime(2025, 2, 10, 14, 0, tzinfo=PARIS), "en", "Today 14:00"),
        (datetime(2025, 2, 11, 9, 30, tzinfo=PARIS), "en", "Tomorrow 09:30"),
        (datetime(2025, 2, 12, 11, 0, tzinfo=PARIS), "en", "Wednesday 11:00"),
        (datetime(2025, 2, 10, 14, 0, tzinfo=PARIS), "fr", "Aujourd’hui 14 h 00"),
        (datetime(2025, 2, 11, 9, 30, tzinfo=PARIS), "fr", "Demain 9 h 30"),
        (datetime(2025, 2, 12, 11, 0, tzinfo=PARIS), "fr", "mercredi 11 h 00"),
    ],
)
def test_times_up_next_say_their_day(moment, language, label):
    # Late in the evening in Paris: already the next day in UTC, not yet in the summit's zone.
    now = datetime(2025, 2, 10, 23, 30, tzinfo=PARIS).astimezone(zoneinfo.ZoneInfo("UTC"))
    with translation.override(language):
        assert home.day_label(moment, now=now, zone=PARIS) == label


def test_the_home_page_shows_on_now_and_up_next_with_day_labels(client, site, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: paris(10, 15))
    content = client.get("/ai/").content.decode()
    assert texts(r'<ul class="home-upcoming">(.*?)</ul>', content) == [
        "Until 16:00 AI in health and science Salon, Grand Palais",
        "Tomorrow 10:00 Visit to Station F Shed, Station F",
    ]
    # At the top: before the key people and the venues.
    assert content.index("On now") < content.index("Key people") < content.index("Venues")


def test_the_home_page_says_nothing_of_now_outside_the_summit(client, site, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: paris(12, 9))
    response = client.get("/ai/")
    assert (response.context["on_now"], "On now" in response.content.decode()) == (None, False)


def test_the_home_page_gives_the_travel_time_between_venues(client, site):
    summit = site["summit"]
    grand_palais, station_f = summit.venues.order_by("name")
    louvre = VenueFactory(summit=summit, name="Louvre", slug="louvre")
    TravelTimeFactory(origin=grand_palais, destination=station_f, minutes=35)
    TravelTimeFactory(origin=station_f, destination=grand_palais, minutes=30)
    TravelTimeFactory(origin=grand_palais, destination=louvre, minutes=15)
    TravelTimeFactory(origin=louvre, destination=grand_palais, minutes=15)
    TravelTimeFactory(origin=station_f, destination=louvre, minutes=25)

    content = client.get("/ai/").content.decode()

    assert texts(r'<ul class="home-routes">(.*?)</ul>', content) == [
        "Grand Palais ↔ Louvre: 15 min by car "
        "Grand Palais → Station F: 35 min by car (30 min back) "
        "Station F → Louvre: 25 min by car"
    ]


def test_the_home_page_gives_the_summit_s_dates_across_months(client):
    SummitFactory(slug="winter", start_date="2026-11-30", end_date="2026-12-01", city="Paris")
    content = client.get("/winter/").content.decode()
    assert texts(r'<p class="dates">(.*?)</p>', content) == ["30 November – 1 December 2026, Paris"]


@pytest.mark.parametrize("who", ["anonymous", "participant", "staff"])
def test_the_home_page_and_the_programme_count_the_same_items(client, site, staff_user, who):
    Meeting.objects.filter(title="SECRET-BILATERAL").update(confidentiality="public")
    if who == "participant":
        client.force_login(site["minister"].user)
    elif who == "staff":
        client.force_login(staff_user)

    announced = client.get("/ai/").context["session_count"]
    listed = re.search(
        r'class="result-count"[^>]*>(\d+)', client.get("/ai/programme/").content.decode()
    )

    assert (announced, int(listed[1])) == {
        "anonymous": (5, 5),  # four public sessions (one cancelled) and the public meeting
        "participant": (6, 6),  # and the invitation-only session they are on
        "staff": (6, 6),
    }[who]


def test_people_lists_have_no_stray_commas(client, site):
    summit = site["summit"]
    ministry = OrganisationFactory(name="Ministry of Science", slug="ministry")
    nameless_job = PersonFactory(
        name="Ann Title", slug="ann", position="", organisation=ministry, country=""
    )
    freelance = PersonFactory(
        name="Bo Free", slug="bo", position="Writer", organisation=None, country=""
    )
    for person in (nameless_job, freelance):
        SessionRoleFactory(session=site["sessions"]["health"], person=person)
    KeyPerson.objects.create(summit=summit, person=nameless_job, position=0)
    KeyPerson.objects.create(summit=summit, person=freelance, position=1)
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    Meeting.objects.filter(pk=meeting.pk).update(confidentiality="public", title="Bilateral")
    MeetingParticipantFactory(meeting=meeting, person=site["minister"], is_principal=False)

    home_page = client.get("/ai/").content.decode()
    directory = client.get("/ai/people/").content.decode()
    session = client.get("/ai/sessions/health/").content.decode()
    programme = client.get("/ai/programme/", {"day": "2025-02-11"}).content.decode()

    card_lines = (
        r'<li class="card person-card">.*?<h[23] class="card-title">.*?</h[23]>\s*(.*?)</div>'
    )
    assert texts(card_lines, home_page) == ["Ministry of Science", "Writer"]
    assert texts(card_lines, directory) == [
        "Ministry of Science",
        "Writer",
        "Minister, European Commission Finland",
    ]
    assert texts(r'<dd class="person-line">(.*?)</dd>', session) == [
        "AT Ann Title Ministry of Science",
        "BF Bo Free Writer",
    ]
    assert texts(r'id="meeting-\d+".*?<p class="session-people">(.*?)</p>', programme) == [
        "Henna Virkkunen"
    ]


@pytest.mark.parametrize("size", [1, 5])
def test_home_queries_do_not_grow_with_the_programme(
    client, django_assert_num_queries, monkeypatch, size
):
    summit = SummitFactory(slug="many")
    venues = [VenueFactory(summit=summit) for _ in range(2)]
    TravelTimeFactory(origin=venues[0], destination=venues[1], minutes=20)
    for n in range(size):
        room = RoomFactory(venue=venues[n % 2])
        session = SessionFactory(
            summit=summit, room=room, start=paris(10, 9 + n), end=paris(10, 10 + n)
        )
        person = SessionRoleFactory(session=session).person
        KeyPerson.objects.create(summit=summit, person=person, position=n)
        meeting = MeetingFactory(
            summit=summit,
            status="confirmed",
            confidentiality="public",
            start=paris(11, 9 + n),
            end=paris(11, 9 + n, 30),
        )
        MeetingParticipantFactory(meeting=meeting, person=person)
    monkeypatch.setattr(timezone, "now", lambda: paris(10, 9, 30))
    client.force_login(UserFactory())
    # The version and the summit (for the zone), the summit of the URL, session, user, on
    # now, up next, travel times, key people, sessions and meetings counted, tracks, venues
    # and their rooms.
    with django_assert_num_queries(14):
        response = client.get("/many/")
    assert response.status_code == 200


def test_a_title_that_names_the_organisation_is_not_followed_by_it_again(client, site):
    president = PersonFactory(
        name="Ursula von der Leyen",
        slug="vdl",
        position="President of the European Commission",
        organisation=site["evp"].organisation,
    )
    KeyPerson.objects.create(summit=site["summit"], person=president, position=0)
    KeyPerson.objects.create(summit=site["summit"], person=site["evp"], position=1)
    content = client.get("/ai/").content.decode()
    card_lines = r'<li class="card person-card">.*?<h3 class="card-title">.*?</h3>\s*(.*?)</div>'
    assert texts(card_lines, content) == [
        "President of the European Commission",
        "Minister, European Commission",
    ]
