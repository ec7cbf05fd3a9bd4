"""The pages read back: what the programme lists, what an attendee's agenda holds."""

from django.urls import reverse

from agenda.models import Session


def slugs(items):
    """The slugs of what a page lists: sessions (placed from their rows) and meetings."""
    items = list(items)
    found = dict(Session.objects.filter(pk__in=[i.pk for i in items]).values_list("pk", "slug"))
    return [item.slug if item.is_meeting else found[item.pk] for item in items]


def programme(client, **params):
    response = client.get(reverse("agenda:programme", kwargs={"summit": "ai"}), params)
    assert response.status_code == 200
    days = response.context["days"]
    return set(slugs(s for _, slots in days for _, group in slots for s in group))


def agenda(client):
    response = client.get("/me/")
    assert response.status_code == 200
    return {
        entry.item.title: entry for _day, entries in response.context["days"] for entry in entries
    }
