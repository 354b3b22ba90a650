import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Session
from rutan.core.forms import DateInput, VersionedFormMixin
from rutan.core.roles import Perm
from rutan.core.scoping import facility_ids_for
from rutan.facilities.models import Block, Facility, FollowUpSource, FollowUpStatus

from . import selectors
from .models import ASSESSMENT_LINKS, ActivityLog, LogStatus, LogType, MonthlyEvaluation
from .photos import MAX_PHOTOS


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to five photos in one input; their content is checked by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Paling banyak %(n)s foto per kegiatan.") % {"n": MAX_PHOTOS}
            )
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


class ActivityLogForm(VersionedFormMixin, forms.ModelForm):
    """The phone form. Everything is optional for a draft; submission checks completeness."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)
    photos = MultiplePhotoField(
        label=_("Foto (maks. 5)"),
        required=False,
        help_text=_("JPEG, PNG atau WebP, paling besar 8 MB per foto."),
    )
    remove_photos = forms.MultipleChoiceField(
        label=_("Hapus foto"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ActivityLog
        fields = [
            "on",
            "start_time",
            "end_time",
            "hours",
            "log_type",
            "block",
            "place",
            "people_reached",
            "description",
            "findings",
            "session",
            "psych_assessment",
            "literacy_assessment",
        ]
        widgets = {
            "on": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "hours": forms.NumberInput(attrs={"step": "0.25", "min": "0", "inputmode": "decimal"}),
            "people_reached": forms.NumberInput(attrs={"min": "0", "inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "findings": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "hours": _("Kosongkan bila jam mulai dan selesai diisi."),
            "findings": _(
                "Mis. panel listrik rusak, kekurangan gizi menu. Temuan diteruskan ke UPT "
                "sebagai tindak lanjut."
            ),
        }

    def __init__(self, *args, intern, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.on is None:
            self.initial["on"] = timezone.localdate(timezone.now(), intern.batch.facility.tzinfo)
        self.fields["on"].required = False
        self.fields["log_type"].choices = [("", _("— pilih jenis —")), *LogType.choices]
        self.fields["block"].queryset = Block.objects.filter(facility=intern.batch.facility)
        self.fields["block"].empty_label = _("— bukan di blok —")
        batch = intern.batch
        self.fields["session"].queryset = (
            Session.objects.filter(
                programme__facility=batch.facility, date__range=(batch.start_on, batch.end_on)
            )
            .select_related("programme")
            .order_by("-date", "-start_time")
        )
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.date:%d-%m-%Y} {s.start_time:%H:%M} · {s.programme}"
        )
        self.fields["session"].empty_label = _("— tidak terkait sesi program —")
        self._offer_assessments(intern)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("client_key", self.instance.client_key)
        elif self.instance.pk:
            self.initial["client_key"] = self.instance.client_key
        photos = list(self.instance.photos.all()) if self.instance.pk else []
        self.existing_photos = photos
        self.fields["remove_photos"].choices = [(str(p.pk), str(p.pk)) for p in photos]
        if not photos:
            del self.fields["remove_photos"]

    def _offer_assessments(self, intern):
        """Offer only the assessments the intern may link; hide a link with nothing to offer."""
        for name, log_type in ASSESSMENT_LINKS.items():
            field = self.fields[name]
            field.queryset = selectors.linkable_assessments(intern=intern, field=name)
            if not getattr(self.instance, f"{name}_id") and not field.queryset.exists():
                del self.fields[name]
                continue
            field.label_from_instance = _assessment_label
            field.empty_label = _("— tidak terkait asesmen —")
            field.help_text = _("Hanya untuk kegiatan jenis %(type)s.") % {
                "type": LogType(log_type).label
            }

    def log_data(self) -> dict:
        """The cleaned log fields, for the service."""
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        if data.get("on") is None:
            data.pop("on", None)
        return data


def _assessment_label(assessment) -> str:
    day = f"{assessment.assessed_on:%d-%m-%Y}"
    return f"{day} · {assessment.inmate.name} · {assessment.get_status_display()}"


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Catatan untuk peserta"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila catatan dikembalikan."),
    )


class BulkApproveForm(forms.Form):
    logs = forms.ModelMultipleChoiceField(
        queryset=ActivityLog.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih minimal satu catatan.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logs"].queryset = queryset


class EvaluationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = MonthlyEvaluation
        fields = ["discipline", "initiative", "competence", "teamwork", "comment"]
        widgets = {
            name: forms.NumberInput(attrs={"min": 1, "max": 5, "inputmode": "numeric"})
            for name in ["discipline", "initiative", "competence", "teamwork"]
        } | {"comment": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"discipline": _("Nilai 1 (kurang) sampai 5 (sangat baik).")}


class InternCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=200)
    username = forms.SlugField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Huruf kecil, angka, tanda - atau _; dipakai untuk masuk."),
    )
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("Tautan untuk membuat kata sandi dikirim ke alamat ini.")
    )
    campus = forms.CharField(label=_("Perguruan tinggi"), max_length=200)
    study_programme = forms.CharField(label=_("Program studi"), max_length=200)
    unit = forms.CharField(label=_("Unit penempatan"), max_length=200, required=False)
    mentor = forms.ModelChoiceField(
        label=_("Mentor"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = selectors.mentor_candidates(facility=batch.facility)


class LogbookPeriodForm(forms.Form):
    start = forms.DateField(label=_("Dari"), widget=DateInput())
    end = forms.DateField(label=_("Sampai"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                raise forms.ValidationError(_("Tanggal akhir tidak boleh sebelum tanggal awal."))
            if (data["end"] - data["start"]).days > 400:
                raise forms.ValidationError(_("Periode paling panjang satu tahun."))
        return data

    @staticmethod
    def month_of(day: datetime.date) -> dict:
        start = day.replace(day=1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return {"start": start, "end": end}


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua status")), *LogStatus.choices]
    )
    log_type = forms.ChoiceField(
        label=_("Jenis"), required=False, choices=[("", _("Semua jenis")), *LogType.choices]
    )


class ReviewQueueFilterForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), required=False, empty_label=_("Semua UPT")
    )

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        if len(facilities) < 2:
            del self.fields["facility"]


class FollowUpFilterForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("UPT"), queryset=Facility.objects.none(), required=False, empty_label=_("Semua UPT")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Semua status")), ("active", _("Belum selesai")), *FollowUpStatus.choices],
    )
    owner = forms.ModelChoiceField(
        label=_("Penanggung jawab"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Semua"),
    )
    source = forms.ChoiceField(
        label=_("Sumber"),
        required=False,
        choices=[("", _("Semua sumber")), *FollowUpSource.choices],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff_of(user)
        facilities = Facility.objects.for_user(user, Perm.FOLLOWUP_MANAGE).order_by("name")
        self.fields["facility"].queryset = facilities
        if len(facilities) < 2:
            del self.fields["facility"]


def _staff_of(user):
    ids = facility_ids_for(user, Perm.FOLLOWUP_MANAGE)
    qs = get_user_model().objects.filter(is_active=True)
    if ids is not None:
        qs = qs.filter(memberships__facility__in=ids)
    return qs.exclude(memberships__role="intern").distinct().order_by("full_name", "username")


class FollowUpForm(VersionedFormMixin, forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Penanggung jawab"), queryset=get_user_model().objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Tenggat"), widget=DateInput(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices)
    resolution = forms.CharField(
        label=_("Penyelesaian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila status Selesai."),
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, record=item, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__facility=item.facility_id)
            .exclude(memberships__role="intern")
            .distinct()
            .order_by("full_name", "username")
        )
