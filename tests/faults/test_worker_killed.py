"""Issue 16, point 6: a worker killed mid-report (a pool process, or the whole worker)."""

import pytest

from . import scenarios

pytestmark = pytest.mark.faults


def _survived(outcome):
    found = outcome.found
    assert found["run status"] == "done", outcome.text()
    assert found["done runs of the period"] == 1, outcome.text()
    assert found["report files of the period"] == 1, outcome.text()
    assert found["attempts (claims)"] >= 2, outcome.text()
    assert found["killed attempt's job row"] == "closed", outcome.text()
    assert found["killed attempt's job success"] is False, outcome.text()
    assert found["seconds to finish after the kill"] <= scenarios.DELIVERY_TIMEOUT
    assert outcome.ok, outcome.text()


def test_pool_process_killed_mid_report_is_built_once(report_worker):
    _survived(scenarios.worker_child_killed(report_worker))


def test_whole_worker_killed_mid_report_is_built_once_by_the_next(report_worker):
    _survived(scenarios.whole_worker_killed(report_worker))
