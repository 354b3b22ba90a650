"""One fault stack for every fault test of the session (starting one costs minutes: a
PostgreSQL, a Redis, migrations and the demo data). The fault tests are excluded from the
ordinary run (pyproject: -m "not faults"); run them with `pytest -m faults tests/faults`
(without -n: one stack per xdist worker would be wasted) or through `make chaos`."""

import pytest

from .harness import Stack, missing_binaries


@pytest.fixture(scope="session")
def stack():
    if missing := missing_binaries():
        pytest.skip(f"fault stack needs {', '.join(missing)}")
    with Stack() as running:
        yield running


@pytest.fixture
def report_worker(stack):
    """Scenarios that kill the worker leave the ordinary one running behind them."""
    from .scenarios import restore_worker

    yield stack
    restore_worker(stack)
