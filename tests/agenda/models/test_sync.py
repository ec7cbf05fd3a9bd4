import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda.models import FeedToken
from tests.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_tokens_are_random_and_stored_hashed():
    token, secret = FeedToken.issue(user=UserFactory())
    assert len(secret) >= 43  # 256 bits in URL-safe base64
    assert (
        secret not in token.token_hash and FeedToken.objects.filter(token_hash=secret).count() == 0
    )
    assert token.last_used_at is None


def test_the_holder_of_a_secret_is_read_in_one_statement_as_the_orm_would_read_it():
    user = UserFactory(username="amelie", is_staff=True)
    PersonFactory(user=user, name="Amélie Durand")
    token, secret = FeedToken.issue(user=user)
    FeedToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        holder = FeedToken.objects.holder_of(secret)
        read = (
            holder.pk,
            holder.last_used_at,
            holder.user.username,
            holder.user.is_active,
            holder.user.is_staff,
            holder.user.is_superuser,
            holder.user.person.name,
        )
    assert len(queries) == 1
    token.refresh_from_db()
    assert read == (token.pk, token.last_used_at, "amelie", True, True, False, "Amélie Durand")
    assert holder.last_used_at.tzinfo is not None and holder.user.person.user is holder.user
    # Any other field is read when asked for, and a save writes the row it was read from.
    assert holder.label == token.label
    holder.label = "Phone"
    holder.save(update_fields=["label"])
    assert FeedToken.objects.get(pk=token.pk).label == "Phone"


def test_no_holder_for_a_revoked_or_unknown_secret_and_no_person_for_a_bare_login():
    token, secret = FeedToken.issue(user=UserFactory())
    with CaptureQueriesContext(connection) as queries:
        assert not hasattr(FeedToken.objects.holder_of(secret).user, "person")
    assert len(queries) == 1
    assert FeedToken.objects.holder_of(secret + "x") is None
    assert FeedToken.objects.holder_of("") is None
    FeedToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert FeedToken.objects.holder_of(secret) is None
