"""Render a report to PDF with WeasyPrint, fetching nothing but the project's static files."""

from django.template.loader import render_to_string
from django.utils import timezone

from rutan.core.pdf import html_to_pdf

from .models import ReportScope
from .selectors import facility_report_context, regional_report_context, stored_figures

STYLESHEET = "pdf/report.css"


def render_html(run) -> str:
    """The report's HTML; a facility report also leaves its figures on `run.figures`, for
    the regional roll-up to reuse."""
    if run.scope == ReportScope.FACILITY:
        context = facility_report_context(run)
        run.figures = stored_figures(context["row"])
        template = "reports/pdf/facility.html"
    else:
        context = regional_report_context(run)
        template = "reports/pdf/regional.html"
    # Times print in the scope's own timezone, whatever the worker's is (it is UTC there).
    with timezone.override(context["generated_at"].tzinfo):
        return render_to_string(template, context)


def report_html_to_pdf(html: str) -> bytes:
    """WeasyPrint alone: the PDF of a report's rendered HTML, with the reports' stylesheet."""
    return html_to_pdf(html, stylesheets=(STYLESHEET,))


def render_report_pdf(run, progress=lambda value: None) -> bytes:
    """The PDF bytes of `run`, in the language active when called."""
    progress(20)
    html = render_html(run)
    progress(60)
    pdf = report_html_to_pdf(html)
    progress(95)
    return pdf
