from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rutan.core.choices import Pillar, ProgrammeArea
from rutan.core.forms import DateInput, LiteracyLevelField, VersionedFormMixin
from rutan.facilities.models import Block, Facility, Sex
from rutan.inmates.choices import CoachingStage
from rutan.inmates.models import Inmate

from .choices import (
    EvaluationKind,
    ProgrammeStatus,
    WithdrawReason,
)
from .models import Product, Programme, ScheduleSlot, Session


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class ProgrammeForm(VersionedFormMixin, forms.ModelForm):
    eligible_stages = forms.MultipleChoiceField(
        label=_("Tahap pembinaan yang boleh ikut"),
        choices=CoachingStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kosongkan bila semua tahap (termasuk tahanan) boleh ikut."),
    )
    min_literacy_level = LiteracyLevelField(
        label=_("Tingkat literasi minimal"),
        required=False,
        empty_label=_("Tidak disyaratkan"),
        help_text=Programme._meta.get_field("min_literacy_level").help_text,
    )

    class Meta:
        model = Programme
        fields = [
            "title",
            "pillar",
            "area",
            "description",
            "agreement",
            "facilitator",
            "instructor",
            "location",
            "capacity",
            "start_date",
            "end_date",
            "eligible_sex",
            "eligible_stages",
            "min_literacy_level",
            "required_interest_area",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, facility: Facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.facility = facility
        self.fields["agreement"].queryset = self.fields["agreement"].queryset.filter(
            facility=facility
        )


class ProgrammeFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari program / fasilitator / mitra"), required=False)
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), required=False, empty_label=_("Semua UPT")
    )
    pillar = forms.ChoiceField(
        label=_("Pilar"), required=False, choices=[("", _("Semua pilar")), *Pillar.choices]
    )
    area = forms.ChoiceField(
        label=_("Bidang"), required=False, choices=[("", _("Semua bidang")), *ProgrammeArea.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), *ProgrammeStatus.choices],
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        if len(facilities) <= 1:
            del self.fields["facility"]


class SessionsTodayFilterForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), required=False, empty_label=_("Semua UPT")
    )
    unrecorded = forms.BooleanField(
        label=_("Hanya yang sudah mulai dan belum dicatat presensinya"), required=False
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        if len(facilities) < 2:
            del self.fields["facility"]


class ProgrammeStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=ProgrammeStatus.choices)


class SlotForm(forms.ModelForm):
    class Meta:
        model = ScheduleSlot
        fields = ["weekday", "start_time", "end_time", "location"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}


class GenerateForm(forms.Form):
    date_from = forms.DateField(label=_("Dari tanggal"), widget=DateInput())
    date_to = forms.DateField(label=_("Sampai tanggal"), widget=DateInput())


class SessionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "end_time", "location", "topic"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}


class RegisterForm(VersionedFormMixin, forms.Form):
    """A session's register. Its rows (one reason and note per enrolment) are read from the
    post; the form carries the session's version and the errors of the save."""

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, record=session, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=300)


class EnrolForm(forms.Form):
    inmate = forms.ModelChoiceField(label=_("WBP"), queryset=Inmate.objects.none())

    def __init__(self, *args, inmates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inmate"].queryset = inmates


class BulkFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama / no. registrasi"), required=False)
    block = forms.ModelChoiceField(
        label=_("Blok"), queryset=Block.objects.none(), required=False, empty_label=_("Semua blok")
    )
    stage = forms.ChoiceField(
        label=_("Tahap"), required=False, choices=[("", _("Semua tahap")), *CoachingStage.choices]
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), required=False, choices=[("", _("Semua")), *Sex.choices]
    )

    def __init__(self, *args, facility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = Block.objects.filter(facility=facility)


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=WithdrawReason.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


class CompleteForm(forms.Form):
    on = forms.DateField(label=_("Tanggal selesai"), widget=DateInput(), initial=timezone.localdate)
    post_score = forms.DecimalField(
        label=_("Nilai akhir (0–100)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Opsional: nilai post-test untuk mengukur dampak."),
    )
    instrument = forms.CharField(label=_("Instrumen"), max_length=200, required=False)


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=EvaluationKind.choices)
    score = forms.DecimalField(
        label=_("Nilai (0–100)"), min_value=0, max_value=100, decimal_places=2
    )
    instrument = forms.CharField(label=_("Instrumen"), max_length=200, required=False)
    on = forms.DateField(label=_("Tanggal"), widget=DateInput(), initial=timezone.localdate)


class CertificateForm(forms.Form):
    competence = forms.CharField(label=_("Kompetensi"), max_length=200)
    issuer = forms.CharField(label=_("Penerbit"), max_length=200)
    issued_on = forms.DateField(
        label=_("Tanggal terbit"), widget=DateInput(), initial=timezone.localdate
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=300)


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "made_on", "quantity", "unit", "unit_value", "disposition", "note"]
        widgets = {"made_on": DateInput()}


class AssimilationForm(forms.Form):
    inmate = forms.ModelChoiceField(label=_("WBP"), queryset=Inmate.objects.none())
    programme = forms.ModelChoiceField(
        label=_("Program asimilasi"), queryset=Programme.objects.none(), required=False
    )
    workplace = forms.CharField(label=_("Tempat kerja"), max_length=200)
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    supervisor = forms.CharField(label=_("Pengawas"), max_length=200)
    decree_reference = forms.CharField(label=_("Nomor SK asimilasi"), max_length=200)
    start_date = forms.DateField(label=_("Mulai"), widget=DateInput(), initial=timezone.localdate)
    end_date = forms.DateField(label=_("Selesai"), widget=DateInput(), required=False)

    def __init__(self, *args, inmates, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inmate"].queryset = inmates
        self.fields["programme"].queryset = programmes


class PlacementEndForm(forms.Form):
    on = forms.DateField(label=_("Tanggal selesai"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Alasan"), max_length=300)
