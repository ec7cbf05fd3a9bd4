"""Renderings shared from the cache: fresh after every kind of write, and never personal."""

import gzip
import re

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import RequestFactory

from agenda import cached
from agenda.models import Session, Star
from people.models import Person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROGRAMME = "/ai/programme/"


def pressed(response, session):
    """Whether the page shows the session as starred: None when it has no star button."""
    html = response.content.decode()
    match = re.search(
        rf'action="/me/stars/{session.pk}/".*?aria-pressed="(true|false)"', html, re.S
    )
    return None if match is None else match[1] == "true"


def test_a_bulk_update_shows_on_the_next_request(client, site):
    assert "Panel on trustworthy AI governance" in client.get(PROGRAMME).content.decode()
    Session.objects.filter(slug="panel").update(title="Renamed in bulk")
    page = client.get(PROGRAMME).content.decode()
    assert "Renamed in bulk" in page and "Panel on trustworthy" not in page
    Person.objects.filter(slug="virkkunen").update(name="Henna V.")
    assert "Henna V." in client.get(PROGRAMME).content.decode()


def test_each_reader_gets_their_own_stars_on_a_shared_rendering(client, site):
    panel, health = site["sessions"]["panel"], site["sessions"]["health"]
    first, second = UserFactory(), UserFactory()
    Star.objects.create(user=first, session=panel)
    Star.objects.create(user=second, session=health)
    assert pressed(client.get(PROGRAMME), panel) is None  # a visitor: no star buttons
    for user, starred, other in [(first, panel, health), (second, health, panel)]:
        client.force_login(user)
        for url in [PROGRAMME, "/ai/programme/grid/?day=2025-02-10", "/ai/people/virkkunen/"]:
            response = client.get(url)
            if f"/me/stars/{starred.pk}/" in response.content.decode():
                assert pressed(response, starred) is True, (user, url)
            if f"/me/stars/{other.pk}/" in response.content.decode():
                assert pressed(response, other) is False, (user, url)
    client.logout()
    assert pressed(client.get(PROGRAMME), panel) is None


def test_an_invitation_only_session_reaches_its_participants_and_staff_only(
    client, site, staff_user
):
    title = "Closed ministerial roundtable"
    assert title not in client.get(PROGRAMME).content.decode()
    client.force_login(site["minister"].user)
    assert title in client.get(PROGRAMME).content.decode()
    client.force_login(UserFactory())
    assert title not in client.get(PROGRAMME).content.decode()
    client.force_login(staff_user)
    assert title in client.get(PROGRAMME).content.decode()
    client.logout()
    assert title not in client.get(PROGRAMME).content.decode()


def test_a_hidden_person_stays_hidden_after_staff_saw_them(client, site, staff_user):
    client.force_login(staff_user)
    assert client.get("/ai/people/adviser/").status_code == 200
    client.logout()
    assert client.get("/ai/people/adviser/").status_code == 404
    assert "Quiet Adviser" not in client.get(PROGRAMME).content.decode()


def test_a_filled_in_star_is_the_form_the_star_button_renders(rf, site):
    """One markup: the one a page renders and the one put into shared renderings."""
    request = RequestFactory().get(PROGRAMME)
    request.user = UserFactory()
    panel = site["sessions"]["panel"]
    for starred in (True, False):
        rendered = render_to_string(
            "agenda/_star.html", {"session": panel, "starred": starred}, request=request
        )
        shared = cached.Rendering.of("", cached.star_marker(panel), reader=True)
        filled = shared.body(
            {panel.pk} if starred else set(), token=b"token", next_path=PROGRAMME.encode()
        ).decode()
        token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked afresh each time
        assert token.sub("", filled) == token.sub("", rendered.strip())


@pytest.mark.parametrize(
    "write",
    [
        lambda: Session.objects.filter(slug="panel").update(title="Renamed in bulk"),
        lambda: Person.objects.filter(slug="virkkunen").update(name="Henna V."),
    ],
)
def test_a_bulk_update_changes_the_feeds_etag(client, site, write):
    """Calendar apps asking with If-None-Match get the change, not a 304."""
    before = client.get("/ai/programme.ics")["ETag"]
    write()
    answer = client.get("/ai/programme.ics", headers={"If-None-Match": before})
    assert answer.status_code == 200 and answer["ETag"] != before


def test_the_apis_shared_session_list_follows_changes_and_readers(client, site, staff_user):
    def titles():
        return {item["title"] for item in client.get("/api/v1/sessions/").json()["results"]}

    assert "Closed ministerial roundtable" not in titles()
    Session.objects.filter(slug="panel").update(title="Renamed in bulk")
    assert "Renamed in bulk" in titles()
    client.force_login(site["minister"].user)
    assert "Closed ministerial roundtable" in titles()
    client.force_login(staff_user)
    assert "Closed ministerial roundtable" in titles()
    client.logout()
    assert "Closed ministerial roundtable" not in titles()


