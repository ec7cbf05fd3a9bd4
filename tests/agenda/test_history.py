import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from agenda.history import deleted_sessions, restore_session
from agenda.models import Registration, Removal, Session, SessionRole
from common.history import history_of
from meetings.history import deleted_meetings, restore_meeting
from meetings.models import Meeting
from tests.agenda.test_admin_forms import session_data
from tests.factories import (
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
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
    assert not Removal.objects.filter(kind="session", object_id=pk).exists()


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


# --- The admin ---------------------------------------------------------------------------------


def history_rows(response):
    """(what, who, changes) of each version on an admin history page, newest first."""
    rows = []
    for record in response.context["page_obj"]:
        changes = [
            (str(change["field"]), str(change["old"]), str(change["new"]))
            for change in getattr(record, "history_delta_changes", [])
        ]
        rows.append((record.history_type, str(record.history_user or ""), changes))
    return rows


def test_a_session_edited_twice_shows_who_when_before_and_after(client, programme):
    panel = programme["panel"]
    amelie = UserFactory(username="amelie", is_staff=True, is_superuser=True)
    rahul = UserFactory(username="rahul", is_staff=True, is_superuser=True)
    change = reverse("admin:agenda_session_change", args=[panel.pk])
    client.force_login(amelie)
    assert client.post(change, session_data(panel, title_en="Trustworthy AI")).status_code == 302
    client.force_login(rahul)
    panel.refresh_from_db()
    moved = session_data(panel, start_1="14:00:00", end_1="15:00:00", room=programme["shed"].pk)
    assert client.post(change, moved).status_code == 302

    response = client.get(reverse("admin:agenda_session_history", args=[panel.pk]))

    assert response.status_code == 200
    assert history_rows(response) == [
        (
            "~",
            "rahul",
            [
                ("End", "10 February 2025, 11:00", "10 February 2025, 15:00"),
                ("Room", str(programme["nef"]), str(programme["shed"])),
                ("Start", "10 February 2025, 10:00", "10 February 2025, 14:00"),
            ],
        ),
        ("~", "amelie", [("Title [en]", "Panel on trustworthy AI", "Trustworthy AI")]),
        ("+", "", []),
    ]
    assert b"amelie" in response.content and b"Trustworthy AI" in response.content


def history_subjects(programme):
    panel = programme["panel"]
    registration = Registration.objects.create(
        session=panel, person=programme["evp"], status="waitlisted"
    )
    return {
        "agenda_session": panel,
        "agenda_sessionrole": panel.roles.get(),
        "agenda_registration": registration,
        "agenda_room": programme["nef"],
        "meetings_meeting": programme["meeting"],
        "meetings_meetingparticipant": programme["meeting"].participants.get(),
        "people_person": programme["evp"],
    }


@pytest.mark.parametrize(
    "name",
    [
        "agenda_session",
        "agenda_sessionrole",
        "agenda_registration",
        "agenda_room",
        "meetings_meeting",
        "meetings_meetingparticipant",
        "people_person",
    ],
)
def test_the_admin_history_page_of_each_model_shows_the_diff(staff_client, programme, name):
    item = history_subjects(programme)[name]
    field = {
        "agenda_sessionrole": ("position", 3),
        "agenda_registration": ("priority", True),
        "meetings_meetingparticipant": ("side", "France"),
        "agenda_room": ("capacity", 450),
        "meetings_meeting": ("purpose", "renamed"),
    }.get(name, ("slug", "renamed"))
    setattr(item, *field)
    item.save()

    response = staff_client.get(reverse(f"admin:{name}_history", args=[item.pk]))

    assert response.status_code == 200
    [newest, *_older] = response.context["page_obj"]
    assert [change["new"] for change in newest.history_delta_changes] == [
        {True: "True"}.get(field[1], str(field[1]))
    ]
    version = staff_client.get(
        reverse(f"admin:{name}_simple_history", args=[item.pk, newest.history_id])
    )
    assert version.status_code == 200
    assert staff_client.post(version.request["PATH_INFO"]).status_code == 405


@pytest.fixture
def programme_editor(django_user_model):
    """Staff who edit the programme, not the meetings."""
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(content_type__app_label="agenda"))
    return editor


