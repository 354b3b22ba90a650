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


ALL_PERMS = frozenset(Perm)
_READ_REGISTER = {Perm.FACILITY_VIEW, Perm.INMATE_VIEW, Perm.DISCIPLINE_VIEW}

ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.NATIONAL_ADMIN: ALL_PERMS,
    Role.REGIONAL_OFFICER: frozenset(_READ_REGISTER),
    Role.FACILITY_HEAD: ALL_PERMS,
    Role.PROGRAMME_OFFICER: frozenset(_READ_REGISTER | {Perm.FOLLOWUP_MANAGE}),
    Role.PSYCHOLOGIST: frozenset(_READ_REGISTER),
    Role.REGISTRY_OFFICER: frozenset(
        _READ_REGISTER
        | {Perm.INMATE_MANAGE, Perm.INMATE_MOVE, Perm.DISCIPLINE_MANAGE, Perm.ADMIN_SITE}
    ),
    Role.MENTOR: frozenset({Perm.FACILITY_VIEW}),
    Role.INTERN: frozenset({Perm.FACILITY_VIEW}),
    Role.PARTNER_LIAISON: frozenset({Perm.FACILITY_VIEW}),
}
