"""A confidential meeting must not exist for anyone but its participants and staff: not on a
page, in search, in an API list, count or detail, in a feed, in an error message. Plant a
marker in its title, purpose and a participant's name, request every route of the URL
configuration as four kinds of visitor, and look for the marker."""

import re

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse

from agenda.models import FeedToken, Session
from meetings.models import Meeting
from tests.factories import MeetingParticipantFactory, PersonFactory, UserFactory, paris

pytestmark = pytest.mark.django_db

MARKER = "ZQX7LEAK"


def routes():
    """(qualified name or None, route text with parents, parameter names) of every route."""

    def walk(resolver, namespaces, prefix):
        for pattern in resolver.url_patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                names = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(pattern, names, text)
            else:
                name = ":".join(namespaces + (pattern.name,)) if pattern.name else None
                yield name, text, tuple(sorted(pattern.pattern.regex.groupindex))

    return list(walk(get_resolver(), (), "/"))


@pytest.fixture
def world(site):
    meeting = Meeting.objects.get(title="SECRET-BILATERAL")
    meeting.title = f"Bilateral {MARKER}"
    meeting.purpose = f"Purpose {MARKER}"
    meeting.save()
    adviser = PersonFactory(name=f"Adviser {MARKER}", slug="leak-adviser", is_public=False)
    participant_user = UserFactory(username="participant")
    adviser.user = participant_user
    adviser.save()
    MeetingParticipantFactory(meeting=meeting, person=adviser, is_principal=False)
    attendee = UserFactory(username="attendee")
    PersonFactory(name="Unrelated Attendee", user=attendee)
    staff = UserFactory(username="boss", is_staff=True, is_superuser=True)
    return {
        "meeting": meeting,
        "adviser": adviser,
        "participant": participant_user,
        "attendee": attendee,
        "staff": staff,
    }


def model_admin_for(name):
    """The model of an admin route such as admin:meetings_meeting_change."""
    match = re.match(
        r"admin:(\w+?)_(\w+?)_(changelist|add|change|delete|history|suggest|invite)$", name or ""
    )
    if not match:
        return None
    for model in admin_site._registry:
        if (model._meta.app_label, model._meta.model_name) == match.groups()[:2]:
            return model
    return None


def first_pk(model, meeting):
    if model is Meeting:
        return meeting.pk
    obj = model.objects.order_by("pk").first()
    return obj.pk if obj else 1


def values(name, params, world, token):
    meeting, panel = world["meeting"], Session.objects.get(slug="panel")
    by_basename = {
        "meeting": meeting.pk,
        "person": world["adviser"].pk,
        "session": Session.objects.get(slug="closed").pk,
    }
    found = {}
    for param in params:
        if param == "summit":
            found[param] = "ai"
        elif param == "slug":
            found[param] = {
                "agenda:person": "leak-adviser",
                "person-feed": "leak-adviser",
                "track-feed": "science",
            }.get(name, "closed")
        elif param == "session_id":
            found[param] = panel.pk
        elif param == "token":
            found[param] = token if name == "personal-feed" else "set-password"
        elif param == "uidb64":
            found[param] = "MQ"
        elif param == "format":
            found[param] = "json"
        elif param in {"pk", "object_id", "id"}:
            model = model_admin_for(name)
            basename = (name or "").split("-")[0]
            if model is not None:
                found[param] = first_pk(model, meeting)
            elif name and name.startswith("admin:auth_user"):
                found[param] = world["participant"].pk
            elif name == "admin:view_on_site":
                found[param] = meeting.pk
            else:
                found[param] = by_basename.get(basename, meeting.pk)
        elif param == "content_type_id":
            found[param] = ContentType.objects.get_for_model(Meeting).pk
        elif param == "app_label":
            found[param] = "meetings"
        elif param == "url":
            found[param] = "meetings/meeting/nowhere"
        elif param == "name":  # a thumbnail's file
            found[param] = "leak-adviser.jpg"
        elif param == "path":
            found[param] = "logos/none.svg"
        else:
            raise AssertionError(f"route {name} has a parameter the test does not cover: {param}")
    return found


def urls_for(world, token):
    found = set()
    for name, text, params in routes():
        given = values(name, params, world, token)
        if name is not None:
            try:
                found.add(reverse(name, kwargs=given or None))
                continue
            except Exception as error:  # noqa: BLE001 - report the route, then fail
                raise AssertionError(
                    f"cannot build a URL for {name} with {given}: {error}"
                ) from error
        # Unnamed routes: the admin's "<object_id>/" redirect and its catch-all.
        if text.endswith("<path:object_id>/"):
            found.add(text.replace("<path:object_id>", str(world["meeting"].pk)))
        elif text.endswith("(?P<url>.*)$"):
            found.add("/admin/" + given["url"])
        else:
            raise AssertionError(f"an unnamed route the test does not cover: {text}")
    pages = {url for url in found if url.startswith("/ai/") or url.startswith("/me/")}
    return sorted(found | {f"/fr{url}" for url in pages})


@pytest.mark.parametrize("who", ["anonymous", "attendee", "participant", "staff"])
def test_a_confidential_meeting_is_seen_only_by_its_participants_and_staff(client, world, who):
    user = world.get(who)
    token = "not-a-token"
    if user is not None:
        client.force_login(user)
        token = FeedToken.issue(user=user)[1]
    allowed = who in {"participant", "staff"}
    leaked, seen, broken = [], [], []
    urls = urls_for(world, token)
    assert len(urls) > 150
    for url in urls:
        for method in (client.get, client.head):
            response = method(url)
            if response.status_code >= 500:
                broken.append(url)
            body = response.content.decode(errors="replace")
            if response.get("Location"):
                body += response["Location"]
            if MARKER in body:
                (seen if allowed else leaked).append(url)
    # Search and counts too: nothing matches, and nothing is counted.
    search = client.get("/api/v1/meetings/", {"ordering": "start"}).json()
    if not allowed:
        assert search["count"] == 0
        assert client.get("/ai/programme/", {"q": "Bilateral"}).context["found"] == 0
    assert (leaked, broken) == ([], [])
    if allowed:
        assert {
            f"/me/meetings/{world['meeting'].pk}/",
            f"/api/v1/meetings/{world['meeting'].pk}/",
        } <= set(seen)
        # A personal feed holds its holder's own agenda: staff are not in this meeting.
        assert (f"/feeds/{token}.ics" in seen) is (who == "participant")


def test_the_marker_is_really_in_the_meeting(world):
    assert Meeting.objects.filter(purpose__contains=MARKER, start=paris(11, 15)).count() == 1
