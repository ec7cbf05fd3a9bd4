"""The language switch in every page's header."""

import pytest

from summit import middleware

pytestmark = pytest.mark.django_db


def test_switching_to_french_comes_back_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/fr/ai/programme/"})
    assert (response.status_code, response["Location"]) == (302, "/fr/ai/programme/")
    assert response.cookies["django_language"].value == "fr"


def test_a_language_the_site_does_not_speak_is_a_400_naming_it(client):
    response = client.post("/i18n/setlang/", {"language": "<b>klingon</b>", "next": "/"})
    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert response.content.decode().startswith("“language”: ")
    assert "klingon" not in response.content.decode()
    assert "django_language" not in response.cookies


def test_a_get_switches_nothing_and_goes_back(client):
    response = client.get("/i18n/setlang/", {"language": "fr", "next": "/ai/"})
    assert (response.status_code, response["Location"]) == (302, "/ai/")
    assert "django_language" not in response.cookies


DJANGO_LOCALE = "django.middleware.locale.LocaleMiddleware"


@pytest.mark.parametrize(
    "path", ["/", "/fr/", "/fr", "/ai/programme/", "/fr/ai/programme/", "/api/v1/", "/fr/nowhere"]
)
@pytest.mark.parametrize(
    "headers",
    [{}, {"Cookie": "django_language=fr", "Accept-Language": "fr-FR,fr;q=0.9"}],
    ids=["plain", "french-cookie-and-header"],
)
def test_a_page_s_language_and_headers_are_those_of_django_s_middleware(
    client, site, settings, path, headers
):
    """Summit's LocaleMiddleware reads the language from the path alone where only the path
    can name it; everything it answers is what Django's answers."""

    def answer():
        response = client.get(path, headers=headers)
        return (
            response.status_code,
            response.get("Location"),
            response["Content-Language"],
            response.get("Vary"),
            response.wsgi_request.LANGUAGE_CODE,
        )

    ours = answer()
    settings.MIDDLEWARE = [
        DJANGO_LOCALE if name == "summit.middleware.LocaleMiddleware" else name
        for name in settings.MIDDLEWARE
    ]
    assert DJANGO_LOCALE in settings.MIDDLEWARE
    assert ours == answer()
    # Pages by their path alone; the API by what its client asks.
    french = path.startswith("/fr") or (path.startswith("/api/") and "Accept-Language" in headers)
    assert ours[2] == ("fr" if french else "en")


def test_the_language_of_a_path_follows_the_languages_spoken(settings):
    assert middleware.language_of_path("/de/programme/") is None
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    assert middleware.language_of_path("/de/programme/") == "de"
    assert [middleware.language_of_path(path) for path in ("/fr", "/fr/x/", "fr/", "", "/")] == [
        "fr",
        "fr",
        None,
        None,
        None,
    ]
