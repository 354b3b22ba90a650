"""Server-side SVG charts (pygal): the dashboard and the PDF show the very same objects.

A chart is embedded as a data: image (allowed by the CSP, no script, its style inside the
SVG) and always carries a text alternative that says what the bars show.
"""

import base64
import math
import re
from dataclasses import dataclass

import pygal
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pygal.style import Style

from rutan.core.choices import Pillar
from rutan.inmates.choices import STAGE_ORDER, CoachingStage

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2937",
    foreground_strong="#111827",
    foreground_subtle="#6b7280",
    colors=("#1d4e89", "#93b4dc", "#c2410c", "#15803d", "#7c3aed", "#0e7490"),
    font_family="Liberation Sans, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=13,
    title_font_size=15,
)


# Full pillar names overlap under narrow bars; the text alternative keeps the full names.
PILLAR_SHORT = {
    Pillar.KEPRIBADIAN: gettext_lazy("Kepribadian"),
    Pillar.KEMANDIRIAN: gettext_lazy("Kemandirian"),
    Pillar.REHABILITASI: gettext_lazy("Rehabilitasi"),
    Pillar.ASIMILASI: gettext_lazy("Asimilasi"),
}


# A phone shows a chart about 330 px wide: drawn for 360 px, its 13 px labels stay 12 px on
# the screen instead of shrinking to a third (the page picks it with <picture>).
PHONE_WIDTH = 360


@dataclass(frozen=True)
class Chart:
    title: str
    svg: bytes
    alt: str
    height: int = 300
    phone_svg: bytes = b""
    phone_height: int = 300

    @property
    def data_uri(self) -> str:
        return _data_uri(self.svg)

    @property
    def phone_data_uri(self) -> str:
        return _data_uri(self.phone_svg) if self.phone_svg else ""


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# Drawn 360 wide and shown about 300 wide, 16 px labels read as 13 px ones.
PHONE_STYLE = Style(
    **{
        **{k: getattr(STYLE, k) for k in ("background", "plot_background", "foreground")},
        "foreground_strong": STYLE.foreground_strong,
        "foreground_subtle": STYLE.foreground_subtle,
        "colors": STYLE.colors,
        "font_family": STYLE.font_family,
        "label_font_size": 16,
        "major_label_font_size": 16,
        "value_font_size": 15,
        "legend_font_size": 16,
        "title_font_size": 17,
    }
)


def _phone(chart, **options) -> bytes:
    """The same chart drawn for a phone's width (the PDF and a desktop use the wide one)."""
    return chart.render(width=PHONE_WIDTH, style=PHONE_STYLE, **options)


def _config(chart_class, **options):
    return chart_class(
        style=STYLE,
        js=[],
        disable_xml_declaration=False,
        width=options.pop("width", 640),
        height=options.pop("height", 320),
        legend_at_bottom=True,
        print_values=options.pop("print_values", True),
        print_zeroes=False,
        show_y_guides=True,
        truncate_label=-1,
        truncate_legend=-1,
        **options,
    )


def _int_ticks(values) -> list[int]:
    """Whole-number axis ticks: people and sessions are counted, never fractions."""
    top = max([v or 0 for v in values] + [1])
    step = max(1, math.ceil(top / 5))
    return list(range(0, top + step, step))


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def stage_mix_chart(stages: dict, no_stage: int = 0) -> Chart:
    """How many inmates are in each coaching stage (detainees without a sentence apart)."""
    title = _("Tahap pembinaan")
    # Bars lie down, read top to bottom in the stages' order, as the text and the table are
    # (pygal draws the first label at the bottom); the category lines stay off the labels.
    chart = _config(pygal.HorizontalBar, show_legend=False, height=260, show_x_guides=False)
    labels = [str(CoachingStage(stage).label) for stage in STAGE_ORDER] + [_("Belum berputusan")]
    values = [stages.get(stage, 0) for stage in STAGE_ORDER] + [no_stage]
    chart.x_labels = labels[::-1]
    chart.add(_("WBP"), values[::-1])
    chart.y_labels = _int_ticks(values)
    parts = [f"{label}: {_n(value)}" for label, value in zip(labels, values, strict=True)]
    alt = _("Grafik batang jumlah WBP per tahap pembinaan. %(parts)s.") % {
        "parts": "; ".join(parts)
    }
    return Chart(title, chart.render(), alt, 260, _phone(chart, height=300), 300)


