import pytest

from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def found(response):
    assert response.status_code == 200
    days = response.context["days"]
    titles = {session.pk for _day, slots in days for _start, shown in slots for session in shown}
    return titles, {person.name for person in response.context["people"]}


def titles_of(site, *names):
    return {site["sessions"][name].pk for name in names}


def test_the_search_finds_sessions_and_people_case_and_accents_aside(client, site):
    site["sessions"]["health"].abstract_fr = "Dépistage précoce du cancer."
    site["sessions"]["health"].save()
    assert found(client.get("/ai/search/?q=DEPISTAGE")) == (titles_of(site, "health"), set())
    # A speaker's name finds them and their sessions.
    assert found(client.get("/ai/search/?q=virkkunen")) == (
        titles_of(site, "panel", "visit"),
        {"Henna Virkkunen"},
    )


def test_the_search_finds_people_by_job_title_and_organisation_in_either_language(client, site):
    evp = site["evp"]
    evp.position_en, evp.position_fr = "Executive Vice-President", "Vice-présidente exécutive"
    evp.save()
    organisation = evp.organisation
    organisation.name_fr = "Commission européenne"
    organisation.save()
    assert found(client.get("/ai/search/?q=vice-presidente"))[1] == {"Henna Virkkunen"}
    assert found(client.get("/fr/ai/search/?q=executive vice"))[1] == {"Henna Virkkunen"}
    assert found(client.get("/ai/search/?q=européenne"))[1] == {"Henna Virkkunen"}


def test_the_search_shows_only_what_the_reader_may_see(client, site, staff_user):
    hidden = ("roundtable", "adviser", "rossi")
    assert [found(client.get(f"/ai/search/?q={text}")) for text in hidden] == [
        (set(), set()),
        (set(), set()),
        (set(), set()),
    ]
    client.force_login(site["minister"].user)
    assert [found(client.get(f"/ai/search/?q={text}")) for text in hidden] == [
        (titles_of(site, "closed"), set()),
        (set(), set()),
        (titles_of(site, "closed"), {"Minister Rossi"}),
    ]
    client.force_login(staff_user)
    assert [found(client.get(f"/ai/search/?q={text}")) for text in hidden] == [
        (titles_of(site, "closed"), set()),
        (titles_of(site, "panel"), {"Quiet Adviser"}),
        (titles_of(site, "closed"), {"Minister Rossi"}),
    ]


def test_the_search_never_shows_a_confidential_meeting(client, site, staff_user):
    client.force_login(staff_user)
    response = client.get("/ai/search/?q=secret")
    assert found(response) == (set(), set())
    assert b"SECRET-BILATERAL" not in response.content


def test_an_empty_search_shows_the_form_and_nothing_else(client, site):
    response = client.get("/ai/search/?q=+++")
    assert found(response) == (set(), set())
    assert b'id="search-q"' in response.content and b"result-count" not in response.content


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "a" * 5000,
        "q=%25",
        "q=_",
        "q=%5C",
        "q=%27%22%3C%3E%26",
        "q=%3Cscript%3Ealert(1)%3C/script%3E",
        "q=%F0%9F%8C%8D",
        "q=a&q=b",
        "q[]=x",
        "q=%ff%fe",
    ],
)
def test_odd_searches_are_answered_without_an_error(client, site, query):
    response = client.get(f"/ai/search/?{query}")
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"</header>")[1]


def test_a_search_too_long_says_so_and_finds_nothing(client, site):
    response = client.get("/ai/search/?q=" + "energy" * 50)
    assert found(response) == (set(), set())
    assert "Search with at most 200 characters." in response.content.decode()


def test_the_search_of_an_unknown_summit_is_a_404(client, site):
    assert client.get("/nowhere/search/?q=ai").status_code == 404


def test_the_header_offers_the_search_on_summit_pages(client, site):
    content = client.get("/ai/programme/").content.decode()
    assert '<form class="search-box" method="get" action="/ai/search/" role="search"' in content
    french = client.get("/fr/ai/programme/").content.decode()
    assert 'action="/fr/ai/search/"' in french


@pytest.mark.parametrize("size", [1, 5])
def test_search_queries_do_not_grow_with_results(client, django_assert_num_queries, size):
    summit = SummitFactory(slug="many")
    room = RoomFactory(venue__summit=summit)
    for n in range(size):
        session = SessionFactory(
            summit=summit,
            room=room,
            title=f"Energy {n}",
            start=paris(10, 8 + n),
            end=paris(10, 9 + n),
        )
        SessionRoleFactory(
            session=session,
            person=PersonFactory(name=f"Energy Expert {n}", organisation=OrganisationFactory()),
        )
    # Version, summit, the sessions' plain rows and roles, sessions and roles read whole for
    # the cards, the tracks shown, the people found.
    with django_assert_num_queries(8):
        response = client.get("/many/search/?q=energy")
    assert len(response.context["people"]) == size
