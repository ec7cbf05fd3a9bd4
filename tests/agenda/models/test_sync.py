import pytest

from agenda.models import FeedToken
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_tokens_are_random_and_stored_hashed():
    token, secret = FeedToken.issue(user=UserFactory())
    assert len(secret) >= 43  # 256 bits in URL-safe base64
    assert (
        secret not in token.token_hash and FeedToken.objects.filter(token_hash=secret).count() == 0
    )
    assert token.last_used_at is None
