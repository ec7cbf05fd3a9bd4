"""Serializers that take what the schema says and nothing else."""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from rest_framework import serializers
from rest_framework.settings import api_settings

from common.bounds import validate_within_calendar
from common.conflicts import ACCEPT_FIELD, Conflict, enforce
from common.translated import columns, translated_fields

# Comments rather than docstrings on these bases: drf-spectacular would describe every
# serializer without its own docstring with theirs.


class StrictSerializer(serializers.Serializer):
    # A serializer of JSON bodies that takes what the schema says and nothing else: values
    # of the named JSON type (DRF alone would also read "3" as 3, 1 as true and 0 as "0"),
    # text within its maxLength before whitespace is trimmed, and whole items in nested
    # lists, even in a partial update, since they replace the old ones.

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            nested_in_partial = self.parent is not None and getattr(self.root, "partial", False)
            for field in self._writable_fields:
                value = data.get(field.field_name)
                if error := _type_error(field, value):
                    errors[field.field_name] = [error]
                elif _too_long(field, value):
                    # Counted before DRF trims the whitespace, as the schema's maxLength is.
                    message = field.error_messages["max_length"]
                    errors[field.field_name] = [message.format(max_length=field.max_length)]
                elif nested_in_partial and field.required and field.field_name not in data:
                    errors[field.field_name] = [field.error_messages["required"]]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    # Held to the schema like StrictSerializer, with whole numbers in the range every
    # database can store (so the schema is the same on all of them) and dates away from
    # the ends of the calendar. A translated text (`title`) is read and written in the
    # request's language, and given in every language beside it (`title_en`, `title_fr`,
    # read-only; null when not written), for programs that mirror the programme.

    def get_field_names(self, declared_fields, info):
        names = list(super().get_field_names(declared_fields, info))
        texts = translated_fields(self.Meta.model)
        return names + [
            column
            for name in names
            if name in texts and name not in declared_fields
            for column in columns(name)
        ]

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in translated_fields(self.Meta.model):
            for column in columns(name):
                extra.setdefault(column, {})["read_only"] = True
        return extra

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.IntegerField) and not model_field.choices:
            low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
            kwargs["min_value"] = max(kwargs.get("min_value", low), low)
            kwargs["max_value"] = min(kwargs.get("max_value", high), high)
            kwargs["validators"] = [
                validator
                for validator in kwargs.get("validators", [])
                if not isinstance(validator, MinValueValidator | MaxValueValidator)
            ]
        if isinstance(model_field, models.DateField):
            kwargs["validators"] = [*kwargs.get("validators", []), validate_within_calendar]
        return field_class, kwargs


def _json_type(field):
    """The JSON type a field's input must have, and how to ask for it; None for any."""
    if isinstance(field, serializers.BooleanField):
        return bool, "true or false"
    if isinstance(field, serializers.IntegerField):
        return int, "a whole number"
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        pk = field.get_queryset().model._meta.pk
        return (int, "an id (a whole number)") if isinstance(pk, models.IntegerField) else None
    if isinstance(field, serializers.FloatField):
        return float, "a number"
    if isinstance(field, serializers.DecimalField) and not getattr(
        field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING
    ):
        return float, "a number"
    if isinstance(field, serializers.MultipleChoiceField | serializers.ListField):
        return list, "a list"
    if isinstance(field, serializers.ChoiceField):
        strings = all(isinstance(choice, str) for choice in field.choices)
        return (str, "one of the listed values") if strings else None
    if isinstance(
        field,
        serializers.CharField
        | serializers.DateTimeField
        | serializers.DateField
        | serializers.TimeField
        | serializers.DurationField
        | serializers.DecimalField,
    ):
        return str, "a string"
    if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
        return list, "a list"
    if isinstance(field, serializers.BaseSerializer):
        return Mapping, "an object"
    return None


def _type_error(field, value):
    """What is wrong with the JSON type of a value given for a field, if anything."""
    expected = _json_type(field)
    if value is None or expected is None:
        return None
    kind, wording = expected
    if not _is_json(value, kind):
        return f"Give {wording}."
    item_field = getattr(field, "child_relation", None) or getattr(field, "child", None)
    if kind is list and isinstance(item_field, serializers.Field):
        item_type = _json_type(item_field)
        if item_type and not all(
            _is_json(item, item_type[0]) for item in value if item is not None
        ):
            return f"Give a list; each item must be {item_type[1]}."
    return None


def _too_long(field, value):
    if not isinstance(field, serializers.CharField) or not isinstance(value, str):
        return False
    return field.max_length is not None and len(value) > field.max_length


def _is_json(value, expected):
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, expected)


class ConflictCheckedSerializer(StrictModelSerializer):
    """Writes pass the same scheduling checks as the admin: refusals are 400s naming the field
    and the clashing item; warnings (a person elsewhere, or short of travel time) are 400s too
    unless the client sends `accept_conflicts: true`."""

    accept_conflicts = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Save despite warnings about people in two places or short of travel time.",
    )

    def check(self, candidate, attrs) -> list[Conflict]:
        raise NotImplementedError

    def candidate(self, attrs):
        """An unsaved instance with the new values, for the checks."""
        values = {
            name: value
            for name, value in attrs.items()
            if name != ACCEPT_FIELD
            and not isinstance(self.fields[name], serializers.BaseSerializer)
        }
        if self.instance is None:
            return self.Meta.model(**values)
        instance = self.Meta.model.objects.get(pk=self.instance.pk)
        for name, value in values.items():
            setattr(instance, name, value)
        return instance

    def conflicts(self) -> list[Conflict]:
        """What saving the data would meet, blocking or not, without saving it."""
        attrs = self.to_internal_value(self.initial_data)
        return self.check(self.candidate(attrs), attrs)

    def validate(self, attrs):
        try:
            enforce(
                self.check(self.candidate(attrs), attrs),
                accept_warnings=attrs.get(ACCEPT_FIELD, False),
                hint="Send accept_conflicts: true to keep this schedule.",
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY
                    if name == NON_FIELD_ERRORS
                    else name: messages
                    for name, messages in error.message_dict.items()
                }
            ) from error
        return attrs
