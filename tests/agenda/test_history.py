import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from agenda.history import deleted_sessions, restore_session
from agenda.models import Registration, Session, SessionRole
from common.history import history_of
from tests.factories import (
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    paris,
)

pytestmark = pytest.mark.django_db


def delete_with_registrations(session):
    """As staff would: the registrations first (they protect the session), then the session."""
    with transaction.atomic():
        Registration.objects.filter(session=session).delete()
        session.delete()


def test_a_deleted_session_comes_back_with_its_people_registrations_and_both_titles(programme):
    panel = programme["panel"]
    panel.title_fr = "Table ronde sur l'IA de confiance"
    panel.capacity = 10
    panel.save()
    moderator = PersonFactory(name="Moderator")
    SessionRoleFactory(session=panel, person=moderator, role=SessionRole.Role.MODERATOR)
    attendee = PersonFactory(name="Attendee")
    Registration.objects.create(session=panel, person=attendee, status="confirmed")
    Session.objects.filter(pk=panel.pk).update(seats_taken=1)
    roles = set(panel.roles.values_list("person__name", "role"))
    pk, sequence = panel.pk, panel.sequence
    delete_with_registrations(panel)

    [record] = deleted_sessions()
    restore_session(history_id=record.history_id)

    restored = Session.objects.get(pk=pk)
    assert (restored.title_en, restored.title_fr) == (
        "Panel on trustworthy AI",
        "Table ronde sur l'IA de confiance",
    )
    assert set(restored.roles.values_list("person__name", "role")) == roles
    assert list(restored.registrations.values_list("person__name", "status")) == [
        ("Attendee", "confirmed")
    ]
    assert (restored.seats_taken, restored.sequence) == (1, sequence + 1)
    assert list(deleted_sessions()) == []


def test_a_role_removed_before_the_deletion_stays_removed(clock, programme):
    panel = programme["panel"]
    clock(paris(9, 13))
    SessionRoleFactory(session=panel, person=PersonFactory(name="Left early")).delete()
    clock(paris(9, 14))
    pk = panel.pk
    panel.delete()

    restore_session(history_id=deleted_sessions().get().history_id)

    assert list(Session.objects.get(pk=pk).roles.values_list("person__name", flat=True)) == [
        "Henna Virkkunen"
    ]


def test_a_restore_refused_on_a_room_clash_writes_nothing(programme):
    panel = programme["panel"]
    pk = panel.pk
    panel.delete()
    SessionFactory(room=panel.room, start=panel.start, end=panel.end, title="Taker")
    records = {model: history_of(model).count() for model in (Session, SessionRole)}

    with pytest.raises(ValidationError) as refusal:
        restore_session(history_id=deleted_sessions().get().history_id)

    assert "Taker" in " ".join(refusal.value.messages)
    assert not Session.objects.filter(pk=pk).exists()
    assert not SessionRole.objects.filter(session_id=pk).exists()
    assert {model: history_of(model).count() for model in (Session, SessionRole)} == records
    assert [record.id for record in deleted_sessions()] == [pk]


def test_a_session_restored_twice_is_refused_the_second_time(programme):
    programme["panel"].delete()
    record = deleted_sessions().get()
    restore_session(history_id=record.history_id)

    with pytest.raises(ValidationError) as refusal:
        restore_session(history_id=record.history_id)

    assert refusal.value.messages == ["This session is not deleted, or no longer."]
