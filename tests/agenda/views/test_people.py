import pytest

from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SummitFactory,
    UserFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200
    return {person.name for person in response.context["page"].object_list}


@pytest.mark.parametrize("who", ["anonymous", "attendee"])
def test_every_people_page_renders(client, site, who):
    if who == "attendee":
        client.force_login(UserFactory())
    for url in ["/ai/people/", "/ai/people/virkkunen/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"SECRET" not in response.content, url
        assert b"Closed ministerial roundtable" not in response.content, url


def test_the_directory_lists_public_people_on_visible_sessions(client, site):
    # The minister is only on an invitation-only session; the adviser is not public.
    assert names(client.get("/ai/people/")) == {"Henna Virkkunen"}


def test_participants_and_staff_see_more_of_the_directory(client, site, staff_user):
    client.force_login(site["minister"].user)
    assert names(client.get("/ai/people/")) == {"Henna Virkkunen", "Minister Rossi"}
    client.force_login(staff_user)
    assert names(client.get("/ai/people/")) == {
        "Henna Virkkunen",
        "Minister Rossi",
        "Quiet Adviser",
    }


def test_a_directory_filter_that_is_no_slug_or_country_code_lists_no_one(client, site):
    for query in [{"organisation": "<b>ec"}, {"country": "ITA"}, {"organisation": "x" * 101}]:
        response = client.get("/ai/people/", query)
        assert names(response) == set()
        assert b"<b>ec" not in response.content


def test_the_directory_filters_by_organisation_and_country(client, site, staff_user):
    client.force_login(staff_user)
    assert names(client.get("/ai/people/", {"organisation": "ec"})) == {"Henna Virkkunen"}
    assert names(client.get("/ai/people/", {"country": "it"})) == {"Minister Rossi"}
    assert names(client.get("/ai/people/", {"country": "FI", "organisation": "ec"})) == {
        "Henna Virkkunen"
    }
    response = client.get("/ai/people/", {"country": "ZZ"})
    assert names(response) == set()
    assert "Nobody matches these filters." in response.content.decode()


def test_a_person_page_lists_only_the_sessions_the_visitor_may_see(client, site):
    response = client.get("/ai/people/virkkunen/")
    slugs = {s.slug for _, slots in response.context["days"] for _, group in slots for s in group}
    assert slugs == {"panel", "visit"}
    assert "webcal://testserver/ai/people/virkkunen.ics" in response.content.decode()
    client.force_login(site["minister"].user)
    response = client.get("/ai/people/virkkunen/")
    slugs = {s.slug for _, slots in response.context["days"] for _, group in slots for s in group}
    assert slugs == {"panel", "visit", "closed"}


def test_a_person_hidden_from_the_public_has_no_page_for_others(client, site, staff_user):
    assert client.get("/ai/people/adviser/").status_code == 404
    client.force_login(UserFactory())
    assert client.get("/ai/people/adviser/").status_code == 404
    client.force_login(staff_user)
    assert client.get("/ai/people/adviser/").status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_directory_queries_do_not_grow_with_people(client, django_assert_num_queries, size):
    summit = SummitFactory(slug="many")
    room = RoomFactory(venue__summit=summit)
    for n in range(size):
        session = SessionFactory(
            summit=summit, room=room, start=paris(10, 8 + n), end=paris(10, 9 + n)
        )
        SessionRoleFactory(
            session=session, person=PersonFactory(organisation=OrganisationFactory())
        )
    # Built: version, summit, organisations, countries, count, page. Then shared: version.
    with django_assert_num_queries(6):
        assert client.get("/many/people/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/many/people/").status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_person_page_queries_do_not_grow_with_sessions(client, django_assert_num_queries, size):
    summit = SummitFactory(slug="many")
    room = RoomFactory(venue__summit=summit)
    person = PersonFactory(slug="someone")
    for n in range(size):
        session = SessionFactory(
            summit=summit, room=room, start=paris(10, 8 + n), end=paris(10, 9 + n)
        )
        SessionRoleFactory(session=session, person=person)
        SessionRoleFactory(session=session)
    # Built: version, summit, person, sessions, roles. Then shared: version.
    with django_assert_num_queries(5):
        assert client.get("/many/people/someone/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/many/people/someone/").status_code == 200


def test_a_filter_that_cannot_be_is_shown_beside_its_field(client, site):
    response = client.get("/ai/people/", {"organisation": "not a slug", "country": "FRA"})
    assert names(response) == set()
    assert set(response.context["filters"].errors) == {"organisation", "country"}
    page = response.content.decode()
    assert 'id="organisation-error"' in page and 'id="country-error"' in page


def test_the_directory_finds_people_by_name_accents_and_case_aside(client, site):
    sejourne = PersonFactory(name="Stéphane Séjourné", slug="sejourne")
    SessionRoleFactory(session=site["sessions"]["visit"], person=sejourne)
    assert names(client.get("/ai/people/?name=SEJOURNE")) == {"Stéphane Séjourné"}
    assert names(client.get("/ai/people/?name=virk")) == {"Henna Virkkunen"}
    # By name only: an organisation's name finds nobody.
    assert names(client.get("/ai/people/?name=commission")) == set()
    assert names(client.get("/ai/people/?name=quiet")) == set()


def test_the_directory_keeps_the_name_across_pages(client, site):
    session = SessionFactory(
        summit=site["summit"],
        room=site["sessions"]["visit"].room,
        start=paris(11, 14),
        end=paris(11, 15),
    )
    for n in range(61):
        SessionRoleFactory(session=session, person=PersonFactory(name=f"Delegate {n:02}"))
    content = client.get("/ai/people/?name=delegate").content.decode()
    assert 'href="?name=delegate&amp;page=2"' in content
    assert names(client.get("/ai/people/?name=delegate&page=2")) == {"Delegate 60"}


@pytest.mark.parametrize("query", ["name=" + "x" * 500, "name=%25_", "name=%00", "name[]=a"])
def test_odd_names_in_the_directory_are_answered_without_an_error(client, site, query):
    assert client.get(f"/ai/people/?{query}").status_code in {200, 400}


def test_a_name_too_long_lists_nobody_and_says_so(client, site):
    response = client.get("/ai/people/?name=" + "x" * 101)
    assert names(response) == set()
    assert "Search with at most 100 characters." in response.content.decode()


@pytest.mark.parametrize("size", [1, 5])
def test_directory_name_search_queries_do_not_grow(client, django_assert_num_queries, size):
    summit = SummitFactory(slug="many")
    room = RoomFactory(venue__summit=summit)
    for n in range(size):
        session = SessionFactory(
            summit=summit, room=room, start=paris(10, 8 + n), end=paris(10, 9 + n)
        )
        SessionRoleFactory(
            session=session,
            person=PersonFactory(name=f"Ana {n}", organisation=OrganisationFactory()),
        )
    # Version, summit, organisations, countries, count, page: a typed name is never kept.
    with django_assert_num_queries(6):
        response = client.get("/many/people/?name=ana")
    assert len(names(response)) == size
