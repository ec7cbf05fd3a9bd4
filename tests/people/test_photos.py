import os
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from PIL import Image

from people import photos
from people.models import Person
from tests.factories import PersonFactory, SessionRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image(kind="PNG", size=(640, 480), name="photo.png"):
    made = BytesIO()
    Image.new("RGB", size, "#336699").save(made, kind)
    return SimpleUploadedFile(name, made.getvalue(), content_type=f"image/{kind.lower()}")


def add_person(client, photo):
    return client.post(
        "/admin/people/person/add/",
        {"name": "Ada Photo", "slug": "ada", "language": "en", "is_public": "on", "photo": photo},
    )


def test_an_uploaded_photo_gets_a_square_jpeg_thumbnail(client, staff_user):
    client.force_login(staff_user)
    response = add_person(client, image(size=(640, 480)))
    assert response.status_code == 302
    person = Person.objects.get(slug="ada")
    with Image.open(person.thumbnail.path) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (192, 192))
    assert person.thumbnail.url == "/media/people/thumbnails/ada.jpg"


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (
            SimpleUploadedFile("notes.png", b"not an image at all", content_type="image/png"),
            "Upload a valid image.",
        ),
        (image(kind="GIF", name="anim.gif"), "File extension “gif” is not allowed."),
        (image(kind="GIF", name="disguised.png"), "Upload a JPEG, PNG or WebP image."),
        (image(size=(8000, 6000)), "the limit is 40 megapixels."),
    ],
)
def test_a_bad_photo_is_a_form_error_not_a_crash(client, staff_user, upload, error):
    client.force_login(staff_user)
    response = add_person(client, upload)
    assert response.status_code == 200
    assert error in str(response.context["adminform"].form.errors["photo"])
    assert not Person.objects.filter(slug="ada").exists()


def test_a_photo_over_five_megabytes_is_refused(client, staff_user):
    client.force_login(staff_user)
    noise = Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3))
    made = BytesIO()
    noise.save(made, "PNG")
    big = SimpleUploadedFile("big.png", made.getvalue(), content_type="image/png")
    response = add_person(client, big)
    assert "the limit is 5 MB" in str(response.context["adminform"].form.errors["photo"])


def test_removing_the_photo_removes_the_thumbnail():
    person = PersonFactory(photo=image())
    assert person.thumbnail
    person.photo = ""
    person.save()
    assert (person.photo.name, person.thumbnail.name) == ("", "")


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Ursula von der Leyen", "UL"),
        ("Stéphane Séjourné", "SS"),
        ("Jean-Noël Barrot", "JB"),
        ("Madonna", "M"),
        ("bell hooks", "BH"),
        ("", "?"),
    ],
)
def test_initials_leave_particles_out(name, initials):
    assert photos.initials(name) == initials


def test_a_name_always_gets_the_same_colour():
    colours = [photos.colour(name) for name in ("Ursula von der Leyen", "Henna Virkkunen")]
    assert colours == [photos.colour("Ursula von der Leyen"), photos.colour("Henna Virkkunen")]
    assert {photos.colour(f"Person {n}") for n in range(200)} == set(range(photos.COLOURS))


def test_pages_show_the_photo_or_initials(client, site):
    evp = site["evp"]
    evp.photo = image()
    evp.save()
    other = PersonFactory(name="Ana Ortiz", slug="ortiz")
    SessionRoleFactory(session=site["sessions"]["panel"], person=other)
    photo = f'<img class="avatar avatar-{{}}" src="/media/{evp.thumbnail.name}" alt=""'
    circle = f'<span class="avatar avatar-{{}} avatar-colour-{other.colour}" aria-hidden="true">AO</span>'

    pages = {
        "/ai/": "medium",
        "/ai/people/": "medium",
        "/ai/sessions/panel/": "small",
    }
    for url, size in pages.items():
        content = client.get(url).content.decode()
        assert (photo.format(size) in content, circle.format(size) in content) == (True, True), url
    assert photo.format("large") in client.get("/ai/people/virkkunen/").content.decode()
    assert circle.format("large") in client.get("/ai/people/ortiz/").content.decode()


def closed(response):
    """Close a file's answer as the test client does after a streamed one: without the
    `request_finished` that would close the test's database connection (on PostgreSQL)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def test_a_thumbnail_is_served_only_to_those_who_may_see_the_person(client, staff_user):
    shown = PersonFactory(slug="shown", photo=image())
    hidden = PersonFactory(slug="hidden", is_public=False, photo=image())

    public = client.get(shown.thumbnail.url)
    refused = client.get(hidden.thumbnail.url)
    client.force_login(staff_user)
    to_staff = client.get(hidden.thumbnail.url)
    for response in (public, to_staff):
        closed(response)

    assert (public.status_code, public["Content-Type"], refused.status_code) == (
        200,
        "image/jpeg",
        404,
    )
    assert "public" in public["Cache-Control"]
    assert (to_staff.status_code, "private" in to_staff["Cache-Control"]) == (200, True)
    assert client.get("/media/people/thumbnails/nobody.jpg").status_code == 404
    assert client.get("/media/people/thumbnails/../photos/x.png").status_code == 404


def test_a_person_whose_stored_photo_went_missing_can_still_be_edited(client, staff_user):
    person = PersonFactory(slug="ada", name="Ada Photo", photo=image())
    person.photo.storage.delete(person.photo.name)
    client.force_login(staff_user)
    response = client.post(
        f"/admin/people/person/{person.pk}/change/",
        {"name": "Ada Lovelace", "slug": "ada", "language": "en", "is_public": "on"},
    )
    assert (response.status_code, Person.objects.get(pk=person.pk).name) == (302, "Ada Lovelace")
