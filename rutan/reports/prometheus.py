"""The reports' Prometheus metrics (served at /metrics by rutan.core.metrics)."""

from prometheus_client import Histogram
from prometheus_client.core import GaugeMetricFamily

from rutan.core.metrics import count_by

from .models import ReportRun, ReportStatus

# Observed by the process that built the run (a Celery worker): see the multi-process note
# in docs/observability.md.
BUILD_SECONDS = Histogram(
    "rutan_report_build_duration_seconds",
    "Time to build a report run, from its claim to done or failed.",
    labelnames=["status"],
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800),
)


class ReportCollector:
    """Report runs by status, read at scrape time (one grouped count)."""

    def collect(self):
        runs = GaugeMetricFamily("rutan_report_runs", "Report runs by status.", labels=["status"])
        for status, n in count_by(ReportRun.objects, "status", ReportStatus.values).items():
            runs.add_metric([status], n)
        yield runs
