"""Building blocks of the django-filter FilterSets that selectors apply to page and API lists.

Each bounded filter carries its bounds twice: in the form field (a value out of range is a
400 with the field's message, never a 500 further down) and in the OpenAPI schema.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.utils import extend_schema_field

# The largest value a PostgreSQL bigint (every primary key here) holds.
MAX_ID = 2**63 - 1
NO_NUL_PATTERN = r"^[^\u0000]*$"
REPEATED_MESSAGE = gettext_lazy("Berikan parameter ini sekali saja.")


class _IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class _IdField(forms.IntegerField):
    """An id; pages and the dashboard may pass the row itself (a ModelChoiceField's value)."""

    def to_python(self, value):
        return super().to_python(getattr(value, "pk", value))


class _IdFilter(django_filters.NumberFilter):
    field_class = _IdField


class _BooleanField(forms.NullBooleanField):
    """true or false (1 or 0, as links write them); anything else is refused, not ignored.

    The widget hands over the raw value: Django's NullBooleanSelect reads an unknown value
    (and "1") as "not given"."""

    widget = forms.TextInput
    default_error_messages = {"invalid": gettext_lazy("Pilih true atau false (atau 1 atau 0).")}
    TRUE, FALSE = (True, "true", "True", "1"), (False, "false", "False", "0")

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in self.TRUE:
            return True
        if value in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        pass


class _BooleanFilter(django_filters.BooleanFilter):
    field_class = _BooleanField


def bool_filter(**kwargs) -> django_filters.BooleanFilter:
    """A yes/no filter; blank or absent does not filter."""
    return _BooleanFilter(**kwargs)


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
    """`queryset` filtered by `data` (a dict or a QueryDict); invalid data, or a filter given
    twice, raises the filterset's field errors as a ValidationError (a 400 in the API)."""
    if hasattr(data, "getlist"):
        # A query string may repeat a name; its last value alone would be read, unchecked.
        repeated = [name for name in filterset_class.base_filters if len(data.getlist(name)) > 1]
        if repeated:
            raise ValidationError(dict.fromkeys(repeated, REPEATED_MESSAGE))
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


class SelectorFilterSchema(DjangoFilterExtension):
    """The parameters of a view's FilterSet; a text filter documents its length and that it
    takes no NUL character (the form field refuses both)."""

    target_class = SelectorFilterBackend
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, django_filters.CharFilter):
            for parameter in parameters:
                schema = parameter["schema"]
                schema.setdefault("pattern", NO_NUL_PATTERN)
                if filter_field.extra.get("max_length"):
                    schema["maxLength"] = filter_field.extra["max_length"]
        return parameters