def test_a_free_text_search_is_not_kept(client, site):
    """Searches are of endless variety: kept, they would push everything else out."""
    from django.core.cache import cache

    client.get(PROGRAMME)
    kept = len(cache._cache)
    assert "Panel on" in client.get(PROGRAMME, {"q": "panel"}).content.decode()
    assert "Panel on" not in client.get(PROGRAMME, {"q": "no such words"}).content.decode()
    assert len(cache._cache) == kept


def test_who_shares_the_public_rendering(rf, site):
    from tests.factories import PersonFactory, SessionRoleFactory

    def audience_of(user):
        request = rf.get(PROGRAMME)
        request.user = user
        return cached.audience(request)

    private_attendee = PersonFactory(is_public=False, user=UserFactory())
    assert audience_of(private_attendee.user) == "public"  # sees what the public sees
    assert audience_of(site["minister"].user) is None  # on an invitation-only session
    hidden_speaker = PersonFactory(is_public=False, user=UserFactory())
    SessionRoleFactory(session=site["sessions"]["panel"], person=hidden_speaker)
    assert audience_of(hidden_speaker.user) is None  # sees themselves on the programme


def test_a_hidden_attendee_sees_their_own_page(client, site):
    from tests.factories import PersonFactory

    attendee = PersonFactory(is_public=False, user=UserFactory(), slug="me-myself")
    client.get("/ai/people/me-myself/")  # a visitor's 404 is not kept for them
    client.force_login(attendee.user)
    assert client.get("/ai/people/me-myself/").status_code == 200
    client.logout()
    assert client.get("/ai/people/me-myself/").status_code == 404


def style_sources(response) -> set[str]:
    policy = response["Content-Security-Policy"]
    style_src = next(part for part in policy.split(";") if part.strip().startswith("style-src"))
    return set(style_src.split()[1:])


@pytest.mark.parametrize(
    "url", [PROGRAMME, "/ai/programme/grid/?day=2025-02-10", "/ai/people/virkkunen/"]
)
def test_a_shared_pages_stylesheets_are_allowed_by_their_hashes(client, site, url):
    """The same bytes for every visitor: no nonce of the request in a shared page, and the
    policy allows exactly the page's own stylesheets."""
    import base64
    import hashlib

    for user in (None, UserFactory()):
        if user:
            client.force_login(user)
        response = client.get(url)
        html = response.content.decode()
        styles = re.findall(r"<style([^>]*)>(.*?)</style>", html, re.S)
        assert styles and all("nonce" not in attributes for attributes, _css in styles)
        hashes = {
            "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
            for _attributes, css in styles
        }
        assert hashes <= style_sources(response)


def test_visitors_get_the_same_page_and_etag_until_a_change(client, site):
    first, second = client.get(PROGRAMME), client.get(PROGRAMME)
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert client.get(PROGRAMME, headers={"If-None-Match": first["ETag"]}).status_code == 304
    Session.objects.filter(slug="panel").update(title="Renamed in bulk")
    third = client.get(PROGRAMME, headers={"If-None-Match": first["ETag"]})
    assert third.status_code == 200 and "Renamed in bulk" in third.content.decode()
    assert third["ETag"] != first["ETag"]


def test_a_query_the_page_does_not_know_gets_the_same_programme(client, site):
    plain = client.get(PROGRAMME).content.decode()
    tagged = client.get(PROGRAMME + "?utm_source=newsletter").content.decode()
    titles = re.compile(r"<h3[^>]*>(.*?)</h3>", re.S)
    assert titles.findall(tagged) == titles.findall(plain) != []


def test_a_visitors_pending_message_is_shown_on_a_shared_page(client, site):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    client.get(PROGRAMME)  # the whole page is in the cache now
    request = RequestFactory().get(PROGRAMME)
    storage = CookieStorage(request)
    client.cookies[storage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "You are logged out; see you in Paris.")]
    )
    assert "see you in Paris" in client.get(PROGRAMME).content.decode()
    assert "see you in Paris" not in client.get(PROGRAMME).content.decode()


