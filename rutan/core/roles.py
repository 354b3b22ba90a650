"""Roles and permissions: one registry, read by the one access helper in `scoping`."""

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin Ditjenpas")
    REGIONAL_OFFICER = "regional_officer", _("Petugas Kanwil")
    REGIONAL_HEAD = "regional_head", _("Kepala Kanwil")
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
# The roles held at a regional office (a Kanwil membership), never at a facility.
REGIONAL_ROLES = frozenset({Role.REGIONAL_OFFICER, Role.REGIONAL_HEAD})
P = Perm
_READ_REGISTER = {P.FACILITY_VIEW, P.INMATE_VIEW, P.DISCIPLINE_VIEW}
_REGIONAL_READ = frozenset(
    _READ_REGISTER
    | {P.ASSESSMENT_VIEW, P.PROGRAMME_VIEW, P.PARTNER_VIEW, P.REPORT_VIEW, P.REPORT_REQUEST}
)

# One table: what each role may do (at the facilities or region of its membership).
ROLE_PERMS: dict[str, frozenset[Perm]] = {
    # Directorate staff: everything everywhere, except reading confidential psychological
    # findings (psychologist and facility head only) and the intern's own-log pages.
    Role.NATIONAL_ADMIN: ALL_PERMS - {P.INTERN_LOG_OWN, P.PSYCH_CONFIDENTIAL_VIEW},
    # Kanwil: reads every facility of the region, asks for reports; no personal psych notes.
    Role.REGIONAL_OFFICER: _REGIONAL_READ,
    # The Kepala Kanwil reads as the Kanwil's staff do and signs the regional report.
    Role.REGIONAL_HEAD: _REGIONAL_READ,
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


PERM_LABELS: dict[Perm, str] = {
    P.FACILITY_VIEW: _("melihat UPT, blok, survei fasilitas"),
    P.INMATE_VIEW: _("melihat register WBP"),
    P.INMATE_MANAGE: _("mencatat dan mengubah register WBP, penahanan, putusan, remisi"),
    P.INMATE_MOVE: _("memindahkan blok / UPT, membebaskan WBP"),
    P.DISCIPLINE_VIEW: _("melihat Register F"),
    P.DISCIPLINE_MANAGE: _("mencatat Register F"),
    P.STAGE_RULES_MANAGE: _("mengubah ketentuan tahap dan hak"),
    P.AUDIT_VIEW: _("membaca catatan audit"),
    P.FOLLOWUP_MANAGE: _("mengelola tindak lanjut"),
    P.ADMIN_SITE: _("memakai halaman administrasi"),
    P.ASSESSMENT_VIEW: _("melihat asesmen"),
    P.ASSESSMENT_MANAGE: _("mencatat asesmen literasi, minat, SPPN, langkah hak"),
    P.PSYCH_MANAGE: _("mencatat dan memfinalkan asesmen psikologis, konseling"),
    P.PSYCH_DRAFT: _("menyusun draf asesmen psikologis"),
    P.PSYCH_CONFIDENTIAL_VIEW: _("membaca temuan psikologis rahasia"),
    P.SURVEY_MANAGE: _("mencatat survei fasilitas"),
    P.REPORT_VIEW: _("melihat dan mengunduh laporan"),
    P.REPORT_REQUEST: _("meminta laporan"),
    P.PROGRAMME_VIEW: _("melihat program, sesi, peserta"),
    P.PROGRAMME_MANAGE: _("mengelola program dan pendaftaran"),
    P.ATTENDANCE_RECORD: _("mencatat kehadiran"),
    P.ASSIMILATION_MANAGE: _("mengelola asimilasi"),
    P.INTERN_LOG_OWN: _("mencatat kegiatan magang sendiri"),
    P.INTERN_VIEW: _("melihat peserta magang dan catatannya"),
    P.INTERN_REVIEW: _("meninjau catatan magang"),
    P.INTERN_MANAGE: _("mengelola peserta magang"),
    P.PARTNER_VIEW: _("melihat mitra dan perjanjian"),
    P.PARTNER_MANAGE: _("mengelola mitra, perjanjian, jaminan"),
}


def matrix_markdown() -> str:
    """The role × permission table as Markdown (docs/permissions.md is this, committed)."""
    roles = list(Role)
    lines = [
        "# Permission matrix",
        "",
        "Generated from `rutan/core/roles.py` (`ROLE_PERMS`), the one table that pages, the",
        "admin, the API and templates consult; `tests/access/` walks every URL, admin view and",
        "API operation for every role against it. A role acts at the facilities or regional",
        "office of its membership; everything outside answers 404. Regenerate with",
        '`python manage.py shell -v0 -c "from rutan.core.roles import matrix_markdown; '
        "print(matrix_markdown(), end='')\" > docs/permissions.md`.",
        "",
        "| permission | " + " | ".join(f"`{r.value}`" for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for perm in Perm:
        marks = " | ".join("✓" if perm in ROLE_PERMS.get(r, ()) else "" for r in roles)
        lines.append(f"| `{perm.value}` ({PERM_LABELS[perm]}) | {marks} |")
    return "\n".join(lines) + "\n"
