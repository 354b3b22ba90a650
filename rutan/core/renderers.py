"""The form renderer (FORM_RENDERER): Django's, with its plainest widgets written in Python.

A `<select>` costs Django's template engine three templates per option (the option, its
attributes) and an `<input>` two; on a list page that is most of the time spent on its filter
form. Selects whose options are all Django's `select_option.html`, and inputs rendered by
Django's own `input.html` (text, number, date, e-mail, password, hidden, checkbox…), are
written here to the same bytes; every other template goes to Django's templates
(tests/core/test_renderers.py compares both on every kind of widget).
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
# Django's templates that are nothing but {% include "django/forms/widgets/input.html" %}.
INPUT_TEMPLATES = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    )
}
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"


def _attrs(attrs: dict) -> str:
    """Django's attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{conditional_escape(option["value"])}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>"
    )


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            # select_option.html ends with a newline, which the include keeps.
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FastWidgetRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer; selects and inputs written without templates."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUT_TEMPLATES:
                return mark_safe(_input(widget))
            if template_name == SELECT:
                written = _select(widget)
                if written is not None:
                    return mark_safe(written)
        return super().render(template_name, context, request)
