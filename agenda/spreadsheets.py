"""The programme as a spreadsheet: one row per session, with its times, room, track and people.

Columns, as exported and read back:
- `id`: empty for a new session; a session's id updates that session (of the same summit).
- `summit`: the summit's slug. `slug`, `title_en`, `title_fr`, `abstract_en`, `abstract_fr`.
- `kind`, `visibility`, `status`: the stored values (`panel`, `public`, `scheduled`, ...).
- `start`, `end`: ISO 8601 (`2025-02-10T09:30:00+01:00`); without an offset, a time of day in
  the summit's time zone. Exported with the summit zone's offset.
- `venue`, `room`: the room by its venue and its own slug or name (in either language);
  exported as slugs. `track`: a track of the summit by slug or name.
- `capacity`: the seats on offer, empty when the session takes no registrations.
- `people`: who takes part, in order, as `slug (role); slug (role)`, e.g.
  `henna-virkkunen (speaker); ursula-von-der-leyen (chair)`. A person is named by slug or by
  full name (when only one person has it); a role by its value or its name in either language,
  `speaker` when left out. Exported with slugs. Without a `people` column, roles stay as they are.

Each row passes the checks of the admin form and the API (`scheduling.check_session`), against
the programme as stored and the rows above it in the same file: two rows in one room at once
are refused like a session that takes an occupied room.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from import_export import fields, widgets

from agenda import scheduling
from agenda.models import Room, Session, SessionRole, Summit, Track
from common.spreadsheets import SheetResource, SpreadsheetAdmin, quote, unquote
from common.translated import columns, translated_fields
from people.models import Person

TEXTS = ("slug", "title_en", "title_fr", "abstract_en", "abstract_fr")
CHOICES = ("kind", "visibility", "status")


def cell(row, column) -> str:
    value = row.get(column)
    return "" if value is None else str(value).strip()


def summit_of(row) -> Summit | None:
    slug = cell(row, "summit")
    return Summit.objects.filter(slug=slug).first() if slug else None


def named(queryset, value: str, *, texts: str = "name"):
    """The one row of `queryset` with this slug, or else with this name in any language."""
    found = list(queryset.filter(slug=value)[:2])
    if not found:
        by_name = Q()
        translated = texts in translated_fields(queryset.model)
        for column in columns(texts) if translated else [texts]:
            by_name |= Q(**{f"{column}__iexact": value})
        found = list(queryset.filter(by_name)[:2])
    if len(found) != 1:
        raise ValueError(
            (_("“%(value)s” names more than one.") if found else _("No “%(value)s” here."))
            % {"value": value}
        )
    return found[0]


def local_time(session, moment) -> str:
    """ISO 8601 with the offset of the summit's zone; empty for a row not read yet."""
    if moment is None or not session.summit_id:
        return ""
    return timezone.localtime(moment, session.summit.tz).isoformat()


class LocalTimeWidget(widgets.Widget):
    """ISO 8601, or a spreadsheet's date and time; a time without offset is the summit's."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if not isinstance(value, datetime):
            try:
                value = datetime.fromisoformat(str(value).strip())
            except ValueError as error:
                raise ValueError(
                    _("“%(value)s” is no date and time (2025-02-10T09:30:00+01:00).")
                    % {"value": value}
                ) from error
        if timezone.is_naive(value):
            summit = summit_of(row or {})
            if summit is None:
                raise ValueError(_("A time without offset needs the summit."))
            value = timezone.make_aware(value, summit.tz)
        return value


class SummitWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Summit, "slug")


class RoomWidget(widgets.ForeignKeyWidget):
    """A room of the row's summit, by venue and room (slug or name)."""

    def __init__(self):
        super().__init__(Room, "slug")

    def clean(self, value, row=None, **kwargs):
        room = cell({"room": value}, "room")
        if not room:
            return None
        venue = cell(row or {}, "venue")
        summit = summit_of(row or {})
        if summit is None:
            raise ValueError(_("A room needs the summit."))
        rooms = Room.objects.filter(venue__summit=summit)
        if venue:
            venues = summit.venues.all()
            rooms = rooms.filter(venue=named(venues, unquote(venue)))
        return named(rooms, unquote(room))

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class TrackWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Track, "slug")

    def clean(self, value, row=None, **kwargs):
        track = cell({"track": value}, "track")
        if not track:
            return None
        summit = summit_of(row or {})
        if summit is None:
            raise ValueError(_("A track needs the summit."))
        return named(summit.tracks.all(), unquote(track))


