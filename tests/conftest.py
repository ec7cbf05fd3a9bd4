import os
import shutil
import subprocess
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from meetings.models import Meeting
from tests.factories import (
    DelegationFactory,
    MeetingFactory,
    MeetingParticipantFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    TrackFactory,
    TravelTimeFactory,
    UserFactory,
    VenueFactory,
    paris,
)

# Parts a plain machine may lack. `make test` skips their tests with a loud reason; CI lists
# them in SUMMIT_REQUIRE (comma separated) so that such a skip fails the run instead.
REQUIRED_PARTS = {part.strip() for part in os.environ.get("SUMMIT_REQUIRE", "").split(",")}


def require(part, available, reason):
    """Skip (or, where CI requires the part, fail) a test that needs a missing part."""
    if available:
        return
    message = f"MISSING {part.upper()}: {reason}"
    if part in REQUIRED_PARTS:
        pytest.fail(f"{message} (required here by SUMMIT_REQUIRE)", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def postgres(db):
    require(
        "postgres",
        connection.vendor == "postgresql",
        "runs on PostgreSQL only; set DATABASE_URL=postgres://... or run `make test-postgres`",
    )


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English, whatever language an earlier one left active."""
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches, as it starts with an empty database: no throttle
    or limit spent, and no rendering kept by an earlier test under the same programme
    version."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def redis_url():
    """A real Redis server of the test's own on a free local port, empty, gone afterwards."""
    from tests.live import free_port

    server = shutil.which("redis-server")
    require("redis", server, "needs Debian's redis-server (RQ task backend, shared cache)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def clock(monkeypatch):
    """Django's clock set to a moment (default: the eve of the demo summit), ticking a
    second at each reading so that every save still gets a later updated_at."""
    from datetime import timedelta

    from django.utils import timezone

    state = {"now": paris(9, 12)}

    def now():
        state["now"] += timedelta(seconds=1)
        return state["now"]

    def set_to(moment):
        state["now"] = moment

    monkeypatch.setattr(timezone, "now", now)
    return set_to


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "staffer", "staffer@example.org", "pw-staffer-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def site(db):
    """A small programme with every case of visibility: public, invitation-only, cancelled,
    a person hidden from the public and a confidential meeting marked SECRET."""
    summit = SummitFactory(name="AI Action Summit", slug="ai", tagline="Paris, 10-11 February")
    grand_palais = VenueFactory(summit=summit, name="Grand Palais", slug="grand-palais")
    station_f = VenueFactory(summit=summit, name="Station F", slug="station-f")
    nef = RoomFactory(venue=grand_palais, name="Nef", slug="nef", capacity=500)
    salon = RoomFactory(venue=grand_palais, name="Salon", slug="salon", capacity=40)
    shed = RoomFactory(venue=station_f, name="Shed", slug="shed")
    governance = TrackFactory(summit=summit, name="Governance", slug="governance")
    science = TrackFactory(summit=summit, name="Science", slug="science", colour="#7a1f5c")
    commission = OrganisationFactory(name="European Commission", slug="ec", country="BE")
    evp = PersonFactory(
        name="Henna Virkkunen", slug="virkkunen", organisation=commission, country="FI"
    )
    adviser = PersonFactory(name="Quiet Adviser", slug="adviser", is_public=False)
    minister = PersonFactory(
        name="Minister Rossi", slug="rossi", country="IT", user=UserFactory(username="rossi")
    )
    sessions = {
        "panel": SessionFactory(
            summit=summit,
            room=nef,
            track=governance,
            slug="panel",
            kind="panel",
            title="Panel on trustworthy AI governance",
            start=paris(10, 10),
            end=paris(10, 11),
        ),
        "health": SessionFactory(
            summit=summit,
            room=salon,
            track=science,
            slug="health",
            kind="workshop",
            capacity=30,
            title="AI in health and science",
            abstract="Early cancer detection.",
            start=paris(10, 14, 30),
            end=paris(10, 16),
        ),
        "visit": SessionFactory(
            summit=summit,
            room=shed,
            slug="visit",
            kind="visit",
            title="Visit to Station F",
            start=paris(11, 10),
            end=paris(11, 11),
        ),
        "closed": SessionFactory(
            summit=summit,
            room=salon,
            slug="closed",
            kind="briefing",
            visibility="invitation",
            title="Closed ministerial roundtable",
            start=paris(11, 12),
            end=paris(11, 13),
        ),
        "energy": SessionFactory(
            summit=summit,
            room=nef,
            track=science,
            slug="energy",
            kind="panel",
            title="AI and energy",
            status="cancelled",
            start=paris(11, 9),
            end=paris(11, 10),
        ),
    }
    SessionRoleFactory(session=sessions["panel"], person=evp, role="speaker")
    SessionRoleFactory(session=sessions["panel"], person=adviser, role="participant")
    SessionRoleFactory(session=sessions["visit"], person=evp, role="host")
    SessionRoleFactory(session=sessions["closed"], person=minister, role="participant")
    SessionRoleFactory(session=sessions["closed"], person=evp, role="chair")
    meeting = MeetingFactory(
        summit=summit,
        title="SECRET-BILATERAL",
        purpose="SECRET-PURPOSE",
        status="confirmed",
        start=paris(11, 15),
        end=paris(11, 15, 30),
        room=salon,
    )
    MeetingParticipantFactory(meeting=meeting, person=evp)
    return {"summit": summit, "sessions": sessions, "evp": evp, "minister": minister}


@pytest.fixture
def fast_passwords(settings):
    """A quick hasher, for tests that make many logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def programme(db):
    """Two rooms 35 minutes apart, a panel with the EVP, her confirmed meeting the next
    morning and her delegation: a row on every admin page."""
    nef = RoomFactory(name="Nef", capacity=500)
    summit = nef.venue.summit
    shed = RoomFactory(name="Shed", venue__summit=summit)
    TravelTimeFactory(origin=nef.venue, destination=shed.venue, minutes=35)
    track = TrackFactory(summit=summit)
    panel = SessionFactory(
        room=nef,
        track=track,
        title="Panel on trustworthy AI",
        start=paris(10, 10),
        end=paris(10, 11),
    )
    evp = PersonFactory(name="Henna Virkkunen")
    SessionRoleFactory(session=panel, person=evp)
    meeting = MeetingFactory(
        summit=summit,
        status=Meeting.Status.CONFIRMED,
        start=paris(11, 9),
        end=paris(11, 9, 30),
        room=shed,
    )
    MeetingParticipantFactory(meeting=meeting, person=evp)
    DelegationFactory(head=evp).members.add(evp)
    return {"nef": nef, "shed": shed, "panel": panel, "evp": evp, "meeting": meeting}
