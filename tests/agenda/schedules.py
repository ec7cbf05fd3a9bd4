"""schedule.json and schedule.xml read back: each event by title, with its day and room."""

import json

from lxml import etree


def get_json(client, url="/ai/schedule.json"):
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content)


def get_xml(client, url="/ai/schedule.xml"):
    response = client.get(url)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def json_events(schedule):
    """Each event by title, with the day and room it sits under."""
    return {
        event["title"]: {**event, "day": day["date"], "under": room}
        for day in schedule["schedule"]["conference"]["days"]
        for room, events in day["rooms"].items()
        for event in events
    }


def xml_events(root):
    return {
        event.findtext("title"): {
            "day": day.get("date"),
            "under": room.get("name"),
            "guid": event.get("guid"),
            "start": event.findtext("start"),
            "duration": event.findtext("duration"),
            "persons": [person.text for person in event.iter("person")],
        }
        for day in root.iterfind("day")
        for room in day.iterfind("room")
        for event in room.iterfind("event")
    }


def placed(events):
    return {
        title: (event["day"], event["under"], event["start"], event["duration"])
        for title, event in events.items()
    }