def role_of(text: str) -> str:
    if not text:
        return SessionRole.Role.SPEAKER
    wanted = text.casefold()
    for value, label in SessionRole.Role.choices:
        names = {value}
        for language in ("en", "fr"):
            with override(language):
                names.add(str(label).casefold())
        if wanted in names:
            return value
    raise ValueError(_("“%(role)s” is no role.") % {"role": text})


def read_people(text: str) -> list[tuple[Person, str]]:
    """`slug (role); Full Name (role)` as (person, role) pairs, in order; raises ValueError."""
    pairs: list[tuple[Person, str]] = []
    problems = []
    for entry in filter(None, (part.strip() for part in unquote(text).split(";"))):
        who, _sep, rest = entry.partition("(")
        try:
            role = role_of(rest.rstrip(") ").strip())
            person = named(Person.objects.all(), who.strip())
        except ValueError as error:
            problems.append(f"{entry}: {error}")
            continue
        if (person, role) not in pairs:
            pairs.append((person, role))
    if problems:
        raise ValueError(" ".join(problems))
    return pairs


class SessionResource(SheetResource):
    summit = fields.Field("summit", "summit", SummitWidget())
    venue = fields.Field(column_name="venue")
    room = fields.Field("room", "room", RoomWidget())
    track = fields.Field("track", "track", TrackWidget())
    start = fields.Field("start", "start", LocalTimeWidget())
    end = fields.Field("end", "end", LocalTimeWidget())
    people = fields.Field(column_name="people")

    texts = TEXTS

    class Meta:
        model = Session
        fields = (
            *("id", "summit", *TEXTS, *CHOICES, "start", "end", "venue", "room", "track"),
            *("capacity", "people"),
        )
        export_order = fields
        import_id_fields = ["id"]
        clean_model_instances = True
        # A row that changes nothing is not saved: no new version in the history, no moved
        # `updated_at` for the feeds.
        skip_unchanged = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.roles: list[tuple[Person, str]] | None = None
        self.conflicts: list[scheduling.Conflict] = []

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("summit", "room__venue", "track").prefetch_related(
            "roles__person"
        )

    def dehydrate_start(self, session):
        return local_time(session, session.start)

    def dehydrate_end(self, session):
        return local_time(session, session.end)

    def dehydrate_venue(self, session):
        return session.room.venue.slug if session.room_id else ""

    def dehydrate_people(self, session):
        if not session.pk:
            return ""
        return quote("; ".join(f"{role.person.slug} ({role.role})" for role in session.roles.all()))

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        stored_summit = instance.summit_id if instance.pk else None
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if stored_summit is not None and instance.summit_id != stored_summit:
            errors["id"] = [_("This id is a session of another summit: leave it empty.")]
        self.roles = None
        if "people" in row:
            try:
                self.roles = read_people(cell(row, "people"))
            except ValueError as error:
                errors["people"] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if instance._state.adding or not super().skip_row(
            instance, original, row, import_validation_errors
        ):
            return False
        if self.roles is None:
            return True
        wanted = [(person.pk, role) for person, role in self.roles]
        return wanted == list(instance.roles.values_list("person_id", "role"))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks, then the scheduling rules of the admin and the API, unless the
        row's summit, times or room could not be read."""
        errors = {}
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        self.conflicts = []
        if not {"summit", "start", "end", "room", "capacity"} & set(errors):
            people = (
                [person for person, _role in self.roles]
                if self.roles is not None
                else list(instance.people.all())
                if instance.pk
                else []
            )
            self.conflicts = scheduling.check_session(session=instance, people=people)
            try:
                scheduling.enforce(self.conflicts, accept_warnings=True)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance._state.adding:
            instance.pk = None  # an id of no session: a new one, numbered by the database

    def after_save_instance(self, instance, row, **kwargs):
        wanted = [(person.pk, role) for person, role in self.roles or []]
        held = list(instance.roles.values_list("person_id", "role"))
        # Roles are rewritten only when they change, so that an export read back keeps them.
        if self.roles is not None and wanted != held:
            instance.roles.all().delete()
            SessionRole.objects.bulk_create(
                SessionRole(session=instance, person=person, role=role, position=index)
                for index, (person, role) in enumerate(self.roles)
            )
        for conflict in self.conflicts:
            if not conflict.blocking:
                self.warn(kwargs.get("row_number", 0), conflict.message)


class SessionSpreadsheets(SpreadsheetAdmin):
    resource_classes = [SessionResource]
