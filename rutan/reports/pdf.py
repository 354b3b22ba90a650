"""Render a report to PDF with WeasyPrint, fetching nothing but the project's static files."""

from django.template.loader import render_to_string

from rutan.core.pdf import html_to_pdf

from .models import ReportScope
from .selectors import facility_report_context, regional_report_context


def render_html(run) -> str:
    if run.scope == ReportScope.FACILITY:
        return render_to_string("reports/pdf/facility.html", facility_report_context(run))
    return render_to_string("reports/pdf/regional.html", regional_report_context(run))


def render_report_pdf(run, progress=lambda value: None) -> bytes:
    """The PDF bytes of `run`, in the language active when called."""
    progress(20)
    html = render_html(run)
    progress(60)
    pdf = html_to_pdf(html)
    progress(95)
    return pdf
