"""What every endpoint shares: one error shape for every refusal, its documentation in the
schema, and optimistic concurrency (ETag / If-Match) for every viewset."""

import re

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.drainage import has_override
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from . import freshness
from .concurrency import etag, if_match_passes, locked_version
from .filters import REPEATED_MESSAGE
from .models import AuditAction
from .scoping import ScopedNotFound, loaded_facility_id
from .services import audit_list_read, audit_record

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
INVALID_MESSAGE = gettext_lazy("Data yang dikirim tidak valid; lihat pesan untuk setiap isian.")
# The input formats of `REST_FRAMEWORK["TIME_INPUT_FORMATS"]` (strptime: 9:05 passes too).
TIME_PATTERN = r"^(2[0-3]|[01]?\d):[0-5]?\d(:[0-5]?\d(\.\d{1,6})?)?$"
CALENDAR_DATE_PATTERN = r"^(19|2[01])\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


def _field_errors(errors):
    """Every field's messages as a list, nested objects as objects; Django's `__all__` is
    DRF's `non_field_errors`."""
    if isinstance(errors, dict):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else key): _field_errors(value)
            for key, value in errors.items()
        }
    if isinstance(errors, list):
        return [_field_errors(item) if isinstance(item, dict | list) else item for item in errors]
    return [errors]


def error_body(exc: exceptions.APIException) -> dict:
    """The one shape of every refusal: `detail` and `code`, plus `errors` per field on a 400."""
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail
        if not isinstance(errors, dict):
            errors = {api_settings.NON_FIELD_ERRORS_KEY: errors}
        errors = _field_errors(errors)
        general = errors.get(api_settings.NON_FIELD_ERRORS_KEY)
        if len(errors) == 1 and isinstance(general, list) and general:
            detail = " ".join(str(message) for message in general)
        else:
            detail = str(INVALID_MESSAGE)
        return {"detail": detail, "code": "invalid", "errors": errors}
    detail = exc.detail
    if isinstance(detail, list | dict):  # an APIException raised with a structure
        return {"detail": str(INVALID_MESSAGE), "code": exc.default_code, "errors": detail}
    return {"detail": str(detail), "code": getattr(detail, "code", exc.default_code)}


REFUSALS = (
    Http404,
    PermissionDenied,
    exceptions.NotFound,
    exceptions.PermissionDenied,
    exceptions.NotAuthenticated,
    exceptions.AuthenticationFailed,
)


def _refused_target(exc, view) -> dict:
    """What a refused API request asked for: the model and id a ScopedNotFound names, else
    the viewset's model and the id in the URL."""
    if isinstance(exc, ScopedNotFound) and exc.model is not None:
        return {"model": exc.model, "object_id": exc.object_id}
    kwargs = getattr(view, "kwargs", None) or {}
    object_id = kwargs.get(getattr(view, "lookup_url_kwarg", None) or "pk", kwargs.get("pk", ""))
    model = None
    if hasattr(view, "get_queryset"):
        try:
            model = view.get_queryset().model
        except Exception:  # an anonymous caller may not get as far as a queryset
            model = getattr(getattr(view, "queryset", None), "model", None)
    if model is None:
        match = getattr(getattr(view, "request", None), "resolver_match", None)
        return {"object_type": getattr(match, "view_name", ""), "object_id": object_id}
    return {"model": model, "object_id": object_id}


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, REFUSALS) and request is not None:
        # Written by AccessAuditMiddleware once the answer is made, outside any transaction
        # this handler marks for rollback.
        request._request.rutan_refused = _refused_target(exc, context.get("view"))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(exc)
    return response


