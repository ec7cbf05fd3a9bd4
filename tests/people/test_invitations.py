"""Inviting attendees from the admin: logins, private people and set-password emails."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_invitations_create_logins_and_send_set_password_links(
    client, staff_user, django_capture_on_commit_callbacks
):
    client.force_login(staff_user)
    csv_text = "name,email,organisation,country\nAmélie Durand,amelie@example.org,Institut,FR\nRahul Mehta,rahul@example.org,,IN\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("invitees.csv", csv_text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/people/person/invite/", {"csv_file": upload})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["amelie@example.org", "rahul@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    password = "Summit-2025-delegate"
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    login = client.post(
        "/accounts/login/", {"username": mail.outbox[0].to[0], "password": password}
    )
    assert (login.status_code, login["Location"]) == (302, "/me/")


def test_a_bad_csv_invites_nobody_and_names_the_line(client, staff_user):
    client.force_login(staff_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_text = "name,email\nGood Person,good@example.org\nBad Person,not-an-email\n"
    upload = SimpleUploadedFile("invitees.csv", csv_text.encode())
    response = client.post("/admin/people/person/invite/", {"csv_file": upload})
    assert response.status_code == 200
    assert response.context["errors"] == ["Line 3, email: “not-an-email” is not an email address."]
    assert mail.outbox == []
    from people.models import Person

    assert not Person.objects.filter(name="Good Person").exists()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("name,email\n" + "x" * 200_000 + ",big@example.org\n", "The file is not CSV"),
        ("name,email\nNul\x00Person,nul@example.org\n", "NUL"),
    ],
    ids=["a field past the csv module's limit", "a NUL"],
)
def test_a_file_that_is_no_csv_text_invites_nobody_and_says_so(client, staff_user, content, error):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from people.models import Person

    client.force_login(staff_user)
    upload = SimpleUploadedFile("invitees.csv", content.encode())
    response = client.post("/admin/people/person/invite/", {"csv_file": upload})
    assert response.status_code == 200
    [said] = response.context["errors"]
    assert error in said
    assert (mail.outbox, Person.objects.exists()) == ([], False)
