"""The English catalogue counts: "1 day", "2 days"; a chart's pillar is named in English."""

from django.utils import translation

from assessments.eligibility.rules import duration_text
from rutan.core.choices import Pillar
from rutan.inmates.reckoning import months_days
from rutan.reports import charts


def test_durations_are_singular_for_one_and_plural_otherwise():
    with translation.override("en"):
        assert months_days(1, 1) == "1 month 1 day"
        assert months_days(2, 5) == "2 months 5 days"
        assert duration_text(13) == "1 year 1 month"
        assert duration_text(24) == "2 years"
    with translation.override("id"):
        assert months_days(1, 1) == "1 bulan 1 hari"


def test_chart_pillars_are_named_in_the_reader_s_language():
    with translation.override("en"):
        assert str(charts.PILLAR_SHORT[Pillar.REHABILITASI]) == "Rehabilitation"
        chart = charts.pillar_chart({}, {}, metric_label="Participants")
        assert b"Rehabilitation" in chart.svg and b"Rehabilitasi" not in chart.svg


def test_scores_are_rounded_half_up_and_written_in_the_reader_s_decimals():
    from assessments.eligibility.rules import fmt_score

    with translation.override("id"):
        assert fmt_score(71.666) == "71,7" and fmt_score(59.95) == "60,0"
    with translation.override("en"):
        assert fmt_score(71.666) == "71.7"


def test_a_kind_inside_a_phrase_is_lower_case_but_an_acronym_is_kept(client, db):
    from django.template import Context, Template

    template = Template("{% load rutan_format %}Catat {{ k|lower_first }}")
    assert template.render(Context({"k": "Asesmen psikologis"})) == "Catat asesmen psikologis"
    assert template.render(Context({"k": "SPPN bulanan"})) == "Catat SPPN bulanan"


def test_programme_requirements_are_joined_without_a_stray_separator(balikpapan):
    from programmes.models import Programme

    programme = Programme(facility=balikpapan, eligible_stages=["asimilasi", "integrasi"])
    assert programme.requirement_labels() == ["tahap Asimilasi, Integrasi"]
    programme.eligible_sex = "P"
    assert programme.requirement_labels() == ["khusus perempuan", "tahap Asimilasi, Integrasi"]
    assert Programme(facility=balikpapan).requirement_labels() == []
