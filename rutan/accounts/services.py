"""Writes about accounts: the second factor and API tokens."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from rutan.core.models import AuditAction
from rutan.core.services import audit_record

from .selectors import second_factor_required, totp_device_for

BACKUP_CODE_COUNT = 8


def _audit(user, by, change: str, via: str) -> None:
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        instance=user,
        before={"second_factor": None},
        after={"second_factor": change},
        via=via,
    )


def totp_device_start(*, user) -> TOTPDevice:
    """Return the user's unconfirmed authenticator (a new secret unless one is pending):
    it counts only once `totp_device_confirm` has checked a code from it."""
    device = totp_device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Aplikasi autentikator"), confirmed=False
        )
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm `device` with a code it shows; it replaces the user's earlier authenticator
    and new backup codes replace the old ones. Return the backup codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError(
            {"token": _("Kode tidak cocok. Periksa jam ponsel Anda dan masukkan kode terbaru.")}
        )
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _backup_codes_replace(device.user)
    _audit(device.user, device.user, "totp", "web")
    return codes


def _backup_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Kode cadangan"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user) -> list[str]:
    """New backup codes for a user with an authenticator; the old ones stop working."""
    if totp_device_for(user) is None:
        raise ValidationError(_("Siapkan aplikasi autentikator dulu."))
    codes = _backup_codes_replace(user)
    _audit(user, user, "backup_codes", "web")
    return codes


def second_factor_verify(*, user, token: str) -> Device:
    """Check a code from the user's authenticator or one of their backup codes (used up).

    Every device throttles wrong codes (1, 2, 4 … seconds between tries)."""
    token = (token or "").strip().replace(" ", "").lower()
    # Six digits come from the authenticator, anything else is a backup code.
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        devices = list(model.objects.select_for_update().filter(user=user, confirmed=True))
        if not devices and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError(_("Verifikasi dua langkah belum disiapkan untuk akun ini."))
        for device in devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                raise ValidationError(
                    _("Terlalu banyak kode salah. Tunggu sebentar lalu coba lagi."),
                    code="throttled",
                )
        for device in devices:
            if device.verify_token(token):
                return device
    raise ValidationError(_("Kode salah atau sudah kedaluwarsa."), code="invalid")


@transaction.atomic
def second_factor_remove(*, user, by) -> None:
    """Remove the user's authenticator and backup codes. Users whose role requires a
    second factor cannot remove their own (a national admin can, for a lost phone:
    they set up a new one at the next sign-in)."""
    if by == user and second_factor_required(user):
        raise ValidationError(_("Peran Anda mewajibkan verifikasi dua langkah."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(user, by, "removed", "web" if by == user else "admin")


def api_token_create(*, user) -> tuple[AuthToken, str]:
    """A new API token for `user`, valid for `API_TOKEN_TTL` seconds. Only its digest is
    stored: the returned secret is shown once. The user's expired tokens are deleted."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user)


def api_tokens_revoke(*, user) -> int:
    """End every API token of `user` (sign-out, password change or reset)."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted
