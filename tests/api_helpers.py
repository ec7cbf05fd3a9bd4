from rest_framework.test import APIClient


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response):
    return {item["slug"] for item in results(response)}


def new_session(site, **changes):
    """The body that creates a session on the `site` programme, with `changes`."""
    summit = site["summit"]
    room = site["sessions"]["panel"].room
    return {
        "summit": summit.pk,
        "slug": "code-of-practice",
        "title": "Update on the Code of Practice for general-purpose AI",
        "kind": "briefing",
        "start": "2025-02-10T12:00:00+01:00",
        "end": "2025-02-10T13:00:00+01:00",
        "room": room.pk,
        "roles": [{"person": site["evp"].pk, "role": "speaker"}],
    } | changes
