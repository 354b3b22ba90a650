from django import forms
from django.utils.translation import gettext_lazy as _

from rutan.core.models import JOB_KIND_LABELS

from .models import PERIOD_RE, ReportLanguage, ReportStatus
from .periods import last_month


class MonthInput(forms.TextInput):
    """A native month picker; the value is YYYY-MM in every browser that has one."""

    input_type = "month"


class ReportRequestForm(forms.Form):
    target = forms.ChoiceField(label=_("Laporan untuk"))
    period = forms.RegexField(
        label=_("Periode"),
        regex=PERIOD_RE,
        widget=MonthInput,
        error_messages={"invalid": _("Periode harus berbentuk TTTT-BB, mis. 2026-10.")},
    )
    language = forms.ChoiceField(
        label=_("Bahasa"), choices=ReportLanguage.choices, initial=ReportLanguage.INDONESIAN
    )
    new_version = forms.BooleanField(
        label=_("Buat versi baru walaupun laporan periode ini sudah ada"), required=False
    )

    def __init__(self, *args, facilities, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.facilities = {str(f.pk): f for f in facilities}
        self.regions = {str(r.pk): r for r in regions}
        choices = []
        if self.facilities:
            choices.append((_("UPT"), [(f"f{k}", f.name) for k, f in self.facilities.items()]))
        if self.regions:
            choices.append(
                (_("Kanwil (rekap)"), [(f"r{k}", r.name) for k, r in self.regions.items()])
            )
        self.fields["target"].choices = choices
        first = next(iter(self.facilities.values()), None)
        self.fields["period"].initial = last_month(first.tzinfo if first else None)

    def clean_target(self):
        value = self.cleaned_data["target"]
        kind, pk = value[:1], value[1:]
        target = (self.facilities if kind == "f" else self.regions).get(pk)
        if target is None:
            raise forms.ValidationError(_("Pilih UPT atau Kanwil dari daftar."))
        return target


class ReportFilterForm(forms.Form):
    period = forms.RegexField(
        label=_("Periode"),
        regex=PERIOD_RE,
        widget=MonthInput,
        required=False,
        error_messages={"invalid": _("Periode harus berbentuk TTTT-BB, mis. 2026-10.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua"))] + ReportStatus.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the request form on the same page also has a "period" field.
        kwargs.setdefault("auto_id", "id_filter_%s")
        super().__init__(*args, **kwargs)


class JobFilterForm(forms.Form):
    RESULTS = [
        ("", _("Semua")),
        ("success", _("Berhasil")),
        ("failed", _("Gagal")),
        ("running", _("Berjalan")),
    ]

    kind = forms.ChoiceField(label=_("Tugas"), required=False)
    result = forms.ChoiceField(label=_("Hasil"), choices=RESULTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = sorted(JOB_KIND_LABELS.items(), key=lambda item: str(item[1]))
        self.fields["kind"].choices = [("", _("Semua"))] + kinds
