"""One mapping of Django's exceptions to DRF responses, used by every endpoint."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


def int_query_param(request, name: str) -> str:
    """A query parameter that must be an id: "" when absent, a 400 in Indonesian when not."""
    value = request.query_params.get(name, "")
    if value and not value.isdigit():
        raise exceptions.ValidationError({name: _("Harus berupa angka.")})
    return value
