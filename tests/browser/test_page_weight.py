"""The demo's public pages stay light (HTML and CSS under 60 KB a page) and ask nothing of
another host."""

from urllib.parse import urlsplit

import pytest

from agenda.demo import load_demo
from people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 60 * 1024


@pytest.fixture
def demo_pages():
    summit = load_demo().summit
    home = f"/{summit.slug}/"
    sessions = [s.slug for s in summit.sessions.filter(visibility="public").order_by("start")]
    people = sorted(
        Person.objects.filter(
            is_public=True,
            session_roles__session__summit=summit,
            session_roles__session__visibility="public",
        )
        .distinct()
        .values_list("slug", flat=True)
    )
    assert len(people) > 5
    days = [day.isoformat() for day in summit.days]
    return [
        home,
        f"{home}programme/",
        *(f"{home}programme/?day={day}" for day in days),
        *(f"{home}programme/grid/?day={day}" for day in days),
        f"{home}people/",
        f"{home}changes/",
        *(f"{home}sessions/{slug}/" for slug in sessions),
        *(f"{home}people/{slug}/" for slug in people),
        f"/fr{home}",
        f"/fr{home}programme/",
        "/accounts/login/",
    ]


@pytest.mark.parametrize("width", [1366, 390])
def test_every_demo_page_is_under_60_kb_of_html_and_css_from_this_site_alone(
    browser, live_server, demo_pages, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    own = urlsplit(live_server.url).netloc
    elsewhere, heavy = [], {}
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).netloc != own
            and urlsplit(request.url).scheme in {"http", "https", "ws", "wss"}
            and elsewhere.append(request.url)
        ),
    )
    sizes: dict[str, int] = {}
    for path in demo_pages:
        response = page.goto(f"{live_server.url}{path}", wait_until="load")
        assert response.status == 200, path
        stylesheets = page.eval_on_selector_all(
            "link[rel=stylesheet]", "links => links.map(link => link.href)"
        )
        for href in stylesheets:
            if href not in sizes:
                sizes[href] = len(context.request.get(href).body())
        weight = len(response.body()) + sum(sizes[href] for href in stylesheets)
        if weight >= LIMIT:
            heavy[path] = weight
    context.close()
    assert (elsewhere, heavy) == ([], {})
