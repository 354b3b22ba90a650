"""Issue 16, point 6: PostgreSQL restarted during a burst: 503 with Retry-After, no 500."""

import pytest

from . import scenarios

pytestmark = pytest.mark.faults


def test_a_database_restart_answers_503_and_recovers_without_a_restart(stack):
    outcome = scenarios.postgres_restart_burst(stack, down_for=10)
    found = outcome.found
    assert found["5xx other than 503"] == 0, outcome.text()
    answered, total = (int(n) for n in found["503 with Retry-After"].split("/"))
    assert answered == total, outcome.text()
    # The outage was seen (a burst that never met it proves nothing) ...
    assert total > 0, outcome.text()
    # ... and everything after it is answered normally by the same processes.
    for kind in ("html", "api"):
        assert set(found[f"after {kind}"]) == {200}, outcome.text()
    assert found["worker alive after"] and found["beat alive after"], outcome.text()
    assert outcome.ok, outcome.text()
