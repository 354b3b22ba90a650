from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rutan.core.choices import ProgrammeArea, Script
from rutan.core.forms import DateInput, LiteracyLevelField, VersionedFormMixin

from .choices import AssessmentKind, AssessmentStatus, EligibilityKind, SurveyKind
from .models import FacilitySurvey, SurveyFinding

INTEREST_RANKS = 5


class InmateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        block = f" · {obj.block.name}" if obj.block_id else ""
        return f"{obj.name} ({obj.registration_number}){block}"


NUMBER_NOT_FOUND = _("Tidak ada WBP aktif dengan nomor registrasi ini di UPT Anda.")


class _InmateForm(VersionedFormMixin, forms.Form):
    """Base of the entry forms: the inmate is chosen from those the user may assess.

    With `find_by_number` (for a user who may not read the register, an intern) no inmate
    is listed: the user types the registration number and
    `find_by_number(registration_number=...)` returns the one match or None. An edit of a
    draft passes the assessment as `record`, so the form carries its version.
    """

    inmate = InmateChoiceField(label=_("WBP"), queryset=None)

    def __init__(
        self, *args, inmates, fixed_inmate=None, can_finalise=True, find_by_number=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["inmate"].queryset = inmates.select_related("block")
        self._find_by_number = None
        if fixed_inmate is not None:
            self.fields["inmate"].initial = fixed_inmate.pk
            self.fields["inmate"].widget = forms.HiddenInput()
        elif find_by_number is not None:
            self._find_by_number = find_by_number
            number = forms.CharField(
                label=_("Nomor registrasi WBP"),
                max_length=50,
                help_text=_("Ketik nomor registrasi WBP yang tercantum pada tugas Anda."),
                error_messages={"required": _("Ketik nomor registrasi WBP.")},
            )
            others = {name: f for name, f in self.fields.items() if name != "inmate"}
            self.fields = {"registration_number": number, **others}
        if "finalise" in self.fields and not can_finalise:
            del self.fields["finalise"]

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"]
        inmate = self._find_by_number(registration_number=number)
        if inmate is None:
            raise forms.ValidationError(NUMBER_NOT_FOUND, code="not_found")
        self.cleaned_data["inmate"] = inmate
        return number


def _date(label):
    return forms.DateField(label=label, widget=DateInput(), initial=timezone.localdate)


def _score(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Nilai paling kecil 0."),
            "max_value": _("Nilai paling besar 100."),
        },
    )


_FINALISE = forms.BooleanField(
    label=_("Simpan sebagai final"),
    required=False,
    help_text=_("Asesmen final tidak dapat diubah lagi dan dipakai untuk rekomendasi."),
)


def parse_scores(text: str) -> dict:
    """'stres: 14' per line → {"stres": 14}."""
    scores = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        try:
            if not sep or not name.strip():
                raise ValueError
            scores[name.strip()] = float(value.strip().replace(",", "."))
        except ValueError as exc:
            raise forms.ValidationError(
                _("Baris %(n)s: tulis dengan format 'nama skala: angka'.") % {"n": number}
            ) from exc
        if scores[name.strip()].is_integer():
            scores[name.strip()] = int(scores[name.strip()])
    return scores


def format_scores(scores: dict) -> str:
    return "\n".join(f"{k}: {v}" for k, v in (scores or {}).items())


