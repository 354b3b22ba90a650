"""The fast form renderer writes selects and inputs to the same bytes as Django's templates."""

import datetime
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from rutan.core.renderers import FastWidgetRenderer


class EveryWidget(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": 'a "quoted" <b>'}))
    number = forms.IntegerField(min_value=0, max_value=366)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    moment = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    search = forms.CharField(widget=forms.SearchInput, required=False)
    tel = forms.CharField(widget=forms.TelInput, required=False)
    color = forms.CharField(widget=forms.ColorInput, required=False)
    agree = forms.BooleanField(required=False)
    disabled = forms.CharField(disabled=True, required=False)
    choice = forms.ChoiceField(
        choices=[
            ("", "Semua"),
            ("a&b", "A & <B>"),
            ("Kanwil", [("x", "Blok X"), ("y", mark_safe("<em>Blok Y</em>"))]),
            (3, 3),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("1", "Satu"), ("2", "Dua"), ("3", "Tiga")])
    maybe = forms.NullBooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=[("1", "Satu"), ("2", "Dua")])
    file = forms.FileField(required=False)


BOUND = {
    "text": "<script>alert(1)</script>",
    "number": "12",
    "email": "a@b.id",
    "password": "rahasia&",
    "hidden": '"x"',
    "date": "2026-12-01",
    "moment": "2026-12-01 08:00",
    "time": "08:30",
    "agree": "on",
    "choice": "a&b",
    "many": ["1", "3"],
    "maybe": "true",
    "radio": "2",
}


@pytest.mark.parametrize(
    "form",
    [
        EveryWidget(),
        EveryWidget(BOUND),
        EveryWidget({"number": "x", "choice": "nope"}),
        EveryWidget(initial={"date": datetime.date(2026, 12, 1), "choice": 3}),
    ],
    ids=["unbound", "bound", "invalid", "initial"],
)
def test_every_widget_reads_as_djangos_templates_write_it(form):
    form.is_valid() if form.is_bound else None
    for name in form.fields:
        field = form[name]
        stock = field.as_widget(attrs={"aria-describedby": "help", "required": True})
        form.renderer = FastWidgetRenderer()
        fast = form[name].as_widget(attrs={"aria-describedby": "help", "required": True})
        form.renderer = DjangoTemplates()
        assert fast == stock, name


def test_selects_and_inputs_do_not_reach_the_template_engine():
    form = EveryWidget(BOUND, renderer=FastWidgetRenderer())
    with mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError) as engine:
        for name in ("text", "number", "date", "agree", "choice", "many", "maybe", "hidden"):
            str(form[name])
    assert engine.call_count == 0
    # Radio buttons and text areas still go to Django's templates.
    with mock.patch.object(DjangoTemplates, "render", return_value="") as engine:
        str(form["radio"]), str(form["note"])
    assert engine.call_count == 2


def test_the_project_renders_its_forms_with_it(settings):
    assert forms.Form().renderer.__class__ is FastWidgetRenderer
