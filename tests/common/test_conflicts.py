import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from common.conflicts import Conflict, enforce

ROOM_TAKEN = Conflict(
    kind="room", field="room", message="Nef is already taken by the opening.", blocking=True
)
ROOM_TOO_SMALL = Conflict(
    kind="capacity", field="room", message="Nef has 500 seats, not 600.", blocking=True
)
ENDS_TOO_SOON = Conflict(
    kind="timing", field="end", message="The end must come after the start.", blocking=True
)
SLUG_TAKEN = Conflict(kind="slug", field=None, message="This slug is taken.", blocking=True)
IN_TWO_PLACES = Conflict(
    kind="overlap",
    field="roles",
    message="Henna Virkkunen is already in a meeting.",
    blocking=False,
)
SHORT_OF_TRAVEL = Conflict(
    kind="travel", field=None, message="Henna Virkkunen has 15 min, but needs 35.", blocking=False
)
HINT = "Send accept_conflicts: true to keep this schedule."


@pytest.mark.parametrize("accept_warnings", [False, True])
def test_blocking_conflicts_are_refused_by_field_whatever_the_warnings(accept_warnings):
    conflicts = [ROOM_TAKEN, IN_TWO_PLACES, ENDS_TOO_SOON, ROOM_TOO_SMALL, SHORT_OF_TRAVEL]
    with pytest.raises(ValidationError) as refused:
        enforce(conflicts, accept_warnings=accept_warnings, hint=HINT)
    assert refused.value.message_dict == {
        "room": ["Nef is already taken by the opening.", "Nef has 500 seats, not 600."],
        "end": ["The end must come after the start."],
    }


def test_a_blocking_conflict_without_a_field_is_refused_for_the_whole_item():
    with pytest.raises(ValidationError) as refused:
        enforce([SLUG_TAKEN, ROOM_TAKEN], accept_warnings=True)
    assert refused.value.message_dict == {
        NON_FIELD_ERRORS: ["This slug is taken."],
        "room": ["Nef is already taken by the opening."],
    }


def test_warnings_not_accepted_are_refused_where_they_are_accepted_with_the_hint_last():
    with pytest.raises(ValidationError) as refused:
        enforce([IN_TWO_PLACES, SHORT_OF_TRAVEL], accept_warnings=False, hint=HINT)
    assert refused.value.message_dict == {
        "accept_conflicts": [
            "Henna Virkkunen is already in a meeting.",
            "Henna Virkkunen has 15 min, but needs 35.",
            "Send accept_conflicts: true to keep this schedule.",
        ]
    }


def test_warnings_without_a_hint_are_refused_alone():
    with pytest.raises(ValidationError) as refused:
        enforce([SHORT_OF_TRAVEL], accept_warnings=False)
    assert refused.value.message_dict == {
        "accept_conflicts": ["Henna Virkkunen has 15 min, but needs 35."]
    }


def test_accepted_warnings_are_returned_in_order():
    warnings = enforce([SHORT_OF_TRAVEL, IN_TWO_PLACES], accept_warnings=True, hint=HINT)
    assert warnings == [SHORT_OF_TRAVEL, IN_TWO_PLACES]


@pytest.mark.parametrize("accept_warnings", [False, True])
def test_no_conflict_passes_with_no_warnings(accept_warnings):
    assert enforce([], accept_warnings=accept_warnings, hint=HINT) == []


def test_a_conflict_reads_as_its_message():
    assert str(SHORT_OF_TRAVEL) == "Henna Virkkunen has 15 min, but needs 35."
