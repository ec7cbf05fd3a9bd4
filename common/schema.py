"""The OpenAPI description's shared parts: who may call, and every answer an operation may
give besides success, each an error in the API's one shape."""

from dataclasses import dataclass, field
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions

from common.permissions import ReadOrModelPermissions

JSON = "application/json"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
BODIES = {"POST", "PUT", "PATCH"}
# Permissions that let every caller read: a read they guard is never a 403 (an anonymous
# caller is asked to log in with a 401 instead).
OPEN_TO_READERS = (permissions.AllowAny, permissions.IsAuthenticated, ReadOrModelPermissions)

Schema = dict[str, Any]

ERROR_DETAIL: Schema = {
    "type": "object",
    "description": "Why the request failed, in words.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS: Schema = {
    "type": "object",
    "description": (
        "The fields of a refused request, each with its messages (`non_field_errors` for the "
        "request as a whole); the errors of a nested field nest the same way."
    ),
    "minProperties": 1,
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}
SECONDS: Schema = {"schema": {"type": "string", "pattern": "^[0-9]+$"}}


@dataclass(frozen=True)
class ErrorAnswer:
    """One error answer, described once among the description's shared responses."""

    name: str
    description: str
    headers: Schema = field(default_factory=dict)


ERRORS = {
    "400": ErrorAnswer(
        "BadRequest",
        "Refused input: the body is not JSON, nests deeper than 64 levels, or holds a lone "
        "surrogate or a NUL character; a query parameter or a field is invalid or breaks a "
        "rule of the programme (the answer names the fields); or the host is unknown.",
    ),
    "401": ErrorAnswer(
        "Unauthorized",
        "The token or login is not valid, or this needs a login.",
        {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True}},
    ),
    "403": ErrorAnswer(
        "Forbidden",
        "The caller may not do this: writing needs the model's permission, and a login by "
        "cookie needs the CSRF token on a write.",
    ),
    "404": ErrorAnswer(
        "NotFound", "No such item, or one the caller may not see: the two are answered alike."
    ),
    "406": ErrorAnswer("NotAcceptable", "The Accept header allows no JSON."),
    "409": ErrorAnswer(
        "Conflict",
        "The current state of the data refuses the change: deleting what the record keeps "
        "(the answer says what to do instead), or a change the database refuses because "
        "another one landed first.",
    ),
    "413": ErrorAnswer(
        "ContentTooLarge", "The body is larger than the server accepts; the answer says the limit."
    ),
    "415": ErrorAnswer("UnsupportedMediaType", "The body is not `application/json`."),
    "429": ErrorAnswer(
        "TooManyRequests",
        "Too many requests: try again after the seconds in Retry-After.",
        {"Retry-After": SECONDS},
    ),
    "500": ErrorAnswer("ServerError", "A fault on the server's side; it is logged."),
    "503": ErrorAnswer(
        "ServiceUnavailable",
        "The database could not complete the request: try again after Retry-After.",
        {"Retry-After": {**SECONDS, "required": True}},
    ),
}


class SummitSchema(AutoSchema):
    """Documents what every endpoint may answer besides success: refusals with the fields at
    fault, missing logins and permissions, unknown or invisible items, conflicts, bodies too
    large or not JSON, throttling, faults; and 304 to a GET whose ETag still matches."""

    def get_auth(self):
        auths = super().get_auth()
        readable = any(isinstance(p, ReadOrModelPermissions) for p in self.view.get_permissions())
        if readable and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method == "GET":
            responses["304"] = {"description": "Not modified since the ETag in If-None-Match."}
        for status in self.error_statuses():
            responses.setdefault(status, self.error_response(status))
        return responses

    def error_statuses(self) -> list[str]:
        """The errors this operation may answer: the first six, any request may get."""
        statuses = ["400", "401", "406", "429", "500", "503"]
        if self.method in WRITES or not all(
            isinstance(permission, OPEN_TO_READERS) for permission in self.view.get_permissions()
        ):
            statuses.append("403")
        if "{" in self.path:
            statuses.append("404")
        if self.method in WRITES:
            statuses.append("409")
        if self.method in BODIES:
            statuses.append("413")
            if self.get_request_serializer() is not None:
                statuses.append("415")
        return sorted(statuses)

    def error_response(self, status: str) -> Schema:
        error = ERRORS[status]
        detail = self.component(ResolvedComponent.SCHEMA, "ErrorDetail", ERROR_DETAIL)
        if status == "400":
            fields = self.component(ResolvedComponent.SCHEMA, "FieldErrors", FIELD_ERRORS)
            schema = {"anyOf": [detail, fields]}
        else:
            schema = detail
        answer: Schema = {"description": error.description, "content": {JSON: {"schema": schema}}}
        if error.headers:
            answer["headers"] = error.headers
        return self.component(ResolvedComponent.RESPONSE, error.name, answer)

    def component(self, kind: str, name: str, content: Schema) -> Schema:
        """A reference to a shared part of the description, registered on first use."""
        component = ResolvedComponent(name=name, type=kind, object=name, schema=content)
        self.registry.register_on_missing(component)
        return component.ref
