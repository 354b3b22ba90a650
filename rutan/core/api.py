"""What every endpoint shares: one mapping of Django's exceptions to DRF responses, and
optimistic concurrency (ETag / If-Match) for every viewset."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import etag, if_match_passes, locked_version

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Data ini sudah diubah orang lain sejak Anda membacanya; tidak ada yang disimpan. "
        "Baca ulang (ETag baru), lalu ulangi perubahan Anda."
    )
    default_code = "precondition_failed"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConcurrencySchema(AutoSchema):
    """Documents the ETag of detail responses, If-Match on detail writes and their 412."""

    def _is_detail(self) -> bool:
        return bool(getattr(self.view, "detail", False))

    def _is_detail_write(self) -> bool:
        return self._is_detail() and self.method in WRITE_METHODS

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_detail():
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    response=[200, 201, 202],
                    description="The object's current version (a weak tag); send it back in "
                    "If-Match when changing the object.",
                )
            )
        if self._is_detail_write():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    location=OpenApiParameter.HEADER,
                    required=False,
                    description="The ETag of your last read. If the object changed since, "
                    "the answer is 412 and nothing is written. Optional: without it the write "
                    "is not checked (for clients written before this header). Tags compare "
                    'weakly (a W/ prefix is ignored); "*" matches any version.',
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._is_detail_write():
            responses["412"] = self._get_response_for_code(ErrorSerializer, "412")
            responses["412"]["description"] = "The object changed since the If-Match tag."
        return responses


class ConcurrencyMixin:
    """Optimistic concurrency for a viewset, from the object's `updated_at`.

    Every successful detail response carries the object's `ETag`. A detail write (PUT, PATCH,
    an action's POST) with `If-Match` is refused with 412 when the object changed since: the
    check locks the row, so a concurrent writer waits and then sees the new version. A write
    without If-Match is not checked, for clients written before this header.
    """

    schema = ConcurrencySchema()

    def _checks_if_match(self, request) -> bool:
        return bool(
            getattr(self, "detail", False)
            and request.method in WRITE_METHODS
            and request.headers.get("If-Match")
        )

    def dispatch(self, request, *args, **kwargs):
        if self._checks_if_match(request):
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self._checks_if_match(request):
            obj = self.get_object()
            current = etag(obj.pk, locked_version(obj))
            if not if_match_passes(request.headers["If-Match"], current):
                raise PreconditionFailed

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if (
            getattr(self, "detail", False)
            and lookup is not None
            and status.is_success(response.status_code)
            and not response.has_header("ETag")
        ):
            # One column of the row the view answered for; its scoped queryset is not needed.
            model = self.get_serializer_class().Meta.model
            row = model._default_manager.filter(pk=lookup).values_list("pk", "updated_at").first()
            if row is not None:
                response["ETag"] = etag(row[0], row[1].isoformat())
        return response


def schema_doc_excludes():
    """Classes whose docstring never describes an endpoint: the schema skips them."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    return [ConcurrencyMixin, *get_lib_doc_excludes()]
