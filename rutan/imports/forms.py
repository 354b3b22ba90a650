from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas (CSV atau XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ColumnMappingForm(forms.Form):
    """One choice per header of the file: the kind's column it fills, or nothing."""

    def __init__(self, *args, headers, kind, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— abaikan —"))] + [
            (c.name, f"{c.label} ({c.name})") for c in kind.columns
        ]
        self.headers = {i: h for i, h in enumerate(headers) if h}
        for index, header in self.headers.items():
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False
            )

    def columns(self) -> dict[str, str]:
        return {h: self.cleaned_data[f"column_{i}"] for i, h in self.headers.items()}
