"""Every answer carries one Content-Security-Policy: scripts and styles from the site itself,
carrying the request's nonce, or (a shared page's own stylesheets) allowed by their hashes;
nothing inline otherwise, no plugins, no framing."""

import base64
import hashlib
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.api_helpers import api
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
HASH = re.compile(r"'sha256-([A-Za-z0-9+/=]+)'")


def directives(header):
    """{directive: [sources]}, without the per-request nonce and the page's style hashes."""
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = [
            source for source in sources if not (NONCE.fullmatch(source) or HASH.fullmatch(source))
        ]
    return parsed


def style_hashes(page):
    """The hashes of the page's own `<style>` elements that carry no nonce."""
    return {
        base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        for css in re.findall(r"<style\b(?![^>]*\bnonce=)[^>]*>(.*?)</style>", page, re.S)
    }


@pytest.mark.parametrize(
    "path",
    [
        "/ai/programme/",
        "/fr/ai/programme/grid/",
        "/ai/programme.ics",
        "/ai/schedule.json",
        "/api/v1/sessions/",
        "/api/v1/no-such-thing/",
        "/ai/sessions/no-such-session/",
        "/admin/login/",
        "/api/docs/",
        "/api/schema/",
        "/static/css/summit.css",
    ],
)
def test_every_kind_of_answer_carries_the_policy(client, site, path):
    response = client.get(path)
    response.close()  # a static file is streamed from disk
    header = response["Content-Security-Policy"]
    assert (directives(header), "unsafe" in header) == (POLICY, False)
    if not response.streaming:
        # Hashes allow exactly the page's own stylesheets, only in style-src.
        assert set(HASH.findall(header)) == style_hashes(response.content.decode())
        assert "sha256" not in header.split("style-src")[0]


def test_an_api_error_carries_the_policy_too(site):
    refused = api().post("/api/v1/sessions/", {}, format="json")
    assert (refused.status_code, directives(refused["Content-Security-Policy"])) == (401, POLICY)


def test_a_nonce_is_new_on_every_answer_and_matches_the_page(client, site):
    # A reader's session page is made for each request (a visitor's is kept whole, its
    # stylesheets allowed by their hashes).
    client.force_login(UserFactory())
    nonces = []
    for _ in range(2):
        response = client.get("/ai/sessions/panel/")
        (in_header,) = set(NONCE.findall(response["Content-Security-Policy"]))
        in_page = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert in_page == {in_header}
        nonces.append(in_header)
    assert nonces[0] != nonces[1]


def inline_code(page, allowed=frozenset()):
    """Scripts and styles in the page itself that carry no nonce (styles whose hash is not
    `allowed`), and style or event-handler attributes (which no nonce can allow)."""
    elements = re.findall(r"<script\b(?![^>]*\b(?:src|nonce)=)[^>]*>", page)
    elements += [
        css
        for css in re.findall(r"<style\b(?![^>]*\bnonce=)[^>]*>(.*?)</style>", page, re.S)
        if base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() not in allowed
    ]
    attributes = re.findall(r"""<[^>]*\s(?:style|on[a-z]+)=[^>]*>""", page)
    links = re.findall(r"""<[^>]*=["']?javascript:[^>]*>""", page)
    return elements + attributes + links


def test_the_admin_pages_run_no_inline_code(staff_client, staff_user, programme):
    request = RequestFactory().get("/admin/")
    request.user = staff_user
    paths = ["/admin/"]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths.append(reverse(f"{name}_changelist"))
        if model_admin.has_add_permission(request):
            paths.append(reverse(f"{name}_add"))
        if (first := model.objects.first()) is not None:
            paths.append(reverse(f"{name}_change", args=[first.pk]))
    paths.append(reverse("admin:meetings_meeting_suggest", args=[programme["meeting"].pk]))
    paths.append(reverse("admin:people_person_invite"))
    found = {path: inline_code(staff_client.get(path).content.decode()) for path in paths}
    assert {path: code for path, code in found.items() if code} == {}


@pytest.mark.parametrize("path", ["/ai/", "/ai/programme/grid/", "/me/", "/api/docs/"])
def test_pages_and_api_docs_run_no_inline_code(client, site, path):
    client.force_login(site["minister"].user)
    response = client.get(path)
    allowed = set(HASH.findall(response["Content-Security-Policy"]))
    assert inline_code(response.content.decode(), allowed) == []


def test_the_policy_of_plain_answers_follows_the_settings(client, site, settings):
    # The header of answers with no nonce is built once per process: a change of the
    # settings must still reach it, the report-only policy included.
    assert "object-src 'none'" in client.get("/ai/programme.ics")["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'none'"]},
        "EXCLUDE_URL_PREFIXES": ["/api/"],
    }
    feed = client.get("/ai/programme.ics")
    assert feed["Content-Security-Policy"] == "default-src 'self'"
    assert feed["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    listed = client.get("/api/v1/sessions/")
    assert (listed.status_code, listed["Content-Security-Policy"]) == (200, "default-src 'self'")
    assert "Content-Security-Policy-Report-Only" not in listed
