from django.db.models import Count, Q, QuerySet

from rutan.core.roles import Perm
from rutan.facilities.selectors import facility_list


def facility_overview(*, user) -> QuerySet:
    """Each facility the user may reach with its active population and detainee count.

    One query whatever the number of facilities or inmates.
    """
    return (
        facility_list(user=user, perm=Perm.FACILITY_VIEW)
        .annotate(
            population=Count("inmates", filter=Q(inmates__status="active")),
            detainees=Count(
                "inmates", filter=Q(inmates__status="active", inmates__legal_status="tahanan")
            ),
        )
        .order_by("regional_office__name", "name")
    )
