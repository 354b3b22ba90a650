import copy

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rutan.core.forms import DateInput, VersionedFormMixin, use_facility_select
from rutan.facilities.models import Block, Facility, Sex

from .choices import (
    CaseCategory,
    CoachingStage,
    InmateStatus,
    LegalStatus,
    ReleaseKind,
)
from .models import DetentionPeriod, DisciplinaryEntry, Inmate, RemisiGrant, Verdict
from .selectors import REGISTER_SORTS


class InmateForm(VersionedFormMixin, forms.ModelForm):
    """Register data of an inmate. Rules that span fields live in `Inmate.clean()`.

    A new inmate is registered with the first warrant that holds them (time served counts
    from it); the register type and legal status follow from the warrants and the verdict.
    """

    class Meta:
        model = Inmate
        fields = [
            "registration_number",
            "name",
            "sex",
            "birth_date",
            "religion",
            "education_level",
            "case_category",
            "case_article",
            "admission_date",
            "block",
        ]
        widgets = {"birth_date": DateInput(), "admission_date": DateInput()}

    def __init__(self, *args, facility: Facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.facility = facility
        self.fields["block"].queryset = Block.objects.filter(facility=facility)
        if self.instance.pk:
            # A block change is a placement move with its own date, not an edit.
            del self.fields["block"]
        else:
            for name, field in DetentionForm.base_fields.items():
                self.fields[f"detention_{name}"] = copy.deepcopy(field)

    def detention_fields(self):
        return [self[name] for name in self.fields if name.startswith("detention_")]

    def detention(self) -> dict | None:
        if self.instance.pk:
            return None
        prefix = "detention_"
        return {
            name[len(prefix) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }


class DetentionForm(forms.ModelForm):
    class Meta:
        model = DetentionPeriod
        fields = ["authority", "order", "kind", "warrant_number", "warrant_date", "start", "end"]
        widgets = {"warrant_date": DateInput(), "start": DateInput(), "end": DateInput()}


class VerdictForm(forms.ModelForm):
    class Meta:
        model = Verdict
        fields = [
            "court",
            "court_name",
            "number",
            "decided_on",
            "final_on",
            "sentence_kind",
            "years",
            "months",
            "days",
            "fine",
            "substitute_months",
            "substitute_days",
            "fine_paid",
        ]
        widgets = {"decided_on": DateInput(), "final_on": DateInput()}
        help_texts = {
            "years": _("Kosongkan (0) untuk seumur hidup dan pidana mati."),
            "substitute_months": _("Dijalani bila denda tidak dibayar."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].validators.append(_max(11))
        self.fields["days"].validators.append(_max(30))
        self.fields["substitute_days"].validators.append(_max(30))


class RemisiForm(forms.ModelForm):
    class Meta:
        model = RemisiGrant
        fields = ["kind", "decree_number", "decree_date", "months", "days", "note"]
        widgets = {"decree_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].validators.append(_max(12))
        self.fields["days"].validators.append(_max(90))


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pembatalan"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Mis. salah ketik nomor atau tanggal. Data yang dibatalkan tetap tercatat di log audit."
        ),
    )


def _max(limit):
    return MaxValueValidator(limit, message=_("Nilai paling besar %(limit_value)s."))


class InmateFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama / no. registrasi"), required=False)
    # Chosen by the column headers; kept when the filters are applied.
    sort = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(key, key) for key in REGISTER_SORTS],
        widget=forms.HiddenInput,
    )
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), required=False, empty_label=_("Semua UPT")
    )
    block = forms.ModelChoiceField(
        label=_("Blok"), queryset=Block.objects.none(), required=False, empty_label=_("Semua blok")
    )
    stage = forms.ChoiceField(
        label=_("Tahap"), required=False, choices=[("", _("Semua tahap")), *CoachingStage.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Aktif")),
            ("all", _("Semua status")),
            *[c for c in InmateStatus.choices if c[0] != InmateStatus.ACTIVE],
        ],
    )
    case_category = forms.ChoiceField(
        label=_("Perkara"),
        required=False,
        choices=[("", _("Semua perkara")), *CaseCategory.choices],
    )
    legal_status = forms.ChoiceField(
        label=_("Status hukum"),
        required=False,
        choices=[("", _("Tahanan & narapidana")), *LegalStatus.choices],
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=[("", _("Semua")), *Sex.choices]
    )
    integrasi_within = forms.IntegerField(
        label=_("Tahap integrasi mulai dalam (hari)"),
        required=False,
        min_value=0,
        max_value=366,
    )

    def __init__(self, *args, facilities, options, blocks, **kwargs):
        """`options`: (id, name, Kanwil name) of `facilities`, in the order to show them."""
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["block"].queryset = blocks
        if len(options) <= 1:
            del self.fields["facility"]
            return
        use_facility_select(self.fields["facility"], options)
        chosen = str(self.data.get("facility", "")) if self.is_bound else ""
        if chosen.isdigit():
            self.fields["block"].queryset = blocks.filter(facility_id=int(chosen))
        else:
            # A region or the country has hundreds or thousands of blocks: the block list
            # waits for a facility (a block given in the address is still accepted).
            field = self.fields["block"]
            field.choices = [("", field.empty_label)]
            field.help_text = _("Pilih UPT dulu untuk memilih blok.")


class CustodyAlertFilterForm(forms.Form):
    facility = forms.ModelChoiceField(queryset=Facility.objects.none(), required=False)
    level = forms.ChoiceField(required=False, choices=[("", "")])

    def __init__(self, *args, facilities, **kwargs):
        from .selectors import ALERT_LEVELS

        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["level"].choices = [("", ""), *ALERT_LEVELS.items()]


class MoveBlockForm(forms.Form):
    block = forms.ModelChoiceField(label=_("Blok tujuan"), queryset=Block.objects.none())
    on = forms.DateField(label=_("Tanggal pindah"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, inmate: Inmate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = Block.objects.filter(facility=inmate.facility).exclude(
            pk=inmate.block_id
        )


class TransferForm(forms.Form):
    to_facility = forms.ModelChoiceField(label=_("UPT tujuan"), queryset=Facility.objects.none())
    on = forms.DateField(label=_("Tanggal pindah"), widget=DateInput(), initial=timezone.localdate)
    registration_number = forms.CharField(
        label=_("Nomor registrasi di UPT tujuan"),
        required=False,
        max_length=40,
        help_text=_("Kosongkan bila nomor tetap."),
    )
    note = forms.CharField(
        label=_("Dasar / keterangan (mis. nomor surat)"), required=False, max_length=300
    )

    def __init__(self, *args, inmate: Inmate, **kwargs):
        super().__init__(*args, **kwargs)
        # Any facility in the country may receive a transfer; its name is not personal data.
        self.fields["to_facility"].queryset = Facility.objects.exclude(pk=inmate.facility_id)


class ReleaseForm(forms.Form):
    on = forms.DateField(label=_("Tanggal bebas"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Jenis pembebasan"), choices=ReleaseKind.choices)


class DisciplinaryForm(forms.ModelForm):
    class Meta:
        model = DisciplinaryEntry
        fields = ["occurred_on", "offence", "sanction", "sanction_until"]
        widgets = {
            "occurred_on": DateInput(),
            "sanction_until": DateInput(),
            "offence": forms.Textarea(attrs={"rows": 3}),
        }


class DisciplinaryCloseForm(forms.Form):
    on = forms.DateField(label=_("Tanggal selesai"), widget=DateInput(), initial=timezone.localdate)
