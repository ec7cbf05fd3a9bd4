"""The OpenAPI description's shared parts: who may call, and every error an operation may answer."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import inline_serializer
from rest_framework import permissions, serializers

from common.permissions import ReadOrModelPermissions

ERRORS = {"detail": inline_serializer("ErrorDetail", {"detail": serializers.CharField()})}


class SummitSchema(AutoSchema):
    """Documents what every endpoint may answer besides success: refusals with the fields
    at fault, missing permissions, unknown or invisible items, conflicts, throttling."""

    def get_auth(self):
        auths = super().get_auth()
        readable = any(isinstance(p, ReadOrModelPermissions) for p in self.view.get_permissions())
        if readable and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        detail = ERRORS["detail"]
        codes = {"401": detail, "403": detail, "429": detail}
        if "{" in self.path:
            codes["404"] = detail
        if self.method in {"GET"}:
            codes["400"] = OpenApiTypes.OBJECT
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            codes |= {"400": OpenApiTypes.OBJECT, "409": detail, "503": detail}
        for code, body in codes.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(body, code, direction=direction)
        return responses