class PsychologicalForm(_InmateForm):
    assessed_on = _date(_("Tanggal asesmen"))
    instrument = forms.CharField(
        label=_("Instrumen"), max_length=200, help_text=_("Mis. DASS-21, SRQ-20, wawancara.")
    )
    scores = forms.CharField(
        label=_("Skor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu skala per baris, mis. 'stres: 14'."),
    )
    findings = forms.CharField(
        label=_("Temuan (rahasia)"), widget=forms.Textarea(attrs={"rows": 5})
    )
    notes = forms.CharField(
        label=_("Catatan konseling (rahasia)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    recommendation = forms.CharField(
        label=_("Rekomendasi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    finalise = _FINALISE

    def clean_scores(self):
        return parse_scores(self.cleaned_data["scores"])


class LiteracyForm(_InmateForm):
    assessed_on = _date(_("Tanggal asesmen"))
    instrument = forms.CharField(label=_("Instrumen"), max_length=200, required=False)
    script = forms.ChoiceField(label=_("Aksara"), choices=Script.choices)
    level = LiteracyLevelField(
        label=_("Tingkat"),
        to_field_name="code",
        empty_label=None,
        help_text=_("Pilih tingkat dari kelompok aksara yang diases."),
    )
    reading_score = _score(_("Nilai membaca (0–100)"))
    writing_score = _score(_("Nilai menulis (0–100)"))
    numeracy_score = _score(_("Nilai berhitung (0–100)"))
    recommendation = forms.CharField(
        label=_("Rekomendasi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    finalise = _FINALISE


class InterestForm(_InmateForm):
    assessed_on = _date(_("Tanggal asesmen"))
    instrument = forms.CharField(label=_("Instrumen"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendation = forms.CharField(
        label=_("Rekomendasi"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    finalise = _FINALISE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rank in range(1, INTEREST_RANKS + 1):
            self.fields[f"area_{rank}"] = forms.ChoiceField(
                label=_("Minat pilihan %(n)s") % {"n": rank},
                required=rank == 1,
                choices=[("", "—"), *ProgrammeArea.choices],
            )

    def area_fields(self):
        return [self[f"area_{rank}"] for rank in range(1, INTEREST_RANKS + 1)]

    def clean(self):
        data = super().clean()
        areas = [data.get(f"area_{r}") for r in range(1, INTEREST_RANKS + 1)]
        areas = [a for a in areas if a]
        if len(set(areas)) != len(areas):
            raise forms.ValidationError(_("Setiap bidang hanya boleh dipilih sekali."))
        data["areas"] = areas
        return data


class CounsellingForm(_InmateForm):
    held_on = _date(_("Tanggal sesi"))
    topic = forms.CharField(label=_("Topik"), max_length=200)
    notes = forms.CharField(
        label=_("Catatan (rahasia)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_up_on = forms.DateField(
        label=_("Tindak lanjut pada"), required=False, widget=DateInput()
    )

    def clean(self):
        data = super().clean()
        held, follow = data.get("held_on"), data.get("follow_up_on")
        if held and follow and follow < held:
            self.add_error("follow_up_on", _("Tanggal tindak lanjut tidak boleh sebelum sesi."))
        return data


ENTRY_FORMS = {
    AssessmentKind.PSIKOLOGIS: PsychologicalForm,
    AssessmentKind.LITERASI: LiteracyForm,
    AssessmentKind.MINAT: InterestForm,
    AssessmentKind.KONSELING: CounsellingForm,
}


class AssessmentFilterForm(forms.Form):
    # Chosen by the tabs above the form; kept when the filters are applied.
    kind = forms.ChoiceField(
        choices=AssessmentKind.choices, required=False, widget=forms.HiddenInput
    )
    q = forms.CharField(label=_("Cari WBP"), required=False)
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=None, required=False, empty_label=_("Semua UPT")
    )
    assessor = forms.ModelChoiceField(
        label=_("Asesor"), queryset=None, required=False, empty_label=_("Semua asesor")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Semua status")), *AssessmentStatus.choices],
        required=False,
    )
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput())
    script = forms.ChoiceField(
        label=_("Aksara"), choices=[("", _("Semua aksara")), *Script.choices], required=False
    )
    level = LiteracyLevelField(
        label=_("Tingkat literasi"), to_field_name="code", required=False, empty_label=_("Semua")
    )

    def __init__(self, data=None, *, facilities, assessors, kind="", **kwargs):
        if data is not None:
            data = data.copy()
            data["kind"] = kind  # the tab's kind, also when the address names none
        super().__init__(data, **kwargs)
        self.fields["kind"].initial = kind
        self.fields["facility"].queryset = facilities
        self.fields["assessor"].queryset = assessors
        if len(facilities) < 2:
            del self.fields["facility"]
        if kind != AssessmentKind.LITERASI:
            del self.fields["script"], self.fields["level"]


class SppnSelectForm(forms.Form):
    """Which inmates the SPPN page lists: a block, or every inmate of a facility still due.

    Without a block the page lists the facility's sentenced inmates who have no score for
    the month yet (`selectors.sppn_due`), the list the dashboard counts.
    """

    facility = forms.ModelChoiceField(label=_("UPT"), queryset=None, required=False)
    block = forms.ModelChoiceField(
        label=_("Blok"),
        queryset=None,
        required=False,
        empty_label=_("Semua blok (yang belum dinilai)"),
    )
    month = forms.DateField(
        label=_("Bulan"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    due = forms.BooleanField(label=_("Hanya yang belum dinilai"), required=False)

    def __init__(self, *args, blocks, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = blocks
        # The block's name first (a narrow select cuts the end); the facility only when the
        # user has more than one.
        several = len({b.facility_id for b in blocks}) > 1
        self.fields["block"].label_from_instance = (
            (lambda b: f"{b.name} · {b.facility.name}") if several else (lambda b: b.name)
        )
        self.fields["facility"].queryset = facilities
        self.fields["facility"].empty_label = _("Pilih UPT")
        self.only_facility = facilities.first() if len(facilities) == 1 else None
        if self.only_facility is not None:
            del self.fields["facility"]

    def clean(self):
        data = super().clean()
        block, facility = data.get("block"), data.get("facility") or self.only_facility
        if block is not None:
            if data.get("facility") and data["facility"].pk != block.facility_id:
                raise forms.ValidationError(_("Blok ini bukan blok UPT yang dipilih."))
            facility = block.facility
        elif facility is None:
            raise forms.ValidationError(_("Pilih blok atau UPT."))
        data["facility"] = facility
        month = data.get("month")
        if month is not None:
            data["month"] = month = month.replace(day=1)
            if month > facility.today().replace(day=1):
                self.add_error("month", _("Bulan penilaian tidak boleh di masa depan."))
        return data


WORKLIST_DAYS = 60


class WorklistFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis hak"), choices=EligibilityKind.choices, required=False)
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=None, required=False, empty_label=_("Semua UPT")
    )
    only_eligible = forms.BooleanField(label=_("Hanya yang memenuhi semua syarat"), required=False)
    within = forms.IntegerField(
        label=_("Syarat waktu terpenuhi dalam (hari)"),
        required=False,
        min_value=0,
        max_value=366,
        widget=forms.NumberInput(attrs={"placeholder": WORKLIST_DAYS}),
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        if len(facilities) < 2:
            del self.fields["facility"]

    def clean_within(self):
        within = self.cleaned_data["within"]
        return WORKLIST_DAYS if within is None else within


class RightStepForm(forms.Form):
    """Mark one step of a right's proposal done (the steps still open are offered)."""

    step = forms.ChoiceField(label=_("Langkah"))
    done_on = forms.DateField(label=_("Tanggal selesai"), widget=DateInput())
    reference = forms.CharField(
        label=_("Nomor / rujukan"),
        required=False,
        max_length=200,
        help_text=_("Mis. nomor Litmas, berita acara TPP, SK."),
    )
    note = forms.CharField(label=_("Catatan"), required=False, max_length=300)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.code, s.label) for s in steps]


class SurveyForm(forms.ModelForm):
    class Meta:
        model = FacilitySurvey
        fields = [
            "kind",
            "title",
            "surveyed_on",
            "lead",
            "participants",
            "place",
            "instrument",
            "summary",
            "recommendation",
        ]
        widgets = {
            "surveyed_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.fields["kind"].choices = SurveyKind.choices


class FindingForm(forms.ModelForm):
    due_on = forms.DateField(label=_("Tenggat tindak lanjut"), required=False, widget=DateInput())

    class Meta:
        model = SurveyFinding
        fields = ["title", "severity", "place", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
