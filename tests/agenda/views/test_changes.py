from xml.etree import ElementTree

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from agenda import ical
from agenda.models import AgendaVisit, Release, Star
from agenda.publishing import publish
from tests.factories import (
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    UserFactory,
    paris,
)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def released(site, staff_user):
    """v1, then the panel moved and the closed roundtable moved too, then v2."""
    publish(summit=site["summit"], note="First programme", user=staff_user, after=0)
    panel = site["sessions"]["panel"]
    panel.start, panel.end = paris(10, 17), paris(10, 18)
    panel.save()
    closed = site["sessions"]["closed"]
    closed.start, closed.end = paris(11, 16), paris(11, 17)
    closed.save()
    publish(summit=site["summit"], note="The panel moves to the evening", user=staff_user, after=1)
    return site


def test_the_changelog_lists_releases_newest_first_with_public_changes_only(client, released):
    response = client.get(reverse("agenda:changes", kwargs={"summit": "ai"}))
    assert response.status_code == 200
    releases = response.context["releases"]
    assert [(r.name, [(line.kind, line.title) for line in lines]) for r, lines in releases] == [
        ("v2", [("moved", "Panel on trustworthy AI governance")]),
        ("v1", []),
    ]
    [(_release, [line])] = releases[:1]
    assert (
        line.detail
        == "Mon 10 Feb 10:00–11:00, Nef, Grand Palais → Mon 10 Feb 17:00–18:00, Nef, Grand Palais"
    )
    assert line.url == "/ai/sessions/panel/"
    body = response.content.decode()
    assert "The panel moves to the evening" in body
    assert "roundtable" not in body.lower()


def test_the_changelog_in_french(client, released):
    response = client.get("/fr/ai/changes/")
    [(_release, [line]), _first] = response.context["releases"]
    assert line.label == "Déplacée"
    assert "Modifications du programme" in response.content.decode()


def test_the_atom_feed_has_one_entry_per_release(client, released):
    response = client.get(reverse("changes-feed", kwargs={"summit": "ai"}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]
    assert entries == [
        ("v2: The panel moves to the evening", "http://testserver/ai/changes/#v2"),
        ("v1: First programme", "http://testserver/ai/changes/#v1"),
    ]
    assert [entry.find(f"{ATOM}id").text for entry in feed.findall(f"{ATOM}entry")] == [
        "http://testserver/ai/changes/#v2",
        "http://testserver/ai/changes/#v1",
    ]
    summary = feed.find(f"{ATOM}entry").find(f"{ATOM}summary").text
    assert (
        '<a href="http://testserver/ai/sessions/panel/">Panel on trustworthy AI governance'
        in summary
    )
    assert "roundtable" not in response.content.decode().lower()
    assert client.head(reverse("changes-feed", kwargs={"summit": "ai"})).status_code == 200
    assert client.post(reverse("changes-feed", kwargs={"summit": "ai"})).status_code == 405
    assert client.get(reverse("changes-feed", kwargs={"summit": "none"})).status_code == 404


def test_the_api_lists_releases_with_their_changes(client, released):
    response = client.get("/api/v1/releases/", {"summit": released["summit"].pk})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["name"], r["note"]) for r in results] == [
        ("v2", "The panel moves to the evening"),
        ("v1", "First programme"),
    ]
    [change] = results[0]["changes"]
    panel = released["sessions"]["panel"]
    assert change == {
        "kind": "moved",
        "uid": ical.uid("session", panel.pk),
        "item": "session",
        "before": {
            "title": panel.title,
            "start": "2025-02-10T10:00:00+01:00",
            "end": "2025-02-10T11:00:00+01:00",
            "room": "Nef",
            "venue": "Grand Palais",
            "track": "Governance",
            "status": "scheduled",
        },
        "after": {
            "title": panel.title,
            "start": "2025-02-10T17:00:00+01:00",
            "end": "2025-02-10T18:00:00+01:00",
            "room": "Nef",
            "venue": "Grand Palais",
            "track": "Governance",
            "status": "scheduled",
        },
    }
    assert results[1]["changes"] == []
    single = client.get(f"/api/v1/releases/{results[0]['id']}/").json()
    assert single["changes"] == results[0]["changes"]
    assert client.post("/api/v1/releases/", {}, content_type="application/json").status_code in (
        401,
        403,
        405,
    )


def many_releases(size, staff_user):
    summit = SummitFactory(slug="many")
    room = RoomFactory(venue__summit=summit)
    publish(summit=summit, note="First", user=staff_user, after=0)
    for n in range(1, size + 1):
        session = SessionFactory(
            summit=summit, room=room, start=paris(10, 8 + n), end=paris(10, 9 + n)
        )
        SessionRoleFactory(session=session)
        publish(summit=summit, note=f"Release {n}", user=staff_user, after=n)
    return summit


