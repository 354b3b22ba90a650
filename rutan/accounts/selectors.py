"""Reads about accounts: whether a second factor is required, set up or due."""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rutan.core.roles import Role

# Roles that hold the most sensitive data or powers: these sign in with a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.FACILITY_HEAD, Role.PSYCHOLOGIST})


class SecondFactor:
    """What a session of a signed-in user still owes (`second_factor_state`)."""

    OPTIONAL = "optional"  # no device and none required: nothing to do
    VERIFY = "verify"  # has a device: enter its code once per session
    SETUP = "setup"  # required, no device yet: set one up before anything else


def second_factor_for_role(user) -> bool:
    """Superusers and members with a role of SECOND_FACTOR_ROLES."""
    return user.is_superuser or user.memberships.filter(role__in=SECOND_FACTOR_ROLES).exists()


def second_factor_required(user) -> bool:
    """Whether the user must sign in with a second factor: their role asks for one and
    `TWO_FACTOR_REQUIRED` is on."""
    return settings.TWO_FACTOR_REQUIRED and second_factor_for_role(user)


def totp_device_for(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_state(user) -> str:
    """VERIFY for a user with an authenticator, SETUP for one who needs it and has none,
    OPTIONAL otherwise."""
    if totp_device_for(user) is not None:
        return SecondFactor.VERIFY
    if second_factor_required(user):
        return SecondFactor.SETUP
    return SecondFactor.OPTIONAL


def head_of(place):
    """Who signs for a facility (its Kepala UPT) or a regional office (its Kepala Kanwil):
    the active member holding that role, the first by name when there are several; None when
    nobody does (the document then leaves the name to be written by hand)."""
    from rutan.facilities.models import Facility

    from .models import Membership

    if isinstance(place, Facility):
        memberships = Membership.objects.filter(facility=place, role=Role.FACILITY_HEAD)
    else:
        memberships = Membership.objects.filter(regional_office=place, role=Role.REGIONAL_HEAD)
    membership = (
        memberships.filter(user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__username")
        .first()
    )
    return membership.user if membership else None
