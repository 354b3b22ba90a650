"""Server-side SVG charts, embedded as data URIs (no script, allowed by the CSP)."""

import base64

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2937",
    foreground_strong="#111827",
    foreground_subtle="#6b7280",
    colors=("#1d4e89",),
    font_family="DejaVu Sans, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    title_font_size=14,
)


def attendance_chart(series) -> str:
    """Attendance per recorded session (percent) as an SVG data URI; "" when nothing yet."""
    if not series:
        return ""
    chart = pygal.Bar(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        height=260,
        width=720,
        range=(0, 100),
        x_label_rotation=40,
        print_values=False,
        title=_("Kehadiran per sesi (%)"),
    )
    chart.x_labels = [s.session.date.strftime("%d/%m") for s in series]
    chart.add(_("Hadir"), [s.rate or 0 for s in series])
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