@pytest.mark.parametrize("size", [1, 5])
def test_changelog_queries_do_not_grow_with_releases(
    client, staff_user, django_assert_num_queries, size
):
    many_releases(size, staff_user)
    # Version, summit, releases.
    with django_assert_num_queries(3):
        assert client.get("/many/changes/").status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_changes_feed_queries_do_not_grow_with_releases(
    client, staff_user, django_assert_num_queries, size
):
    many_releases(size, staff_user)
    with django_assert_num_queries(3):
        assert client.get("/many/changes.atom").status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_release_api_queries_do_not_grow_with_releases(
    client, staff_user, django_assert_num_queries, size
):
    summit = many_releases(size, staff_user)
    # Version, the summit filtered on, count, page, the releases before them.
    with django_assert_num_queries(5):
        assert client.get("/api/v1/releases/", {"summit": summit.pk}).status_code == 200


def preview_url(summit):
    return reverse("admin:agenda_summit_release", kwargs={"pk": summit.pk})


def test_staff_see_the_impact_then_publish(
    staff_client, released, django_capture_on_commit_callbacks
):
    summit = released["summit"]
    visit = released["sessions"]["visit"]
    visit.status = "cancelled"
    visit.save()
    response = staff_client.get(preview_url(summit))
    assert response.status_code == 200
    assert [(line.kind, line.title) for line in response.context["lines"]] == [
        ("cancelled", "Visit to Station F")
    ]
    assert [someone.who.name for someone, _lines in response.context["people"]] == [
        "Henna Virkkunen"
    ]
    assert response.context["form"].initial["after"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            preview_url(summit), {"note": "The visit is off", "after": "2"}, follow=True
        )
    assert response.status_code == 200
    assert list(Release.objects.filter(summit=summit).values_list("number", "note"))[0] == (
        3,
        "The visit is off",
    )
    # The same form sent again (a second click, another tab) publishes nothing more.
    response = staff_client.post(preview_url(summit), {"note": "The visit is off", "after": "2"})
    assert response.status_code == 200
    assert "Someone published v3 meanwhile" in response.content.decode()
    assert Release.objects.filter(summit=summit).count() == 3


@pytest.mark.parametrize(
    "note, error",
    [("", "This field is required."), ("x" * 501, "at most 500 characters")],
)
def test_a_bad_note_is_refused_beside_its_field(staff_client, released, note, error):
    summit = released["summit"]
    released["sessions"]["visit"].delete()
    response = staff_client.post(preview_url(summit), {"note": note, "after": "2"})
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors["note"])
    assert Release.objects.filter(summit=summit).count() == 2


def test_only_staff_who_may_add_releases_publish(client, site):
    url = preview_url(site["summit"])
    assert client.get(url).status_code == 302  # to the admin's login
    clerk = UserFactory(username="clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    assert client.post(url, {"note": "x", "after": "0"}).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="add_release"))
    assert client.get(url).status_code == 200
    assert not Release.objects.exists()


def test_what_changed_for_me_shows_once_the_changes_to_my_agenda(client, site, staff_user):
    user = UserFactory(username="attendee")
    Star.objects.create(user=user, session=site["sessions"]["visit"])
    client.force_login(user)
    assert client.get("/me/").context["changed"] == []  # a first visit: no "since" yet
    assert AgendaVisit.objects.filter(user=user).exists()
    publish(summit=site["summit"], note="v1", user=staff_user, after=0)
    visit, panel = site["sessions"]["visit"], site["sessions"]["panel"]
    visit.start, visit.end = paris(11, 14), paris(11, 15)
    visit.save()
    panel.title = "Somebody else's panel"
    panel.save()
    publish(summit=site["summit"], note="The visit moves", user=staff_user, after=1)
    response = client.get("/me/")
    [(found, lines)] = response.context["changed"]
    assert [r.name for r in found.releases] == ["v2"]
    assert [(line.kind, line.title) for line in lines] == [("moved", "Visit to Station F")]
    assert "What changed for you" in response.content.decode()
    assert client.get("/me/").context["changed"] == []


@pytest.mark.parametrize("size", [1, 5])
def test_what_changed_for_me_queries_do_not_grow(
    client, staff_user, django_assert_num_queries, size
):
    user = UserFactory(username="attendee")
    summit = SummitFactory(slug="many")
    room = RoomFactory(venue__summit=summit)
    sessions = [
        SessionFactory(summit=summit, room=room, start=paris(10, 8 + n), end=paris(10, 9 + n))
        for n in range(size)
    ]
    for session in sessions:
        Star.objects.create(user=user, session=session)
    client.force_login(user)
    client.get("/me/")
    publish(summit=summit, note="v1", user=staff_user, after=0)
    for session in sessions:
        session.title += " (renamed)"
        session.save()
    publish(summit=summit, note="v2", user=staff_user, after=1)
    # The agenda of a login without a person, and: the last visit, its update, the releases
    # since, the sessions of the agenda, the release before them.
    with django_assert_num_queries(14):
        response = client.get("/me/")
    [(_found, lines)] = response.context["changed"]
    assert len(lines) == size
