"""The pages read back: what the programme lists, what an attendee's agenda holds."""

from django.urls import reverse


def programme(client, **params):
    response = client.get(reverse("agenda:programme", kwargs={"summit": "ai"}), params)
    assert response.status_code == 200
    return {s.slug for _, slots in response.context["days"] for _, group in slots for s in group}


def agenda(client):
    response = client.get("/me/")
    assert response.status_code == 200
    return {
        entry.item.title: entry for _day, entries in response.context["days"] for entry in entries
    }
