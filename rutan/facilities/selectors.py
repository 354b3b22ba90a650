from django.db.models import QuerySet

from rutan.core.roles import Perm

from .models import Block, Facility, RegionalOffice


def facility_list(*, user, perm: Perm = Perm.FACILITY_VIEW) -> QuerySet:
    """Facilities the user may reach for `perm`."""
    return Facility.objects.for_user(user, perm).select_related("regional_office")


def regional_office_list(*, user, perm: Perm = Perm.FACILITY_VIEW) -> QuerySet:
    return RegionalOffice.objects.for_user(user, perm).distinct()


def block_list(*, user, facility: Facility | None = None, perm: Perm = Perm.INMATE_VIEW):
    qs = Block.objects.for_user(user, perm).select_related("facility")
    if facility is not None:
        qs = qs.filter(facility=facility)
    return qs
