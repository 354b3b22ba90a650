from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgreementKind, AgreementStatus, PartnerType


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
    q = forms.CharField(label=_("Cari nomor, judul atau mitra"), required=False)
    facility = forms.ModelChoiceField(label=_("UPT"), required=False, queryset=None)
    status = forms.ChoiceField(
        label=_("Status perjanjian"),
        required=False,
        choices=[("", _("Semua"))] + AgreementStatus.choices,
    )
    kind = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua"))] + AgreementKind.choices
    )
    in_force = forms.BooleanField(label=_("Hanya yang berlaku hari ini"), required=False)
    expiring_within = forms.IntegerField(
        label=_("Berakhir dalam (hari)"), required=False, min_value=1, max_value=366
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["facility"].empty_label = _("Semua UPT")
        if len(facilities) < 2:
            del self.fields["facility"]
