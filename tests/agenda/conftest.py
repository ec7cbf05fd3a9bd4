import pytest

from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def attendee(site):
    """A login with a private person, on the `site` programme."""
    user = UserFactory(username="amelie")
    PersonFactory(name="Amélie Durand", user=user, is_public=False)
    return user