_PLACE = re.compile(
    r"^(?:Kanwil (?:Ditjenpas )?"
    r"|(?:Rutan|Lapas|LPKA|LPP)(?: Perempuan| Narkotika)?(?: Kelas \S+)? )"
)


def _short_place(name: str) -> str:
    """A facility or Kanwil by its place: "Rutan Kelas IIB Ruteng" → "Ruteng"."""
    return _PLACE.sub("", name) or name


def occupancy_chart(rows: list[dict]) -> Chart:
    """Population beside capacity for each facility or Kanwil (rows: name, population,
    capacity). Past eight rows the bars lie down, one line each, so every name stays
    readable (a Kanwil is named by its province)."""
    title = _("Penghuni dan kapasitas")
    drawn = rows
    if len(rows) > 8:
        height = 80 + 28 * len(rows)
        chart = _config(pygal.HorizontalBar, height=height, print_values=False)
        drawn = rows[::-1]  # pygal draws the first label at the bottom: keep the table's order
    else:
        height = 300
        chart = _config(pygal.Bar, height=height, x_label_rotation=0)
    chart.x_labels = [str(row["name"]).removeprefix("Kanwil ") for row in drawn]
    chart.add(_("Penghuni"), [row["population"] for row in drawn])
    chart.add(_("Kapasitas"), [row["capacity"] for row in drawn])
    chart.y_labels = _int_ticks([r["capacity"] for r in rows] + [r["population"] for r in rows])
    parts = [
        _("%(name)s %(population)s dari kapasitas %(capacity)s")
        % {"name": r["name"], "population": _n(r["population"]), "capacity": _n(r["capacity"])}
        for r in rows
    ]
    alt = _("Grafik batang penghuni dan kapasitas per UPT. %(parts)s.") % {
        "parts": "; ".join(parts)
    }
    # On a phone the names lie flat (a slanted one eats the plot) and say only the place
    # ("Rutan Kelas IIA Balikpapan" → "Balikpapan"; the table and the text name it in full),
    # the legend in one row.
    wide = chart.render()
    if len(rows) <= 8:
        chart.x_labels = [_short_place(str(row["name"])) for row in drawn]
    phone = _phone(chart, x_label_rotation=0, legend_at_bottom_columns=2)
    return Chart(title, wide, alt, height, phone, height)


def pillar_chart(
    current: dict, previous: dict, *, metric_label: str, integer: bool = True
) -> Chart:
    """A figure per pillar this month beside last month (dicts keyed by Pillar value)."""
    title = metric_label
    chart = _config(pygal.Bar, height=300)
    chart.x_labels = [str(PILLAR_SHORT[p]) for p in Pillar.values]
    chart.add(_("Bulan lalu"), [previous.get(p) for p in Pillar.values])
    chart.add(_("Bulan ini"), [current.get(p) for p in Pillar.values])
    if integer:
        chart.y_labels = _int_ticks(list(current.values()) + list(previous.values()))
    else:
        chart.range = (0, 100)
        chart.y_labels = [0, 25, 50, 75, 100]

    def fmt(value):
        return "–" if value is None else _n(value)

    parts = [
        _("%(pillar)s: bulan ini %(now)s, bulan lalu %(before)s")
        % {"pillar": Pillar(p).label, "now": fmt(current.get(p)), "before": fmt(previous.get(p))}
        for p in Pillar.values
    ]
    alt = _("Grafik batang %(metric)s per pilar. %(parts)s.") % {
        "metric": metric_label.lower(),
        "parts": "; ".join(parts),
    }
    return Chart(title, chart.render(), alt, 300, _phone(chart, x_label_rotation=30))