def test_a_confidential_meetings_history_is_refused_to_staff_who_may_not_see_it(
    client, programme, programme_editor
):
    meeting = programme["meeting"]
    meeting.confidentiality = Meeting.Confidentiality.CONFIDENTIAL
    meeting.save()
    client.force_login(programme_editor)
    history = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    assert client.get(history).status_code == 403

    meeting.delete()

    assert client.get(history).status_code == 403
    record = deleted_meetings().get()
    version = reverse("admin:meetings_meeting_simple_history", args=[record.id, record.history_id])
    assert client.get(version).status_code == 403
    assert client.get(reverse("admin:meetings_meeting_deleted")).status_code == 403
    restore = reverse("admin:meetings_meeting_restore", args=[record.history_id])
    assert client.post(restore).status_code == 403
    assert deleted_meetings().count() == 1


def test_staff_restore_a_deleted_session_from_the_admin(staff_client, programme):
    panel = programme["panel"]
    pk = panel.pk
    panel.delete()
    deleted = staff_client.get(reverse("admin:agenda_session_deleted"))
    [record] = deleted.context["records"]
    restore = reverse("admin:agenda_session_restore", args=[record.history_id])
    assert staff_client.get(restore).context["relations"] == ["Henna Virkkunen (Speaker)"]

    response = staff_client.post(restore)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:agenda_session_change", args=[pk])
    assert list(Session.objects.get(pk=pk).people.values_list("name", flat=True)) == [
        "Henna Virkkunen"
    ]
    history = staff_client.get(reverse("admin:agenda_session_history", args=[pk]))
    assert [(row[0], row[1]) for row in history_rows(history)] == [
        ("+", "staffer"),
        ("-", ""),
        ("+", ""),
    ]


def test_a_restore_refused_in_the_admin_says_why_and_writes_nothing(staff_client, programme):
    panel = programme["panel"]
    pk = panel.pk
    panel.delete()
    SessionFactory(room=panel.room, start=panel.start, end=panel.end, title="Taker")
    record = deleted_sessions().get()

    response = staff_client.post(reverse("admin:agenda_session_restore", args=[record.history_id]))

    assert response.status_code == 200
    [message] = [str(message) for message in response.context["messages"]]
    assert "Taker" in message
    assert not Session.objects.filter(pk=pk).exists()


def test_a_deleted_meeting_comes_back_with_its_participants(programme):
    meeting = programme["meeting"]
    pk = meeting.pk
    meeting.delete()

    restore_meeting(history_id=deleted_meetings().get().history_id)

    restored = Meeting.objects.get(pk=pk)
    assert list(restored.participants.values_list("person__name", "response")) == [
        ("Henna Virkkunen", "accepted")
    ]
    assert (restored.status, restored.room) == (Meeting.Status.CONFIRMED, programme["shed"])


@pytest.mark.parametrize("count", [1, 5])
def test_the_deleted_sessions_page_takes_the_same_queries_for_any_number(
    staff_client, programme, django_assert_num_queries, count
):
    for _ in range(count):
        SessionFactory(room=programme["nef"], start=paris(11, 8)).delete()
    staff_client.get(reverse("admin:agenda_session_deleted"))  # the login's session, cached

    with django_assert_num_queries(4):
        response = staff_client.get(reverse("admin:agenda_session_deleted"))

    assert len(response.context["records"]) == count


@pytest.mark.parametrize("count", [1, 5])
def test_a_history_page_takes_the_same_queries_for_any_number_of_versions(
    staff_client, programme, django_assert_num_queries, count
):
    panel = programme["panel"]
    for number in range(count):
        panel.capacity = 10 + number
        panel.save()
    staff_client.get(reverse("admin:agenda_session_history", args=[panel.pk]))

    with django_assert_num_queries(8):
        response = staff_client.get(reverse("admin:agenda_session_history", args=[panel.pk]))

    assert response.context["page_obj"].paginator.count == count + 1
