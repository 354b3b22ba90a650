from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rutan.core.models import TimeStampedModel
from rutan.core.roles import REGIONAL_ROLES, Role
from rutan.core.validators import format_nip, normalise_nip, validate_nip, validate_person_name


class User(AbstractUser):
    """A person who signs in. What they may see comes from their memberships."""

    full_name = models.CharField(
        _("nama lengkap"), max_length=200, blank=True, validators=[validate_person_name]
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=21,
        blank=True,
        validators=[validate_nip],
        help_text=_("Nomor Induk Pegawai (18 angka), dicetak di bawah tanda tangan laporan."),
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self):
        return str(self)

    @property
    def nip_display(self) -> str:
        """The NIP in its printed groups ("19800101 200501 1 001"), or ""."""
        return format_nip(self.nip)

    def clean(self):
        super().clean()
        self.nip = normalise_nip(self.nip)

    def save(self, *args, **kwargs):
        # A new password (changed, reset, set by an admin) ends every API token obtained with
        # the old one; a hash upgraded at sign-in is not a new password.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            from .services import api_tokens_revoke

            api_tokens_revoke(user=self)

    def delete(self, using=None, keep_parents=False):
        # The audit log names who did what: an account leaves by deactivation, never deletion.
        raise ValidationError(
            _("Pengguna tidak dapat dihapus; nonaktifkan akunnya (centang 'aktif' dilepas).")
        )


class Membership(TimeStampedModel):
    """A user's role at one facility or at one regional office (never both, never neither)."""

    user = models.ForeignKey(
        User, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)
    facility = models.ForeignKey(
        "facilities.Facility",
        verbose_name=_("UPT"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    regional_office = models.ForeignKey(
        "facilities.RegionalOffice",
        verbose_name=_("Kanwil"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(facility__isnull=True) | Q(regional_office__isnull=True),
                name="membership_one_scope",
                violation_error_message=_("Pilih UPT atau Kanwil, tidak keduanya."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "facility", "regional_office"],
                name="membership_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        where = self.facility or self.regional_office or _("nasional")
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self):
        if self.facility_id and self.regional_office_id:
            raise ValidationError(_("Pilih UPT atau Kanwil, tidak keduanya."))
        if self.role != Role.NATIONAL_ADMIN and not (self.facility_id or self.regional_office_id):
            raise ValidationError(_("Peran ini memerlukan UPT atau Kanwil."))
        if self.role in REGIONAL_ROLES and not self.regional_office_id:
            raise ValidationError({"regional_office": _("Peran Kanwil memerlukan Kanwil.")})
