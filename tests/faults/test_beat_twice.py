"""Issue 16, point 6: beat started twice; each scheduled job still runs once per tick."""

import pytest

from . import scenarios

pytestmark = pytest.mark.faults


def test_two_beats_run_each_job_once(stack):
    outcome = scenarios.beat_twice(stack)
    ticks = outcome.found["ticks in the window"]
    ran = outcome.found["runs in the window"]
    assert ticks - 1 <= ran <= ticks + 1, outcome.text()
    assert outcome.ok, outcome.text()
