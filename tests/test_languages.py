"""The programme in French and English on every surface: pages, search, feeds, API, frab
exports, emails and the admin; English wherever a French text is missing."""

import html
import json
import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from agenda.ical import uid
from agenda.models import Session
from meetings import invitations
from tests.api_helpers import api
from tests.factories import (
    MeetingFactory,
    MeetingParticipantFactory,
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    paris,
)
from tests.meetings.outcome import calendar_of

pytestmark = pytest.mark.django_db

FRENCH = {
    "panel": "Table ronde sur une gouvernance de l’IA digne de confiance",
    "health": "L’IA en santé et en science",
    "energy": "IA et énergie",
    "closed": "Table ronde ministérielle à huis clos",
}


@pytest.fixture
def french_site(site):
    """The `site` programme with French texts, except for the visit to Station F."""
    sessions = site["sessions"]
    for slug, title in FRENCH.items():
        sessions[slug].title_fr = title
        sessions[slug].save()
    sessions["health"].abstract_fr = "Détection précoce des cancers."
    sessions["health"].save()
    salon = sessions["health"].room
    salon.name_fr = "Petit salon"
    salon.save()
    governance = sessions["panel"].track
    governance.name_fr = "Gouvernance"
    governance.save()
    summit = site["summit"]
    summit.name_fr = "Sommet pour l’action sur l’IA"
    summit.save()
    return site


def titles(content):
    return [
        html.unescape(t)
        for t in re.findall(r'class="session-title">\s*<a href="[^"]*">(.*?)</a>', content)
    ]


def language_links(content):
    nav = re.search(r'<nav class="language".*?</nav>', content, re.S)[0]
    return {
        code: html.unescape(href)
        for href, code in re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', nav)
    }


def test_a_french_page_shows_french_texts_and_marks_english_ones(client, french_site):
    content = client.get("/fr/ai/programme/").content.decode()
    assert titles(content) == [
        FRENCH["panel"],
        FRENCH["health"],
        FRENCH["energy"],
        '<span lang="en">Visit to Station F</span>',
    ]
    assert '<html lang="fr">' in content
    assert "Petit salon" in content and "Gouvernance" in content


def test_the_english_page_stays_english_after_the_french_one_is_kept(client, french_site):
    client.get("/fr/ai/programme/")
    content = client.get("/ai/programme/").content.decode()
    assert titles(content) == [
        "Panel on trustworthy AI governance",
        "AI in health and science",
        "AI and energy",
        "Visit to Station F",
    ]


def test_the_language_links_keep_the_page_and_its_filters_both_ways(client, french_site):
    query = "?day=2025-02-10&track=governance"
    english = client.get(f"/ai/programme/{query}").content.decode()
    assert language_links(english) == {
        "en": f"/ai/programme/{query}",
        "fr": f"/fr/ai/programme/{query}",
    }
    # A visitor who chose French once still lands on English pages by the English link.
    client.cookies["django_language"] = "fr"
    french = client.get(language_links(english)["fr"]).content.decode()
    assert language_links(french) == language_links(english)
    back = client.get(language_links(french)["en"]).content.decode()
    assert ('<html lang="en">' in back, titles(back)) == (
        True,
        ["Panel on trustworthy AI governance"],
    )


def test_the_summit_s_days_read_as_french_dates(client, french_site):
    def dates(path):
        content = client.get(path).content.decode()
        return re.sub(
            r"<[^>]+>", "", re.search(r'<p class="dates">(.*?)</p>', content, re.S)[1]
        ).strip()

    assert dates("/fr/ai/") == "10–11 février 2025, Paris"
    assert dates("/ai/") == "10–11 February 2025, Paris"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("energie", {"energy"}),
        ("ÉNERGIE", {"energy"}),
        ("energy", {"energy"}),
        ("sante", {"health"}),
        ("detection precoce", {"health"}),
        ("l'ia en sante", {"health"}),
        ("gouvernance", {"panel"}),
        ("virkkunen", {"panel", "visit"}),
        ("nothing-like-it", set()),
    ],
)
def test_search_finds_either_language_without_accents(french_site, text, found):
    from django.contrib.auth.models import AnonymousUser

    sessions = Session.objects.visible_to(AnonymousUser()).search(text, AnonymousUser())
    assert set(sessions.values_list("slug", flat=True)) == found


def test_the_programme_searched_in_english_finds_a_french_word(client, french_site):
    content = client.get("/ai/programme/?q=energie").content.decode()
    assert titles(content) == ["AI and energy"]


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["UID"]): (
            str(event["SUMMARY"]),
            str(event.get("LOCATION", "")),
            str(event["DESCRIPTION"]),
        )
        for event in calendar.walk("VEVENT")
    }


