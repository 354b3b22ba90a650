from html import escape

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .concurrency import row_version
from .models import LiteracyLevel


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO so every browser understands it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedFormMixin:
    """An edit form that carries the version of the row it shows, as a hidden `version`.

    The row is the model form's instance, or `record` for a plain form that edits one.
    The view saves through `rutan.core.views.save_unless_stale`, which refuses a save
    made over someone else's change.
    """

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        record = record if record is not None else getattr(self, "instance", None)
        if version := row_version(record):
            self.fields["version"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=version
            )

    def carry_version(self, record) -> None:
        """Shown again after this request saved `record` in part: carry its new version."""
        if self.is_bound and "version" in self.fields:
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = row_version(record)


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class _LevelsByScript(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for _script, label, levels in self.queryset.tracks():
            yield (label, [self.choice(level) for level in levels])


class LiteracyLevelField(forms.ModelChoiceField):
    """A literacy level as one select with a group per script (Latin, Al-Qur'an).

    Plain forms pass `to_field_name="code"` so that links and posts carry the level's code;
    a model form keeps the id, which is what its initial data holds.
    """

    iterator = _LevelsByScript

    def __init__(self, **kwargs):
        super().__init__(queryset=LiteracyLevel.objects.all(), **kwargs)

    def label_from_instance(self, obj):
        return obj.display_label


class AuditFilterForm(forms.Form):
    """The audit log page's filters (the selector's AuditFilter applies them)."""

    person = forms.CharField(
        label=_("Pelaku"),
        max_length=100,
        required=False,
        help_text=_("Nama atau nama pengguna."),
    )
    inmate = forms.CharField(
        label=_("WBP"), max_length=100, required=False, help_text=_("Nama atau nomor registrasi.")
    )
    object_type = forms.ChoiceField(label=_("Jenis objek"), required=False)
    action = forms.ChoiceField(label=_("Tindakan"), required=False)
    facility = forms.TypedChoiceField(label=_("UPT"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=DateInput)

    def __init__(self, *args, facilities, object_types, actions, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Semua"))]
        self.fields["object_type"].choices = everything + list(object_types)
        self.fields["action"].choices = everything + list(actions)
        if len(facilities) > 1:
            self.fields["facility"].choices = everything + [(f.pk, f.name) for f in facilities]
        else:
            del self.fields["facility"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class FacilitySelect(forms.Select):
    """The facility choice of a region or of the whole country (hundreds of facilities),
    grouped by Kanwil and written in one pass: Django's per-option templates cost about
    a millisecond per ten options, which made a national list page wait for its filter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_of: dict[str, str] = {}

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        groups: dict[str, list[str]] = {}
        for option_value, label in self.choices:
            key = str(getattr(option_value, "value", option_value) or "")
            mark = " selected" if key in selected else ""
            option = f'<option value="{escape(key)}"{mark}>{escape(str(label))}</option>'
            groups.setdefault(self.region_of.get(key, ""), []).append(option)
        parts = groups.pop("", [])
        for region, options in groups.items():
            parts += [f'<optgroup label="{escape(region)}">', *options, "</optgroup>"]
        return mark_safe(f"<select{flatatt(attrs)}>{''.join(parts)}</select>")


def use_facility_select(field, options) -> None:
    """Give a facility ModelChoiceField the fast widget grouped by Kanwil; `options` are
    (id, name, Kanwil name) rows of the field's queryset, in the order to show them."""
    widget = FacilitySelect(attrs=field.widget.attrs)
    widget.choices = [("", field.empty_label)] + [(str(pk), name) for pk, name, _ in options]
    widget.region_of = {str(pk): region for pk, _, region in options}
    field.widget = widget