class QuerySerializer(serializers.Serializer):
    """A view's query parameters; each is given at most once."""

    def to_internal_value(self, data):
        if hasattr(data, "getlist"):
            repeated = {n: [REPEATED_MESSAGE] for n in self.fields if len(data.getlist(n)) > 1}
            if repeated:
                raise serializers.ValidationError(repeated)
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": 40})
class CodeRelatedField(serializers.SlugRelatedField):
    """A row named by its code (a slug of at most 40 characters, such as a literacy level's):
    anything else is refused before the database is asked."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 40 or not SLUG_RE.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field({"type": "string", "format": "date", "pattern": CALENDAR_DATE_PATTERN})
class CalendarDateField(serializers.DateField):
    """A date between 1900 and 2199: sentence arithmetic from it stays inside the calendar."""

    default_error_messages = {
        "out_of_range": gettext_lazy("Tanggal harus antara tahun 1900 dan 2199."),
    }

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not 1900 <= value.year <= 2199:
            self.fail("out_of_range")
        return value


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Data ini sudah diubah orang lain sejak Anda membacanya; tidak ada yang disimpan. "
        "Baca ulang (ETag baru), lalu ulangi perubahan Anda."
    )
    default_code = "precondition_failed"


class ErrorSerializer(serializers.Serializer):
    """Every refusal (400, 401, 403, 404, 412, 429 …) has this shape."""

    detail = serializers.CharField(help_text="What went wrong, for a person to read.")
    code = serializers.CharField(
        help_text="A stable code: invalid, not_authenticated, authentication_failed, "
        "permission_denied, not_found, precondition_failed, throttled …"
    )
    errors = serializers.DictField(
        required=False,
        help_text="On a 400 only: each field (non_field_errors for the whole request) with "
        "its messages; a nested object's fields nest the same way.",
    )

    class Meta:
        ref_name = "Error"


ERROR_RESPONSES = {
    "400": "Invalid input: `errors` gives each field's messages.",
    "401": "No credentials, or an unknown token.",
    "403": "Your role may not do this (or a session request without its CSRF token).",
    "404": "Not found in your scope (or a page past the last one).",
    "412": "The object changed since the If-Match tag.",
    "429": "Too many requests: wait for the seconds in Retry-After.",
}


def decimal_pattern(field: serializers.DecimalField) -> str:
    """What DRF writes and reads for `field`: at least one digit, at most its whole and decimal
    digits, a sign only when negative values are allowed."""
    sign = "" if field.min_value is not None and field.min_value >= 0 else "-?"
    whole = r"0" if field.max_whole_digits == 0 else rf"\d{{1,{field.max_whole_digits}}}"
    fraction = rf"(\.\d{{1,{field.decimal_places}}})?" if field.decimal_places else ""
    return rf"^{sign}{whole}{fraction}$"


def _model_field(field):
    """The model field behind a ModelSerializer's field, if any."""
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    if model is None or not field.source or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class ApiSchema(AutoSchema):
    """Documents the error answers of every operation in one shape (`Error`), the ETag of
    detail responses, and If-Match on the detail writes of viewsets with its 412; fields are
    described as DRF writes and reads them (blank choices, times, decimals)."""

    def _is_viewset_action(self) -> bool:
        """An action besides `list` answers unpaginated and applies no list filters."""
        return getattr(self.view, "action", "list") != "list"

    def get_filter_backends(self):
        return [] if self._is_viewset_action() else super().get_filter_backends()

    def _get_paginator(self):
        return None if self._is_viewset_action() else super()._get_paginator()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.ChoiceField) and field.read_only:
            # ModelSerializer drops allow_blank from read-only fields; the answer still has "".
            model_field = _model_field(field)
            if model_field is not None and model_field.blank:
                field.allow_blank = True
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema is None or has_override(field, "field"):
            return schema
        if isinstance(field, serializers.DecimalField) and schema.get("format") == "decimal":
            schema["pattern"] = decimal_pattern(field)
        elif isinstance(field, serializers.TimeField):
            # A facility's wall-clock time, without offset: not JSON Schema's "time".
            schema.update(format="partial-time", pattern=TIME_PATTERN, example="09:30:00")
        return schema

    def _is_detail(self) -> bool:
        return bool(getattr(self.view, "detail", False))

    def _is_detail_write(self) -> bool:
        return (
            isinstance(self.view, ConcurrencyMixin)
            and self._is_detail()
            and self.method in WRITE_METHODS
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if isinstance(self.view, ConcurrencyMixin) and self._is_detail():
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

    def _error_codes(self, parameters) -> list[str]:
        query = {p["name"] for p in parameters if p["in"] == "query"}
        codes = ["401", "403", "429"]
        if self.method in WRITE_METHODS or query:
            codes.append("400")
        if "{" in self.path or "page" in query:
            codes.append("404")
        if self._is_detail_write():
            codes.append("412")
        return sorted(codes)

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        for parameter in operation.get("parameters", []):
            # Filters, DRF's query serializers and its paginator (page 1) read `?name=` as
            # "not given".
            if parameter["in"] == "query" and not parameter.get("required"):
                parameter["allowEmptyValue"] = True
        responses = operation["responses"]
        for code in self._error_codes(operation.get("parameters", [])):
            response = self._get_response_for_code(ErrorSerializer, code)
            response["description"] = ERROR_RESPONSES[code]
            responses.setdefault(code, response)
        operation["responses"] = dict(sorted(responses.items()))
        return operation


class ConcurrencyMixin:
    """Optimistic concurrency for a viewset, from the object's `updated_at`.

    Every successful detail response carries the object's `ETag`. A detail write (PUT, PATCH,
    an action's POST) with `If-Match` is refused with 412 when the object changed since: the
    check locks the row, so a concurrent writer waits and then sees the new version. A write
    without If-Match is not checked, for clients written before this header.
    """

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


def _row_facility_id(rows) -> int | None:
    """The one facility of the rows shown, when each row carries it and they share it."""
    ids = {loaded_facility_id(row) for row in rows}
    return ids.pop() if len(ids) == 1 else None


class ReadAuditMixin:
    """Audits the reads of a viewset of personal data, once per request and without a
    further read: a list writes one READ entry with its filters and the ids of the page it
    answers (`audit_list_read`), a retrieve one READ entry of the object.

    A viewset that audits its retrieve itself sets `audit_retrieve = False`. One that sets
    `list_cached_for` (the permission its list is scoped by) answers a list page from the
    cache while none of the facilities of the caller's scope changed (rutan.core.freshness),
    keyed by scope, query, host, facility dates and language; it is audited all the same.
    """

    audit_retrieve = True
    list_cached_for = None

    def get_serializer(self, *args, **kwargs):
        if getattr(self, "action", None) == "list" and kwargs.get("many") and args:
            self._audited_rows = args[0]
        return super().get_serializer(*args, **kwargs)

    def get_object(self):
        obj = super().get_object()
        self._audited_object = obj
        return obj

    def list(self, request, *args, **kwargs):
        if self.list_cached_for is None:
            response = super().list(request, *args, **kwargs)
            self._audit_list(request, self._shown(response.data))
            return response
        shown = freshness.cached_for_scope(
            f"api-list:{self.basename}",
            user=request.user,
            perms=[self.list_cached_for],
            query=request.query_params,
            parts=[request.build_absolute_uri("/")],
            compute=lambda: self._list_page(request, *args, **kwargs),
        )
        self._audit_list(request, shown)
        return Response(shown["data"])

    def _audit_list(self, request, shown: dict) -> None:
        audit_list_read(
            actor=request.user,
            model=self.get_serializer_class().Meta.model,
            filters=request.query_params,
            ids=shown["ids"],
            facility_id=shown["facility_id"],
            via="api",
        )

    def _shown(self, data) -> dict:
        """The page's data with the ids of its rows and the facility they share."""
        rows = list(getattr(self, "_audited_rows", None) or [])
        return {
            "data": data,
            "ids": [row.pk for row in rows],
            "facility_id": _row_facility_id(rows),
        }

    def _list_page(self, request, *args, **kwargs) -> dict:
        return self._shown(super().list(request, *args, **kwargs).data)

    def finalize_response(self, request, response, *args, **kwargs):
        # Not a `retrieve` of its own: that would add a detail route to list-only viewsets.
        obj = getattr(self, "_audited_object", None)
        if (
            self.audit_retrieve
            and getattr(self, "action", None) == "retrieve"
            and obj is not None
            and status.is_success(response.status_code)
        ):
            self.audit_read(obj)
        return super().finalize_response(request, response, *args, **kwargs)

    def audit_read(self, obj) -> None:
        facility_id = loaded_facility_id(obj)
        audit_record(
            actor=self.request.user,
            action=AuditAction.READ,
            instance=obj,
            facility_id=facility_id,
            via="api",
        )


def schema_doc_excludes():
    """Classes whose docstring never describes an endpoint: the schema skips them."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    return [ConcurrencyMixin, ReadAuditMixin, *get_lib_doc_excludes()]
