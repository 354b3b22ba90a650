"""Reads of the core tables: the audit log, in the reader's scope."""

import django_filters
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.text import capfirst

from . import providers
from .filters import apply, id_filter
from .models import AuditAction, AuditEntry
from .roles import Perm
from .scoping import facility_ids_for

PROJECT_APPS = ("rutan.", "programmes", "assessments", "partners", "interns")


def audit_object_types() -> list[tuple[str, str]]:
    """(label, name) of every model of the project, for the object-type filter."""
    models = [
        m
        for m in apps.get_models()
        if m.__module__.startswith(PROJECT_APPS) and not m.__name__.startswith("Historical")
    ]
    return sorted(
        ((m._meta.label_lower, capfirst(str(m._meta.verbose_name))) for m in models),
        key=lambda item: item[1],
    )


class AuditFilter(django_filters.FilterSet):
    """The audit log's filters: person, inmate, object type, action, facility, dates."""

    person = django_filters.CharFilter(
        method="filter_person", max_length=100, help_text="Actor's name or username"
    )
    inmate = django_filters.CharFilter(
        method="filter_inmate", max_length=100, help_text="Inmate's name or registration number"
    )
    object_type = django_filters.ChoiceFilter(choices=audit_object_types)
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    facility = id_filter(field_name="facility_id")
    date_from = django_filters.DateFilter(field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields = []

    def filter_person(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(actor_name__icontains=value) | Q(actor_username__icontains=value))

    def filter_inmate(self, queryset, name, value):
        matching = providers.get("audit_inmate_ids")
        if matching is None:
            return queryset.none()
        return queryset.filter(inmate_id__in=matching(text=value.strip()))


def audit_entry_list(*, user, filters=None) -> QuerySet:
    """Audit entries of the facilities where `user` holds `audit_view`, newest first,
    filtered through `AuditFilter` (a bad value raises). Entries without a facility
    (national actions) are for national readers only."""
    qs = AuditEntry.objects.all()
    ids = facility_ids_for(user, Perm.AUDIT_VIEW)
    if ids is not None:
        qs = qs.filter(facility_id__in=ids)
    return apply(AuditFilter, filters, qs).order_by("-at", "-id")


def audit_entry_get(*, user, pk) -> AuditEntry:
    """One entry of the user's scope; DoesNotExist otherwise (the view answers 404)."""
    return audit_entry_list(user=user).get(pk=pk)
