"""Issue 16, point 6: Redis stopped while users write; nothing asked for is lost."""

import pytest

from . import scenarios

pytestmark = pytest.mark.faults


def test_writes_during_a_broker_outage_are_answered_and_delivered_later(stack):
    outcome = scenarios.redis_down_writes(stack, rounds=3)
    found = outcome.found
    answers = found["answers during the outage"]
    assert not [status for status in answers if status >= 500], outcome.text()
    # 3 rounds × 4 writes, each redirected to what it saved.
    assert answers.get(302) == 12, outcome.text()
    pending = found["outbox pending while Redis is down"]
    assert pending.get("imports.run") == 3, outcome.text()
    assert pending.get("reports.build_report_run") == 3, outcome.text()
    assert not [key for key in found["outbox after"] if not key.endswith(" done")], outcome.text()
    assert found["imports (acknowledged → status)"].startswith("3 → "), outcome.text()
    assert "'queued'" not in found["imports (acknowledged → status)"], outcome.text()
    assert found["reports (acknowledged → status)"] == "3 → {'done': 3}", outcome.text()
    assert found["attendance saves acknowledged/found"] == "3/3", outcome.text()
    assert found["intern logs acknowledged/found"] == "3/3", outcome.text()
    assert outcome.ok, outcome.text()
