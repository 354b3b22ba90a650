from django import forms
from django.utils.translation import gettext_lazy as _

from rutan.core.forms import DateInput

from .models import AgreementKind, AgreementStatus, GuarantorKind, PartnerType
from .validators import normalise_nik, validate_pdf


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


class GuaranteeForm(forms.Form):
    """A guarantee letter of a family member, another person or a partner organisation."""

    guarantor_kind = forms.ChoiceField(
        label=_("Jenis penjamin"),
        choices=GuarantorKind.choices,
        initial=GuarantorKind.KELUARGA,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("Nama penjamin"),
        required=False,
        max_length=200,
        help_text=_("Untuk keluarga dan perorangan."),
    )
    relationship = forms.CharField(
        label=_("Hubungan dengan WBP"),
        required=False,
        max_length=100,
        help_text=_("Mis. istri, ayah, kakak kandung."),
    )
    nik = forms.CharField(
        label=_("NIK penjamin"),
        required=False,
        max_length=24,
        help_text=_("16 angka sesuai KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Alamat penjamin"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    phone = forms.CharField(label=_("Telepon penjamin"), required=False, max_length=40)
    partner = forms.ModelChoiceField(
        label=_("Mitra penjamin"),
        required=False,
        queryset=None,
        help_text=_("Untuk penjamin mitra (organisasi)."),
    )
    letter_number = forms.CharField(label=_("Nomor surat jaminan"), max_length=100)
    letter = forms.FileField(
        label=_("Surat jaminan (PDF)"),
        required=False,
        validators=[validate_pdf],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    valid_from = forms.DateField(label=_("Berlaku mulai"), widget=DateInput())
    valid_until = forms.DateField(label=_("Berlaku sampai"), required=False, widget=DateInput())

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].empty_label = _("— pilih mitra —")

    def clean_nik(self):
        return normalise_nik(self.cleaned_data.get("nik"))
