import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from agenda import identity
from agenda.demo import load_demo
from agenda.models import Summit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
DRAWING = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4" fill="#fff"/></svg>'
)


def refusal(validator, value) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        validator(value)
    return raised.value.messages


def test_a_dark_primary_colour_is_accepted_and_a_light_one_refused_with_its_contrast():
    identity.validate_primary_colour("#1d2b64")
    assert refusal(identity.validate_primary_colour, "#7fb2e5") == [
        "#7fb2e5 is too light: white text on it (and it as text on white) needs a contrast of "
        "at least 4.5:1, and it has 2.2:1. Choose a darker colour."
    ]


@pytest.mark.parametrize("value", ["red", "#fff", "#12345g", "", "#1234567"])
def test_a_colour_not_written_as_six_hex_digits_is_refused(value):
    assert refusal(identity.validate_accent_colour, value) == [
        f"“{value}” is not a colour written like #0b4f8a."
    ]


def test_a_pale_accent_colour_is_refused():
    assert refusal(identity.validate_accent_colour, "#ffd700") == [
        "#ffd700 is too light to be seen on white (contrast 1.4:1, at least 3:1 needed). "
        "Choose a darker colour."
    ]


def test_a_drawing_only_svg_logo_and_a_png_logo_are_accepted():
    identity.validate_logo(SimpleUploadedFile("logo.svg", DRAWING))
    identity.validate_logo(SimpleUploadedFile("logo.png", PNG))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "An SVG logo may only draw: “script” elements are refused.",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "An SVG logo may not run scripts (“onload”).",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:x()"/></svg>',
            "An SVG logo may only draw: “a” elements are refused.",
        ),
        (
            b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>',
            "An SVG logo may not declare a DOCTYPE or entities.",
        ),
        (b"<svg", "This SVG file cannot be read."),
        (b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "This file is not an SVG image."),
    ],
)
def test_an_svg_logo_that_could_run_or_fetch_anything_is_refused(content, message):
    assert refusal(identity.validate_logo, SimpleUploadedFile("logo.svg", content)) == [message]


def test_an_image_whose_bytes_do_not_match_its_name_is_refused():
    assert refusal(identity.validate_logo, SimpleUploadedFile("logo.png", DRAWING)) == [
        "This file is not the PNG image its name says."
    ]


def test_an_svg_hero_image_and_an_unknown_kind_are_refused():
    assert refusal(identity.validate_hero, SimpleUploadedFile("hero.svg", DRAWING)) == [
        "Upload a JPG, PNG, WEBP file."
    ]
    assert refusal(identity.validate_logo, SimpleUploadedFile("logo.gif", b"GIF89a")) == [
        "Upload a JPG, PNG, SVG, WEBP file."
    ]


def test_a_logo_over_the_size_limit_is_refused():
    big = SimpleUploadedFile("logo.png", PNG + b"\x00" * identity.LOGO_MAX_BYTES)
    assert refusal(identity.validate_logo, big) == [
        "This file is 512 KB; at most 512 KB is accepted."
    ]


def test_the_summits_colours_reach_the_page_in_a_style_its_policy_allows(client, site):
    site["summit"].primary_colour = "#1d2b64"
    site["summit"].accent_colour = "#c8102e"
    site["summit"].save()
    for path in ("/ai/", "/ai/programme/", "/ai/programme/", "/ai/sessions/health/"):
        response = client.get(path)
        css = ":root{--brand:#1d2b64;--brand-accent:#c8102e}"
        assert f"<style>{css}</style>" in response.content.decode()
        assert identity.style_hash(css) in response["Content-Security-Policy"]


def test_a_summit_without_a_logo_gets_its_name_as_a_wordmark(client, site):
    page = client.get("/ai/").content.decode()
    assert re.findall(r'<p class="brand">\s*(.*?)\s*</p>', page, re.DOTALL) == [
        '<a href="/ai/"><span class="wordmark">AI Action Summit</span></a>'
    ]


def test_the_demo_summit_has_its_drawn_logo_and_colours_and_loading_again_keeps_them(db):
    summit = load_demo().summit
    stored = (summit.logo.name, summit.hero_image.name)
    assert (summit.primary_colour, summit.accent_colour) == ("#1d2b64", "#c8102e")
    assert re.fullmatch(r"summits/logos/ai-action-summit-2025\w*\.svg", stored[0])
    assert re.fullmatch(r"summits/heroes/ai-action-summit-2025-preview\w*\.png", stored[1])
    identity.validate_logo(summit.logo)
    identity.validate_hero(summit.hero_image)
    load_demo()
    again = Summit.objects.get(pk=summit.pk)
    assert (again.logo.name, again.hero_image.name) == stored


def test_a_summit_with_a_scripted_logo_is_not_saved(site):
    summit = site["summit"]
    summit.logo = SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    )
    summit.primary_colour = "#ffffff"
    with pytest.raises(ValidationError) as raised:
        summit.full_clean()
    assert raised.value.message_dict == {
        "logo": ["An SVG logo may not run scripts (“onload”)."],
        "primary_colour": [
            "#ffffff is too light: white text on it (and it as text on white) needs a contrast "
            "of at least 4.5:1, and it has 1.0:1. Choose a darker colour."
        ],
    }


def test_an_uploaded_logo_is_served_as_an_image_that_runs_nothing(client, site):
    site["summit"].logo.save("mark.svg", SimpleUploadedFile("mark.svg", DRAWING))
    response = client.get(site["summit"].logo.url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/svg+xml")
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == DRAWING
    page = client.get("/ai/").content.decode()
    assert (
        f'<img class="brand-logo" src="{site["summit"].logo.url}" alt="AI Action Summit">' in page
    )


@pytest.mark.parametrize(
    "path",
    [
        "/media/summits/none.svg",
        "/media/people/photos/virkkunen.jpg",
        "/media/x",
        "/media/summits/..%2F..%2Fsecret.png",
        "/media/%2Fetc%2Fpasswd.png",
    ],
)
def test_a_missing_or_unknown_media_file_is_a_404(client, db, path):
    assert client.get(path).status_code == 404


def test_the_admin_bears_the_summits_name(staff_client, site):
    page = staff_client.get("/admin/").content.decode()
    assert re.findall(r"<title>(.*?)</title>", page) == ["Site administration | AI Action Summit"]
    assert '<a href="/admin/">AI Action Summit: programme staff</a>' in page
    assert "Django administration" not in page


def test_staff_set_the_identity_in_the_summits_admin_page(staff_client, site):
    page = staff_client.get(f"/admin/agenda/summit/{site['summit'].pk}/change/").content.decode()
    inputs = {
        name: kind
        for kind, name in re.findall(
            r'<input type="(\w+)" name="(\w+_colour|logo|hero_image)"', page
        )
    }
    assert inputs == {
        "primary_colour": "color",
        "accent_colour": "color",
        "logo": "file",
        "hero_image": "file",
    }


def test_the_summits_uploads_route_serves_no_other_upload(client, db, settings, tmp_path):
    """A person's photo sits in the same uploads: the summits' route never reaches it, however
    the path is written; the thumbnails' own route decides who sees a photo."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "people" / "photos").mkdir(parents=True)
    (tmp_path / "people" / "photos" / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "summits" / "logos").mkdir(parents=True)
    for path in [
        "/media/summits/../people/photos/secret.png",
        "/media/summits/..%2Fpeople%2Fphotos%2Fsecret.png",
        "/media/summits/logos/..%2F..%2Fpeople%2Fphotos%2Fsecret.png",
        "/media/people/photos/secret.png",
    ]:
        assert client.get(path).status_code == 404, path
