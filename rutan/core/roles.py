"""Roles and permissions: one registry, read by the one access helper in `scoping`."""

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin Ditjenpas")
    REGIONAL_OFFICER = "regional_officer", _("Petugas Kanwil")
    FACILITY_HEAD = "facility_head", _("Kepala UPT")
    PROGRAMME_OFFICER = "programme_officer", _("Pembina / Wali Pemasyarakatan")
    PSYCHOLOGIST = "psychologist", _("Psikolog / tenaga ahli")
    REGISTRY_OFFICER = "registry_officer", _("Petugas registrasi")
    MENTOR = "mentor", _("Mentor magang")
    INTERN = "intern", _("Peserta magang")
    PARTNER_LIAISON = "partner_liaison", _("Penghubung mitra")


class Perm(enum.StrEnum):
    FACILITY_VIEW = "facility_view"
    INMATE_VIEW = "inmate_view"
    INMATE_MANAGE = "inmate_manage"
    INMATE_MOVE = "inmate_move"
    DISCIPLINE_VIEW = "discipline_view"
    DISCIPLINE_MANAGE = "discipline_manage"
    STAGE_RULES_MANAGE = "stage_rules_manage"
    AUDIT_VIEW = "audit_view"
    FOLLOWUP_MANAGE = "followup_manage"
    ADMIN_SITE = "admin_site"
    ASSESSMENT_VIEW = "assessment_view"
    ASSESSMENT_MANAGE = "assessment_manage"
    PSYCH_MANAGE = "psych_manage"
    PSYCH_DRAFT = "psych_draft"
    PSYCH_CONFIDENTIAL_VIEW = "psych_confidential_view"
    SURVEY_MANAGE = "survey_manage"
    REPORT_VIEW = "report_view"
    REPORT_REQUEST = "report_request"
    PROGRAMME_VIEW = "programme_view"
    PROGRAMME_MANAGE = "programme_manage"
    ATTENDANCE_RECORD = "attendance_record"
    ASSIMILATION_MANAGE = "assimilation_manage"
    INTERN_LOG_OWN = "intern_log_own"
    INTERN_VIEW = "intern_view"
    INTERN_REVIEW = "intern_review"
    INTERN_MANAGE = "intern_manage"
    PARTNER_VIEW = "partner_view"
    PARTNER_MANAGE = "partner_manage"


ALL_PERMS = frozenset(Perm)
# Staff reach intern logs through INTERN_VIEW; "own logs" belongs to the intern role alone.
_INTERN_ONLY = frozenset({Perm.INTERN_LOG_OWN})
_READ_REGISTER = {Perm.FACILITY_VIEW, Perm.INMATE_VIEW, Perm.DISCIPLINE_VIEW}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.NATIONAL_ADMIN: ALL_PERMS - _INTERN_ONLY,
    Role.REGIONAL_OFFICER: frozenset(_READ_REGISTER | {Perm.PARTNER_VIEW}),
    Role.FACILITY_HEAD: ALL_PERMS - _INTERN_ONLY,
    Role.PROGRAMME_OFFICER: frozenset(_READ_REGISTER | {Perm.FOLLOWUP_MANAGE, Perm.PARTNER_VIEW}),
    Role.PSYCHOLOGIST: frozenset(_READ_REGISTER | {Perm.PARTNER_VIEW}),
    Role.REGISTRY_OFFICER: frozenset(
        _READ_REGISTER
        | {
            Perm.INMATE_MANAGE,
            Perm.INMATE_MOVE,
            Perm.DISCIPLINE_MANAGE,
            Perm.ADMIN_SITE,
            Perm.PARTNER_VIEW,
        }
    ),
    Role.MENTOR: frozenset(
        {Perm.FACILITY_VIEW, Perm.PARTNER_VIEW, Perm.INTERN_VIEW, Perm.INTERN_REVIEW}
    ),
    Role.INTERN: frozenset({Perm.FACILITY_VIEW, Perm.INTERN_LOG_OWN}),
    Role.PARTNER_LIAISON: frozenset({Perm.FACILITY_VIEW}),
}

# Programmes: who reads programmes, runs them (enrolment, outcomes) and takes the register.
_PROGRAMME_GRANTS = {
    Role.REGIONAL_OFFICER: {Perm.PROGRAMME_VIEW},
    Role.PROGRAMME_OFFICER: {
        Perm.PROGRAMME_VIEW,
        Perm.PROGRAMME_MANAGE,
        Perm.ATTENDANCE_RECORD,
        Perm.ASSIMILATION_MANAGE,
    },
    Role.PSYCHOLOGIST: {Perm.PROGRAMME_VIEW},
    Role.REGISTRY_OFFICER: {Perm.PROGRAMME_VIEW},
}
for _role, _perms in _PROGRAMME_GRANTS.items():
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | _perms

# Monthly reports: facility heads and national admins hold every permission already.
ROLE_PERMS[Role.REGIONAL_OFFICER] |= {Perm.REPORT_VIEW, Perm.REPORT_REQUEST}
ROLE_PERMS[Role.PROGRAMME_OFFICER] |= {Perm.REPORT_VIEW}

# Assessments: programme officers record literacy, interest and SPPN; psychologists the
# psychological side; interns only draft what a psychologist signs off. Confidential
# psychological findings are for the psychologist and the facility head, not the directorate.
_ASSESSMENT_GRANTS = {
    Role.REGIONAL_OFFICER: {Perm.ASSESSMENT_VIEW},
    Role.PROGRAMME_OFFICER: {Perm.ASSESSMENT_VIEW, Perm.ASSESSMENT_MANAGE, Perm.SURVEY_MANAGE},
    Role.PSYCHOLOGIST: {
        Perm.ASSESSMENT_VIEW,
        Perm.PSYCH_MANAGE,
        Perm.PSYCH_DRAFT,
        Perm.PSYCH_CONFIDENTIAL_VIEW,
        Perm.SURVEY_MANAGE,
    },
    Role.MENTOR: {Perm.SURVEY_MANAGE},
    Role.INTERN: {Perm.PSYCH_DRAFT, Perm.SURVEY_MANAGE},
}
for _role, _perms in _ASSESSMENT_GRANTS.items():
    ROLE_PERMS[_role] = ROLE_PERMS[_role] | _perms
ROLE_PERMS[Role.NATIONAL_ADMIN] = ROLE_PERMS[Role.NATIONAL_ADMIN] - {Perm.PSYCH_CONFIDENTIAL_VIEW}
