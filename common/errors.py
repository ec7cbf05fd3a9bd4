"""The API's error answers: never a 500 for what the client or the database refused."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from common.bounds import beyond_ids

logger = logging.getLogger(__name__)


class Refused(APIException):
    """A request the data's own rules refuse (deleting what the record keeps, say): a 409
    whose detail says why and what to do instead."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The current state of the data does not allow this."
    default_code = "conflict"


class OutOfDate(APIException):
    """A write based on a version of the item that is no longer the current one (its
    `If-Match` names an older version): a 412, so that the client reads it again."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Someone else changed this item since you read it. Read it again."
    default_code = "out_of_date"


def exception_handler(exc, context):
    """DRF's answers, plus: Django validation errors are 400s naming their fields, and a
    database refusal (a constraint that the checks did not foresee) is a 409, never a 500."""
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OverflowError):
        # An id in the path larger than the database can hold: no such item.
        path_values = getattr(context.get("view"), "kwargs", {}).values()
        if any(beyond_ids(str(value)) for value in path_values):
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        return Response(
            {"detail": "A number in the request is too large."}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": "The database refused this change: it conflicts with existing data."},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DatabaseError):
        logger.exception("Database error in the API", exc_info=exc)
        return Response(
            {"detail": "The database could not complete this request; try again."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "1"},
        )
    # Imported here: rest_framework.views reads the settings that name this module.
    from rest_framework.views import exception_handler as drf_exception_handler

    return drf_exception_handler(exc, context)
