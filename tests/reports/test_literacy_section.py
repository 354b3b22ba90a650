"""The report's literacy levels are counted per script, one table per track."""

import datetime

from django.template.loader import render_to_string

from rutan.reports.sections import assessment_figures, facility_sections
from rutan.reports.selectors import Period
from tests.factories import LiteracyAssessmentFactory, literacy_level


def test_levels_are_counted_per_script(october, kepala, django_assert_max_num_queries):
    ahmad, rina = october.inmates.order_by("name")[:2]
    day = datetime.date(2026, 10, 9)
    for inmate, script, code in [
        (ahmad, "latin", "paket_b"),
        (ahmad, "arab_quran", "quran_buta_aksara"),
        (rina, "arab_quran", "quran_buta_aksara"),
        (rina, "latin", "paket_b"),
    ]:
        LiteracyAssessmentFactory(
            inmate=inmate,
            assessor=kepala,
            assessed_on=day,
            script=script,
            level=literacy_level(code),
        )
    LiteracyAssessmentFactory(
        inmate=rina,
        assessor=kepala,
        assessed_on=day,
        status="draft",
        level=literacy_level("paket_c"),
    )
    with django_assert_max_num_queries(6):
        figures = assessment_figures([october.pk], day.replace(day=1), day.replace(day=31))
    assert figures[october.pk]["literacy"] == 4
    section = next(
        s
        for s in facility_sections(facility=october, period=Period.of("2026-10"))
        if s["key"] == "assessments"
    )
    latin, quran = section["literacy_tracks"]
    assert latin["title"] == "Tingkat literasi aksara Latin (asesmen bulan ini)"
    assert dict(latin["levels"]) == {
        "Buta aksara": 0,
        "Keaksaraan dasar": 0,
        "Keaksaraan usaha mandiri": 0,
        "Multikeaksaraan": 0,
        "Paket A": 0,
        "Paket B": 2,
        "Paket C": 0,
    }
    assert quran["title"] == "Tingkat literasi aksara Arab / Al-Qur'an (asesmen bulan ini)"
    assert [n for _label, n in quran["levels"]] == [2, 0, 0, 0, 0]
    html = render_to_string("reports/pdf/sections/assessments.html", {"s": section})
    assert html.count("<table>") == 3
    assert 'Buta aksara Al-Qur&#x27;an</td><td class="num">2' in html