def test_a_feed_in_french_has_french_texts_and_the_same_uids(client, french_site):
    english = client.get("/ai/programme.ics")
    french = client.get("/ai/programme.ics?lang=fr")
    assert (english["Content-Language"], french["Content-Language"]) == ("en", "fr")
    assert english["ETag"] != french["ETag"]
    in_english, in_french = events(english), events(french)
    assert set(in_french) == set(in_english)
    health = uid("session", french_site["sessions"]["health"].pk)
    summary, location, description = in_french[health]
    assert (summary, location.split(",")[0]) == (FRENCH["health"], "Petit salon")
    assert "Détection précoce des cancers." in description
    assert sorted(summary for summary, _l, _d in in_french.values()) == sorted(
        [FRENCH["panel"], FRENCH["health"], "Visit to Station F"]
    )


def test_a_track_feed_in_french_comes_back_in_french_from_the_cache(client, french_site):
    client.get("/ai/tracks/governance.ics?lang=fr")
    again = client.get("/ai/tracks/governance.ics?lang=fr")
    english = client.get("/ai/tracks/governance.ics")
    assert [s for s, _l, _d in events(again).values()] == [FRENCH["panel"]]
    assert [s for s, _l, _d in events(english).values()] == ["Panel on trustworthy AI governance"]


def test_frab_exports_in_each_language(client, french_site):
    english = client.get("/ai/schedule.json")
    french = client.get("/ai/schedule.json?lang=fr")
    assert (english["Content-Language"], french["Content-Language"]) == ("en", "fr")
    assert english["ETag"] != french["ETag"]

    def read(response):
        conference = json.loads(response.content)["schedule"]["conference"]
        found = [
            (event["title"], event["language"])
            for day in conference["days"]
            for room in day["rooms"].values()
            for event in room
        ]
        return conference["title"], sorted(found)

    assert read(french) == (
        "Sommet pour l’action sur l’IA",
        sorted([(FRENCH["panel"], "fr"), (FRENCH["health"], "fr"), ("Visit to Station F", "fr")]),
    )
    assert read(english) == (
        "AI Action Summit",
        sorted(
            [
                ("Panel on trustworthy AI governance", "en"),
                ("AI in health and science", "en"),
                ("Visit to Station F", "en"),
            ]
        ),
    )
    xml = client.get("/ai/schedule.xml?lang=fr").content.decode()
    assert "<language>fr</language>" in xml and "<language>en</language>" not in xml


def api_titles(response):
    return {
        item["slug"]: (item["title"], item["title_en"], item["title_fr"])
        for item in response.json()["results"]
    }


def test_the_api_answers_in_the_asked_language_and_gives_both(french_site):
    by_query = api().get("/api/v1/sessions/?lang=fr")
    by_header = api().get("/api/v1/sessions/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5")
    default = api().get("/api/v1/sessions/")
    assert [r["Content-Language"] for r in (by_query, by_header, default)] == ["fr", "fr", "en"]
    assert (
        api_titles(by_query)
        == api_titles(by_header)
        == {
            "panel": (FRENCH["panel"], "Panel on trustworthy AI governance", FRENCH["panel"]),
            "health": (FRENCH["health"], "AI in health and science", FRENCH["health"]),
            "energy": (FRENCH["energy"], "AI and energy", FRENCH["energy"]),
            "visit": ("Visit to Station F", "Visit to Station F", None),
        }
    )
    assert api_titles(default)["visit"] == ("Visit to Station F", "Visit to Station F", None)
    assert api_titles(default)["panel"][0] == "Panel on trustworthy AI governance"


def test_an_api_write_in_french_writes_the_french_text(french_site, staff_user):
    visit = french_site["sessions"]["visit"]
    url = f"/api/v1/sessions/{visit.pk}/?lang=fr"
    version = api(staff_user).get(url)["ETag"]
    answer = api(staff_user).patch(url, {"title": "Visite de Station F"}, HTTP_IF_MATCH=version)
    assert answer.status_code == 200, answer.content
    visit.refresh_from_db()
    assert (visit.title_en, visit.title_fr, answer.json()["title"]) == (
        "Visit to Station F",
        "Visite de Station F",
        "Visite de Station F",
    )
    # The text of each language is read only: a write goes through `title`.
    ignored = api(staff_user).patch(url, {"title_fr": "Autre"}, HTTP_IF_MATCH=answer["ETag"])
    visit.refresh_from_db()
    assert (ignored.status_code, visit.title_fr) == (200, "Visite de Station F")


