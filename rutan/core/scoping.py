"""The one place that decides which facilities a user may reach for a permission.

Every list, detail, form, admin changelist and API endpoint narrows its queryset with
`ScopedQuerySet.for_user(user, perm)`; an object outside the scope is simply not found (404).
"""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from .roles import ROLE_PERMS, Perm, Role


def _scope_table(user) -> list[tuple[str, int | None, int | None]]:
    """(role, facility id, regional office id) of each membership, read once per request
    together with the timezone of the first facility (`home_facility_timezone`)."""
    cached = getattr(user, "_rutan_scope", None)
    if cached is None:
        rows = list(
            user.memberships.order_by("id").values_list(
                "role", "facility_id", "regional_office_id", "facility__timezone"
            )
        )
        cached = [(role, facility, region) for role, facility, region, _ in rows]
        user._rutan_scope = cached
        user._rutan_home = next(
            ((facility, tz) for _, facility, _, tz in rows if facility is not None), None
        )
    return cached


def scope_table(user) -> list[tuple[str, int | None, int | None]]:
    """(role, facility id, regional office id) of each of the user's memberships."""
    return list(_scope_table(user))


def home_facility_timezone(user) -> tuple[int, str] | None:
    """(id, timezone) of the user's first facility by membership, None without one."""
    _scope_table(user)
    return user._rutan_home


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


class ScopedNotFound(Http404):
    """The answer to an object asked for outside the user's scope or that does not exist: one
    404 for both. It names what was asked, so that the attempt is audited (the access-audit
    middleware and the API's exception handler record it as a refused attempt)."""

    def __init__(self, model: type[models.Model] | None = None, object_id=""):
        super().__init__()
        self.model = model
        self.object_id = "" if object_id is None else str(object_id)[:64]


def not_found(model: type[models.Model], object_id="") -> ScopedNotFound:
    """The 404 to raise for `model` #`object_id`: `raise not_found(Inmate, pk)`."""
    return ScopedNotFound(model, object_id)


def get_scoped_or_404(queryset, user, perm: Perm, **lookup):
    """Return the one object matching `lookup` inside the user's scope, or raise a 404
    (ScopedNotFound) that names the model and the id asked for."""
    try:
        return queryset.for_user(user, perm).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        object_id = lookup.get("pk", lookup.get("id", next(iter(lookup.values()), "")))
        raise ScopedNotFound(queryset.model, object_id) from exc


def loaded_facility_id(obj) -> int | None:
    """The facility of `obj` along its `scope_path`, from what is already loaded (no query):
    None when a step of the path is not in memory."""
    path = getattr(type(obj), "scope_path", "facility")
    if path == "pk":
        return obj.pk
    *steps, last = path.split("__")
    for name in steps:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.is_relation or not field.is_cached(obj):
            return None
        obj = getattr(obj, name)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def object_facility_id(model: type[models.Model], object_id) -> int | None:
    """The facility of `model` #`object_id` whatever the scope, None when there is no such
    row or it belongs to no one facility. For the audit of a refused attempt only: the answer
    is never shown to the one who asked."""
    path = getattr(model, "scope_path", "facility")
    if path == "facilities":
        return None
    try:
        if path != "pk":
            model._meta.get_field(path.split("__")[0])
        return model._default_manager.filter(pk=object_id).values_list(path, flat=True).first()
    except (FieldDoesNotExist, ValueError, TypeError, ValidationError):
        return None


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
