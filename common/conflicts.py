"""The protocol every entry point follows for the scheduling rules: refuse blocking conflicts,
warn about the rest, and let staff knowingly accept the warnings."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# Where the warnings are reported: the field in which the caller accepts them.
ACCEPT_FIELD = "accept_conflicts"


@dataclass(frozen=True)
class Conflict:
    """One broken rule. Blocking conflicts refuse the save; the others are warnings."""

    kind: str  # timing, summit_days, room, capacity, overlap, travel, slug
    field: str | None
    message: str
    blocking: bool
    item: Any = None
    other: Any = None
    person: Any = None

    def __str__(self) -> str:
        return self.message


def enforce(
    conflicts: list[Conflict], *, accept_warnings: bool, hint: str | None = None
) -> list[Conflict]:
    """Raise a ValidationError naming the field of each blocking conflict, or listing the
    warnings (with `hint`, how to accept them) unless they are accepted; return the warnings."""
    errors: dict[str, list[str]] = defaultdict(list)
    for conflict in conflicts:
        if conflict.blocking:
            errors[conflict.field or NON_FIELD_ERRORS].append(conflict.message)
    if errors:
        raise ValidationError(dict(errors))
    warnings = [conflict for conflict in conflicts if not conflict.blocking]
    if warnings and not accept_warnings:
        messages = [warning.message for warning in warnings]
        raise ValidationError({ACCEPT_FIELD: [*messages, hint] if hint else messages})
    return warnings
