from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgreementStatus, PartnerType


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau kota"), required=False)
    partner_type = forms.ChoiceField(
        label=_("Jenis mitra"), required=False, choices=[("", _("Semua"))] + PartnerType.choices
    )
    facility = forms.ModelChoiceField(label=_("UPT"), required=False, queryset=None)
    active = forms.ChoiceField(
        label=_("Keaktifan"),
        required=False,
        choices=[("", _("Semua")), ("1", _("Aktif")), ("0", _("Tidak aktif"))],
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["facility"].empty_label = _("Semua UPT")
        if len(facilities) < 2:
            del self.fields["facility"]


class AgreementFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status perjanjian"),
        required=False,
        choices=[("", _("Semua"))] + AgreementStatus.choices,
    )
