import django_filters
from django.db.models import Q, QuerySet

from rutan.core.filters import apply, id_filter
from rutan.core.scoping import facility_ids_for, not_found
from rutan.facilities.models import Facility

from .engine import KINDS
from .models import DataImport, ImportStatus


class DataImportFilter(django_filters.FilterSet):
    # The kinds are registered when the apps are ready, before any URL (hence this) loads.
    kind = django_filters.ChoiceFilter(choices=[(k, k) for k in sorted(KINDS)])
    facility = id_filter()
    status = django_filters.ChoiceFilter(choices=ImportStatus.choices)

    class Meta:
        model = DataImport
        fields = []


def import_visible(*, user) -> QuerySet[DataImport]:
    """Imports the user may follow: of each kind, those of the facilities where the user may
    import that kind."""
    scope = Q(pk__in=[])
    for kind in KINDS.values():
        ids = facility_ids_for(user, kind.perm)
        if ids is None:
            scope |= Q(kind=kind.name)
        elif ids:
            scope |= Q(kind=kind.name, facility_id__in=ids)
    return DataImport.objects.filter(scope)


def import_list_filtered(*, user, filters=None) -> QuerySet[DataImport]:
    """Imports the user may follow, filtered by `DataImportFilter`, newest first."""
    imports = import_visible(user=user).select_related("facility", "created_by")
    return apply(DataImportFilter, filters, imports).order_by("-created_at")


def import_get(*, user, pk) -> DataImport:
    try:
        return import_visible(user=user).select_related("facility", "created_by").get(pk=pk)
    except (DataImport.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise not_found(DataImport, pk) from exc


def import_list(*, user, facility: Facility, kind: str | None = None) -> QuerySet[DataImport]:
    """The facility's imports (of one kind when given), newest first."""
    imports = import_visible(user=user).filter(facility=facility).select_related("created_by")
    if kind:
        imports = imports.filter(kind=kind)
    return imports.order_by("-created_at")
