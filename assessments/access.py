"""Who may read confidential psychological text: the one helper every page, API and admin uses."""

from rutan.core.roles import ROLE_PERMS, Perm
from rutan.core.scoping import user_can, user_roles

from .choices import AssessmentStatus


def holds_confidential_role(user, facility) -> bool:
    """Whether the user is a psychologist or the head *of this facility*.

    Decided from the user's own memberships, so the directorate, a regional officer or a
    superuser flag never opens confidential text by itself.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(
        Perm.PSYCH_CONFIDENTIAL_VIEW in ROLE_PERMS.get(role, ())
        for role in user_roles(user, facility)
    )


def can_read_confidential(user, record) -> bool:
    """Whether `user` may read the confidential text of `record` (an assessment or session).

    The intern (or other drafter) who wrote a draft may read it back until it is signed off.
    """
    facility = record.inmate.facility
    if holds_confidential_role(user, facility):
        return True
    author = getattr(record, "assessor_id", None)
    return (
        getattr(record, "status", None) == AssessmentStatus.DRAFT
        and author == user.pk
        and user_can(user, Perm.PSYCH_DRAFT, facility)
    )


def can_edit(user, kind: str, record) -> bool:
    """Whether `user` may edit `record` of `kind` while it is a draft (whatever its status now).

    A psychological assessment: a psychologist (or facility head) of its facility, or its own
    drafter, who may also read its confidential text. Literacy and interest: whoever manages
    assessments at the inmate's facility. Other kinds are not edited."""
    from .choices import AssessmentKind

    facility_id = record.inmate.facility_id
    if kind == AssessmentKind.PSIKOLOGIS:
        return can_read_confidential(user, record) and (
            user_can(user, Perm.PSYCH_MANAGE, facility_id) or record.assessor_id == user.pk
        )
    if kind in (AssessmentKind.LITERASI, AssessmentKind.MINAT):
        return user_can(user, Perm.ASSESSMENT_MANAGE, facility_id)
    return False
