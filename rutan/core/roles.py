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
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Petugas pelindungan data pribadi")


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
P = Perm
_READ_REGISTER = {P.FACILITY_VIEW, P.INMATE_VIEW, P.DISCIPLINE_VIEW}

# One table: what each role may do (at the facilities or region of its membership).
ROLE_PERMS: dict[str, frozenset[Perm]] = {
    # Directorate staff: everything everywhere, except reading confidential psychological
    # findings (psychologist and facility head only) and the intern's own-log pages.
    Role.NATIONAL_ADMIN: ALL_PERMS - {P.INTERN_LOG_OWN, P.PSYCH_CONFIDENTIAL_VIEW},
    # Kanwil: reads every facility of the region, asks for reports; no personal psych notes.
    Role.REGIONAL_OFFICER: frozenset(
        _READ_REGISTER
        | {P.ASSESSMENT_VIEW, P.PROGRAMME_VIEW, P.PARTNER_VIEW, P.REPORT_VIEW, P.REPORT_REQUEST}
    ),
    Role.FACILITY_HEAD: ALL_PERMS - {P.INTERN_LOG_OWN},
    # Pembina / wali: programmes, enrolment, attendance, literacy/interest/SPPN, follow-ups.
    Role.PROGRAMME_OFFICER: frozenset(
        _READ_REGISTER
        | {
            P.PROGRAMME_VIEW,
            P.PROGRAMME_MANAGE,
            P.ATTENDANCE_RECORD,
            P.ASSIMILATION_MANAGE,
            P.ASSESSMENT_VIEW,
            P.ASSESSMENT_MANAGE,
            P.SURVEY_MANAGE,
            P.FOLLOWUP_MANAGE,
            P.PARTNER_VIEW,
            P.REPORT_VIEW,
        }
    ),
    Role.PSYCHOLOGIST: frozenset(
        _READ_REGISTER
        | {
            P.ASSESSMENT_VIEW,
            P.PSYCH_MANAGE,
            P.PSYCH_DRAFT,
            P.PSYCH_CONFIDENTIAL_VIEW,
            P.SURVEY_MANAGE,
            P.PROGRAMME_VIEW,
            P.PARTNER_VIEW,
        }
    ),
    Role.REGISTRY_OFFICER: frozenset(
        _READ_REGISTER
        | {
            P.INMATE_MANAGE,
            P.INMATE_MOVE,
            P.DISCIPLINE_MANAGE,
            P.ADMIN_SITE,
            P.PROGRAMME_VIEW,
            P.PARTNER_VIEW,
        }
    ),
    Role.MENTOR: frozenset(
        {P.FACILITY_VIEW, P.INTERN_VIEW, P.INTERN_REVIEW, P.SURVEY_MANAGE, P.PARTNER_VIEW}
    ),
    # Interns: their own logs and attendance, drafts a psychologist signs off; no register.
    Role.INTERN: frozenset({P.FACILITY_VIEW, P.INTERN_LOG_OWN, P.PSYCH_DRAFT, P.SURVEY_MANAGE}),
    Role.PARTNER_LIAISON: frozenset({P.FACILITY_VIEW}),
    # Data-protection officer (UU 27/2022): reads the audit log of a facility or region, and
    # nothing else.
    Role.DATA_PROTECTION_OFFICER: frozenset({P.FACILITY_VIEW, P.AUDIT_VIEW}),
}
