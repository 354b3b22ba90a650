"""Building blocks of the django-filter FilterSets that selectors apply to page and API lists.

Each bounded filter carries its bounds twice: in the form field (a value out of range is a
400 with the field's message, never a 500 further down) and in the OpenAPI schema.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

# The largest value a PostgreSQL bigint (every primary key here) holds.
MAX_ID = 2**63 - 1


class _IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class _IdField(forms.IntegerField):
    """An id; pages and the dashboard may pass the row itself (a ModelChoiceField's value)."""

    def to_python(self, value):
        return super().to_python(getattr(value, "pk", value))


class _IdFilter(django_filters.NumberFilter):
    field_class = _IdField


def int_filter(*, min_value: int, max_value: int, **kwargs) -> django_filters.NumberFilter:
    """An integer between `min_value` and `max_value`."""
    schema = {"type": "integer", "minimum": min_value, "maximum": max_value}
    return extend_schema_field(schema)(
        _IntegerFilter(min_value=min_value, max_value=max_value, **kwargs)
    )


def id_filter(**kwargs) -> django_filters.NumberFilter:
    """The id of a related row; an id outside the caller's scope simply matches nothing."""
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    return extend_schema_field(schema)(_IdFilter(min_value=1, max_value=MAX_ID, **kwargs))


def apply(filterset_class, data, queryset):
    """`queryset` filtered by `data` (a dict or a QueryDict); invalid data raises the
    filterset's field errors as a ValidationError (a 400 in the API)."""
    filterset = filterset_class(data or {}, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def list_params(view):
    """The query string when a viewset lists; a single object is found whatever it says."""
    return view.request.query_params if view.action == "list" else None


class SelectorFilterBackend(DjangoFilterBackend):
    """Documents a view's `filterset_class` in the schema; the view's selector applies it."""

    def filter_queryset(self, request, queryset, view):
        return queryset
