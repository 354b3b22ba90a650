from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=16,
        help_text=_("Enam angka dari aplikasi autentikator, atau salah satu kode cadangan."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={"required": _("Masukkan kode verifikasi.")},
    )


class SetupForm(forms.Form):
    token = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=10,
        help_text=_("Enam angka yang tampil di aplikasi setelah Anda memindai kode QR."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
        error_messages={"required": _("Masukkan kode dari aplikasi.")},
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Masukkan kata sandi Anda.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Kata sandi salah."), code="password_incorrect")
        return password


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Alamat e-mail"),
        max_length=254,
        help_text=_("Alamat e-mail yang tercatat pada akun Anda."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Masukkan alamat e-mail."),
            "invalid": _("Alamat e-mail tidak valid."),
        },
    )
