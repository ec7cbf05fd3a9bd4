import pytest

from common.text import LONG_TEXT_LENGTH
from tests.constraints import refused
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_biography_longer_than_a_few_pages():
    refused(lambda: PersonFactory(bio="x" * (LONG_TEXT_LENGTH + 1)))