@pytest.mark.parametrize("url", [PROGRAMME, "/ai/programme/grid/?day=2025-02-10"])
def test_after_a_change_a_page_renders_again_only_the_cards_it_touched(client, site, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    panel = site["sessions"]["panel"]
    Session.objects.filter(pk=panel.pk).update(title="Renamed panel")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "Renamed panel" in page and "Panel on trustworthy" not in page
    whole = [
        re.findall(r'"agenda_session"\."id" IN \(([^)]*)\)', query["sql"])
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and '"agenda_session"."id" IN (' in query["sql"]
        # The seats, read for every request, are not a card rendered again.
        and '"capacity" IS NOT NULL' not in query["sql"]
    ]
    assert whole == [[str(panel.pk)]]


def test_a_304_of_a_shared_page_carries_the_same_policy(client, site):
    """A browser keeps a 304's headers with the page it had: the stylesheets' hashes too."""
    first = client.get(PROGRAMME)
    again = client.get(PROGRAMME, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert style_sources(again) == style_sources(first)
    assert any(source.startswith("'sha256-") for source in style_sources(first))


def test_a_readers_compressed_page_is_kept_for_them_and_its_token_works(site):
    """The gzip of a reader's page is made once for their address and CSRF secret; the token
    in it, from the first answer, still stars a session; a second reader gets their own."""
    from django.test import Client

    panel = site["sessions"]["panel"]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(UserFactory())
    second.force_login(UserFactory())
    answers = [first.get(PROGRAMME, HTTP_ACCEPT_ENCODING="gzip") for _ in range(3)]
    assert {answer["Content-Encoding"] for answer in answers} == {"gzip"}
    # The raw pages differ (a new mask of the token each time); the compressed one does not,
    # and once kept it is served as it was: not even the page is made again.
    assert len({answer.content for answer in answers}) == 1
    assert len({answer["ETag"] for answer in answers}) == 1
    assert answers[-1]["ETag"].startswith('W/"')
    assert "Accept-Encoding" in answers[-1]["Vary"]
    again = first.get(
        PROGRAMME, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=answers[-1]["ETag"]
    )
    assert again.status_code == 304
    page = gzip.decompress(answers[-1].content).decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    starred = first.post(f"/me/stars/{panel.pk}/", {"csrfmiddlewaretoken": token, "next": "/"})
    assert starred.status_code == 302
    assert list(Star.objects.filter(session=panel).values_list("user", flat=True)) == [
        int(first.session["_auth_user_id"])
    ]
    theirs = gzip.decompress(second.get(PROGRAMME, HTTP_ACCEPT_ENCODING="gzip").content).decode()
    assert token not in theirs
    # Their own star shows at once: the starred page is another ETag, another copy.
    mine = gzip.decompress(first.get(PROGRAMME, HTTP_ACCEPT_ENCODING="gzip").content).decode()
    assert re.search(rf'action="/me/stars/{panel.pk}/".*?aria-pressed="true"', mine, re.S)


def test_a_reader_who_has_the_page_gets_a_304(client, site):
    client.force_login(UserFactory())
    etag = client.get(PROGRAMME)["ETag"]
    assert client.get(PROGRAMME, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Star.objects.create(
        user=User.objects.get(pk=client.session["_auth_user_id"]), session=site["sessions"]["panel"]
    )
    assert client.get(PROGRAMME, HTTP_IF_NONE_MATCH=etag).status_code == 200


SESSION = "/ai/sessions/health/"


@pytest.mark.usefixtures("clock")
def test_a_visitors_session_page_is_kept_whole_with_its_seats_as_they_stand(
    client, site, django_assert_num_queries, django_capture_on_commit_callbacks
):
    import base64
    import hashlib

    from agenda import seats
    from tests.factories import PersonFactory

    person = PersonFactory()
    first = client.get(SESSION)
    with django_assert_num_queries(1):  # the versions
        second = client.get(SESSION)
    assert (second.content, second["ETag"]) == (first.content, first["ETag"])
    # Its track's colours are allowed by their hash, not by the nonce of the first request.
    styles = re.findall(r"<style([^>]*)>(.*?)</style>", second.content.decode(), re.S)
    assert styles and all("nonce" not in attributes for attributes, _css in styles)
    assert {
        "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
        for _attributes, css in styles
    } <= style_sources(second)
    assert "30 seats left" in second.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        seats.register(session=site["sessions"]["health"], person=person, actor=None)
    assert "29 seats left" in client.get(SESSION).content.decode()
    Session.objects.filter(slug="health").update(title="Renamed workshop")
    assert "Renamed workshop" in client.get(SESSION).content.decode()
    client.force_login(UserFactory())
    assert ">Register</button>" in client.get(SESSION).content.decode()


def test_a_visitors_session_page_closes_registration_once_the_session_is_over(client, site, clock):
    from tests.factories import paris

    assert "Log in to register" in client.get(SESSION).content.decode()
    clock(paris(10, 16, 1))
    content = client.get(SESSION).content.decode()
    assert "Registration is closed: this session is over." in content
    assert "Log in to register" not in content


def test_the_page_around_a_readers_programme_is_theirs_where_it_differs(client, site, staff_user):
    """The page around a reader's programme is kept for every reader of that page: staff get
    their link, each path its own language links, and a reader their own messages."""
    panel = site["sessions"]["panel"]
    client.force_login(UserFactory())
    assert 'href="/admin/"' not in client.get(PROGRAMME).content.decode()
    filtered = client.get(PROGRAMME, {"kind": "panel"}).content.decode()
    assert 'href="/fr/ai/programme/?kind=panel"' in filtered
    client.post(f"/me/stars/{panel.pk}/", {"next": PROGRAMME})
    shown = client.get(PROGRAMME).content.decode()
    assert "is starred." in shown
    assert "is starred." not in client.get(PROGRAMME).content.decode()
    client.force_login(staff_user)
    assert 'href="/admin/"' in client.get(PROGRAMME).content.decode()