def count_queries(client, path):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    [
        "/{lang}ai/programme/",
        "/{lang}ai/programme/grid/?day=2025-02-10",
        "/ai/programme.ics?lang={code}",
        "/ai/schedule.json?lang={code}",
        "/api/v1/sessions/?lang={code}",
    ],
)
def test_query_counts_do_not_grow_with_languages_nor_sessions(client, french_site, path):
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            for hour in range(16, 20):
                SessionFactory(
                    summit=french_site["summit"],
                    room=french_site["sessions"]["panel"].room,
                    track=french_site["sessions"]["panel"].track,
                    start=paris(10, hour),
                    end=paris(10, hour, 45),
                    title_fr="Séance en français",
                )
        for code in ("en", "fr"):
            where = path.format(lang="" if code == "en" else "fr/", code=code)
            counts[size, code] = count_queries(client, where)
    assert len(set(counts.values())) == 1, counts


def test_an_invitation_goes_in_each_recipient_s_language(
    settings, french_site, django_capture_on_commit_callbacks
):
    settings.SUMMIT_ORGANIZER_EMAIL = "protocol@summit.example.org"
    meeting = MeetingFactory(
        summit=french_site["summit"],
        title="EVP Virkkunen – Minister Tamm",
        status="confirmed",
        start=paris(11, 11),
        end=paris(11, 11, 30),
        room=french_site["sessions"]["panel"].room,
    )
    meeting.title_fr = "La VPE Virkkunen et la ministre Tamm"
    meeting.save()
    for name, email, language in [
        ("Henna Virkkunen", "evp@example.org", "en"),
        ("Kadri Tamm", "tamm@example.ee", "fr"),
    ]:
        MeetingParticipantFactory(
            meeting=meeting, person=PersonFactory(name=name, email=email, language=language)
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations.send(meeting) == 2
    sent = {message.to[0]: message for message in mail.outbox}
    assert {address: message.subject for address, message in sent.items()} == {
        "evp@example.org": "Invitation: EVP Virkkunen – Minister Tamm",
        "tamm@example.ee": "Invitation\u00a0: La VPE Virkkunen et la ministre Tamm",
    }
    _parsed, calendar = calendar_of(sent["tamm@example.ee"])
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "La VPE Virkkunen et la ministre Tamm"


def test_staff_list_what_is_missing_in_french(staff_client, french_site):
    def listed(value):
        response = staff_client.get(f"/admin/agenda/session/?french={value}")
        return {session.slug for session in response.context["cl"].result_list}

    assert listed("missing") == {"visit"}
    assert listed("written") == {"panel", "health", "energy", "closed"}


@pytest.mark.parametrize(
    ("model", "texts"),
    [("session", ["title", "abstract"]), ("summit", ["name", "tagline", "description"])],
)
def test_staff_edit_both_languages_side_by_side(staff_client, french_site, model, texts):
    item = french_site["sessions"]["panel"] if model == "session" else french_site["summit"]
    content = staff_client.get(f"/admin/agenda/{model}/{item.pk}/change/").content.decode()
    # Django names each row after its fields: "form-row field-title_en field-title_fr".
    rows = [row.split() for row in re.findall(r'<div class="form-row ([^"]*)"', content)]
    paired = [
        sorted(name.removeprefix("field-") for name in row if name.startswith("field-"))
        for row in rows
        if any(re.fullmatch(r"field-\w+_(en|fr)", name) for name in row)
    ]
    assert paired == [[f"{text}_en", f"{text}_fr"] for text in texts]


def test_countries_are_sorted_by_their_names_in_the_reader_s_language(client, french_site):
    for slug, country in [("de", "DE"), ("us", "US"), ("es", "ES")]:
        delegate = PersonFactory(name=f"Delegate {slug}", slug=f"delegate-{slug}", country=country)
        SessionRoleFactory(session=french_site["sessions"]["panel"], person=delegate)

    def countries(path):
        content = client.get(path).content.decode()
        select = re.search(r'<select[^>]*id="country".*?</select>', content, re.S)[0]
        return [
            html.unescape(name) for name in re.findall(r'<option value="\w+"[^>]*>([^<]+)<', select)
        ]

    assert countries("/fr/ai/people/") == [
        "Allemagne",
        "Espagne",
        "États-Unis d'Amérique",
        "Finlande",
    ]
    assert countries("/ai/people/") == ["Finland", "Germany", "Spain", "United States of America"]
