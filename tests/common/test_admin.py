"""Admin pages answer any input with the page, never a 500."""

import pytest

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_autocomplete_field_sent_markup_comes_back_with_its_error(staff_client, site):
    response = staff_client.post(
        "/admin/agenda/sessionrole/add/",
        {
            "session": site["sessions"]["panel"].pk,
            "person": "<b>x</b>",
            "role": "speaker",
            "position": 0,
        },
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"person"}
    assert b"<b>x</b>" not in response.content


def test_members_past_64_bits_are_refused_like_any_unknown_id(staff_client):
    head = PersonFactory()
    response = staff_client.post(
        "/admin/people/delegation/add/",
        {"name": "France", "slug": "france", "head": head.pk, "members": [head.pk, 2**70]},
    )
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"members"}


@pytest.mark.parametrize("changelist", ["/admin/people/person/", "/admin/auth/user/"])
def test_a_search_longer_than_any_name_says_so(staff_client, changelist):
    response = staff_client.get(changelist, {"q": "x" * 100_000})
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Search for at most 200 characters."]
