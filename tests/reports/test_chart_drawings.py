"""Charts that read: the stage chart top-down in the stages' order, and a drawing for a
phone's width that the page picks below 40em (the PDF keeps the wide one)."""

import re

from django.urls import reverse

from rutan.inmates.choices import STAGE_ORDER, CoachingStage
from rutan.reports import charts


def label_positions(svg: bytes, labels: list[str]) -> dict[str, float]:
    """The y of each category label in the drawing (pygal writes them as <text y=…>)."""
    found = {}
    for y, body in re.findall(rb'<text[^>]*?y="([\d.]+)"[^>]*>([^<]+)</text>', svg):
        name = body.decode().strip()
        if name in labels and name not in found:
            found[name] = float(y)
    return found


def test_stage_chart_reads_top_down_in_the_stages_order():
    stages = {stage: i + 1 for i, stage in enumerate(STAGE_ORDER)}
    chart = charts.stage_mix_chart(stages, 9)
    labels = [str(CoachingStage(s).label) for s in STAGE_ORDER] + ["Belum berputusan"]
    for svg in (chart.svg, chart.phone_svg):
        y = label_positions(svg, labels)
        assert sorted(y, key=y.get) == labels, y


def test_each_chart_has_a_phone_drawing_of_the_phone_s_width():
    drawn = [
        charts.stage_mix_chart({}, 1),
        charts.occupancy_chart([{"name": "Rutan A", "population": 3, "capacity": 5}]),
        charts.pillar_chart({}, {}, metric_label="Peserta"),
    ]
    for chart in drawn:
        assert b'viewBox="0 0 360 ' in chart.phone_svg
        assert b'viewBox="0 0 640 ' in chart.svg
        assert chart.phone_data_uri.startswith("data:image/svg+xml;base64,")


def test_the_dashboard_offers_the_phone_drawing_below_40em(client, kepala, balikpapan):
    client.force_login(kepala)
    page = client.get(reverse("dashboard:facility_panel", args=[balikpapan.pk])).content.decode()
    pictures = re.findall(r"<picture>(.*?)</picture>", page, re.S)
    assert pictures
    for picture in pictures:
        assert '<source media="(max-width: 40em)" srcset="data:image/svg+xml;base64,' in picture
        assert 'width="360"' in picture.split("<img")[0]
        assert '<img class="chart" src="data:image/svg+xml;base64,' in picture


def test_the_phone_occupancy_chart_names_places_flat_and_the_wide_one_in_full():
    rows = [
        {"name": "Rutan Kelas IIA Balikpapan", "population": 203, "capacity": 300},
        {"name": "Rutan Kelas IIB Ruteng", "population": 90, "capacity": 120},
    ]
    chart = charts.occupancy_chart(rows)
    assert b"Rutan Kelas IIA Balikpapan" in chart.svg
    assert b">Balikpapan<" in chart.phone_svg and b">Ruteng<" in chart.phone_svg
    assert b"Rutan Kelas IIB Ruteng" not in chart.phone_svg
    assert b"rotate(" not in chart.phone_svg.split(b'<g class="axis x')[1].split(b"</g>")[0]
    assert charts._short_place("Kanwil Ditjenpas Kalimantan Timur") == "Kalimantan Timur"
