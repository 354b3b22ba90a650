import hashlib
from urllib.parse import urlparse

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .addresses import client_ip
from .forms import CodeForm, PasswordConfirmForm, ResetRequestForm, SetupForm
from .selectors import (
    backup_codes_left,
    second_factor_for_role,
    second_factor_required,
    totp_device_for,
)
from .sessions import SEEN_KEY, now, second_factor_forget, second_factor_passed

BACKUP_CODES_KEY = "rutan_backup_codes"


def _next_url(request, default="dashboard:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _show_backup_codes(request, codes, next_url):
    request.session[BACKUP_CODES_KEY] = codes
    return redirect(reverse("second_factor_backup_codes") + "?next=" + next_url)


@never_cache
@login_required
def second_factor_overview(request):
    user = request.user
    return render(
        request,
        "registration/second_factor.html",
        {
            "device": totp_device_for(user),
            "required": second_factor_required(user),
            "for_role": second_factor_for_role(user),
            "codes_left": backup_codes_left(user),
            "remove_form": PasswordConfirmForm(user=user),
        },
    )


@never_cache
@login_required
def second_factor_setup(request):
    """Set up an authenticator: scan the QR code (or type the secret), enter a code."""
    device = services.totp_device_start(user=request.user)
    form = SetupForm(request.POST or None)
    next_url = _next_url(request)
    if form.is_valid():
        try:
            codes = services.totp_device_confirm(device=device, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            device.refresh_from_db()
            second_factor_passed(request, device)
            messages.success(request, _("Verifikasi dua langkah aktif untuk akun Anda."))
            return _show_backup_codes(request, codes, next_url)
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(
                scale=5, border=2, title=_("Kode QR untuk aplikasi autentikator")
            ),
            "required": second_factor_required(request.user),
            "next": next_url,
        },
    )


@never_cache
@login_required
def second_factor_verify(request):
    """The code asked once a session after the password."""
    form = CodeForm(request.POST or None)
    next_url = _next_url(request)
    if form.is_valid():
        try:
            device = services.second_factor_verify(
                user=request.user, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            second_factor_passed(request, device)
            if device.__class__.__name__ == "StaticDevice":
                left = backup_codes_left(request.user)
                messages.warning(
                    request,
                    _("Kode cadangan dipakai; tersisa %(n)d. Buat kode baru bila hampir habis.")
                    % {"n": left},
                )
            return redirect(next_url)
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": next_url},
    )


@never_cache
@login_required
def second_factor_backup_codes(request):
    """The backup codes, shown once right after they were made."""
    codes = request.session.pop(BACKUP_CODES_KEY, None)
    return render(
        request,
        "registration/second_factor_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@require_POST
@login_required
def second_factor_codes_renew(request):
    try:
        codes = services.backup_codes_regenerate(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("second_factor")
    return _show_backup_codes(request, codes, reverse("second_factor"))


@never_cache
@require_POST
@login_required
def second_factor_remove(request):
    form = PasswordConfirmForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.second_factor_remove(user=request.user, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            second_factor_forget(request)
            messages.success(request, _("Verifikasi dua langkah dimatikan untuk akun Anda."))
        return redirect("second_factor")
    user = request.user
    return render(
        request,
        "registration/second_factor.html",
        {
            "device": totp_device_for(user),
            "required": second_factor_required(user),
            "for_role": second_factor_for_role(user),
            "codes_left": backup_codes_left(user),
            "remove_form": form,
        },
    )


@require_POST
def session_keepalive(request):
    """ "Tetap masuk": the idle clock starts again (the page's warning calls this)."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0}, status=401)
    request.session[SEEN_KEY] = now()
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"remaining": settings.SESSION_IDLE_TIMEOUT})
    return redirect(_next_url(request))


class LogoutView(auth_views.LogoutView):
    """Signing out also ends every API token of the user."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.api_tokens_revoke(user=request.user)
        return super().post(request, *args, **kwargs)


def _over_limit(key: str, limit: int, window: int = 60 * 60) -> bool:
    cache.add(key, 0, window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return False


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail; the same answer whether the address is known or not,
    limited per client address and per e-mail address. The link points at SITE_URL (never at
    a Host header the request chose)."""

    form_class = ResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def dispatch(self, request, *args, **kwargs):
        site = urlparse(settings.SITE_URL)
        self.extra_email_context = {"protocol": site.scheme, "domain": site.netloc}
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()
        too_many = _over_limit(
            f"password-reset:ip:{client_ip(self.request)}", settings.PASSWORD_RESET_PER_ADDRESS
        ) | _over_limit(f"password-reset:email:{digest}", settings.PASSWORD_RESET_PER_EMAIL)
        if too_many:
            form.add_error(
                None,
                _("Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam satu jam."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


@method_decorator(never_cache, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")
