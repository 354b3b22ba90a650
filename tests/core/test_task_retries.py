"""Issue 16, point 6: a scheduled job that meets a database or broker error is retried (with
backoff) and, run again, does its work once; each attempt leaves its own closed JobRun."""

from unittest import mock

import pytest
from celery import current_app
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError

from interns import tasks as intern_tasks
from partners import tasks as partner_tasks
from rutan.core.models import JobRun

JOBS = [
    (intern_tasks.auto_approve_logs, "interns.services.logs_auto_approve"),
    (partner_tasks.expire_agreements, "partners.services.agreements_expire_due"),
    (partner_tasks.send_expiry_alerts, "partners.services.agreement_alerts_send"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), BrokerError])
@pytest.mark.parametrize(("task", "work"), JOBS, ids=lambda v: getattr(v, "name", v))
def test_a_job_that_meets_an_outage_is_retried_and_then_does_its_work(task, work, error):
    with mock.patch(work, side_effect=[error, 3]) as service:
        result = task.apply(throw=False)  # as a worker runs it: retries, no propagation
    assert result.successful(), result.traceback
    assert result.get() == 3
    assert service.call_count == 2
    runs = list(JobRun.objects.order_by("started_at", "pk").values("success", "processed", "error"))
    assert len(runs) == 2, runs
    assert runs[0]["success"] is False and runs[0]["error"], runs  # the failed attempt, closed
    assert runs[1]["success"] is True and runs[1]["processed"] == 3, runs


@pytest.mark.django_db(transaction=True)
def test_a_job_that_keeps_failing_gives_up_after_its_retries():
    # Each retry runs inline as a fresh apply(): none may propagate, as in a worker.
    propagates = current_app.conf.task_eager_propagates
    current_app.conf.task_eager_propagates = False
    try:
        with mock.patch(
            "partners.services.agreements_expire_due", side_effect=OperationalError("down")
        ) as service:
            result = partner_tasks.expire_agreements.apply(throw=False)
    finally:
        current_app.conf.task_eager_propagates = propagates
    assert result.failed()
    assert service.call_count == partner_tasks.expire_agreements.max_retries + 1
    assert not JobRun.objects.filter(success=True).exists()


def test_retries_back_off_and_are_capped():
    task = partner_tasks.expire_agreements
    assert task.retry_backoff and task.retry_jitter
    assert task.retry_backoff_max == 600
