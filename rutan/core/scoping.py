"""The one place that decides which facilities a user may reach for a permission.

Every list, detail, form, admin changelist and API endpoint narrows its queryset with
`ScopedQuerySet.for_user(user, perm)`; an object outside the scope is simply not found (404).
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from .roles import ROLE_PERMS, Perm, Role


def _scope_table(user) -> list[tuple[str, int | None, int | None]]:
    cached = getattr(user, "_rutan_scope", None)
    if cached is None:
        cached = list(user.memberships.values_list("role", "facility_id", "regional_office_id"))
        user._rutan_scope = cached
    return cached


def _region_facilities(user) -> dict[int, int]:
    """Map facility id -> regional office id for the regions the user is a member of."""
    cached = getattr(user, "_rutan_region_facilities", None)
    if cached is None:
        Facility = apps.get_model("facilities", "Facility")
        region_ids = {r for _, _, r in _scope_table(user) if r}
        cached = (
            dict(
                Facility.objects.filter(regional_office_id__in=region_ids).values_list(
                    "id", "regional_office_id"
                )
            )
            if region_ids
            else {}
        )
        user._rutan_region_facilities = cached
    return cached


def facility_ids_for(user, perm: Perm) -> frozenset[int] | None:
    """Return the facility ids where `user` holds `perm`; None means every facility."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    facility_ids: set[int] = set()
    region_ids: set[int] = set()
    for role, facility_id, region_id in _scope_table(user):
        if perm not in ROLE_PERMS.get(role, ()):
            continue
        if role == Role.NATIONAL_ADMIN and not facility_id and not region_id:
            return None
        if facility_id:
            facility_ids.add(facility_id)
        if region_id:
            region_ids.add(region_id)
    if region_ids:
        facility_ids |= {f for f, r in _region_facilities(user).items() if r in region_ids}
    return frozenset(facility_ids)


def user_roles(user, facility=None) -> set[str]:
    """Return the roles the user holds (at `facility`, counting regional and national ones)."""
    if user.is_superuser:
        return {Role.NATIONAL_ADMIN}
    roles = set()
    for role, facility_id, region_id in _scope_table(user):
        national = role == Role.NATIONAL_ADMIN and not facility_id and not region_id
        in_region = facility is not None and region_id == facility.regional_office_id
        if facility is None or facility_id == facility.pk or in_region or national:
            roles.add(role)
    return roles


def user_can(user, perm: Perm, facility=None) -> bool:
    """Whether `user` holds `perm` at `facility` (or anywhere, when no facility is given)."""
    ids = facility_ids_for(user, perm)
    if ids is None:
        return True
    if facility is None:
        return bool(ids)
    facility_id = facility if isinstance(facility, int) else facility.pk
    return facility_id in ids


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what a user may reach.

    The model says where its facility is with `scope_path` (default "facility").
    """

    def for_user(self, user, perm: Perm):
        ids = facility_ids_for(user, perm)
        if ids is None:
            return self
        path = getattr(self.model, "scope_path", "facility")
        return self.filter(**{f"{path}__in": ids})


def get_scoped_or_404(queryset, user, perm: Perm, **lookup):
    """Return the one object matching `lookup` inside the user's scope, or raise Http404."""
    try:
        return queryset.for_user(user, perm).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def is_national(user) -> bool:
    """Whether the user acts for the whole country (directorate staff)."""
    return facility_ids_for(user, Perm.FACILITY_VIEW) is None


def require(user, perm: Perm, facility) -> None:
    """Raise a ValidationError a user can read unless `user` holds `perm` at `facility`.

    Services call this before any write; `user=None` is a system job (Celery), always allowed.
    """
    if user is not None and not user_can(user, perm, facility):
        raise ValidationError(
            _("Anda tidak berwenang melakukan ini di %(facility)s.") % {"facility": facility}
        )
