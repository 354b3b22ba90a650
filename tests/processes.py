"""Helpers of the tests that start real processes (workers, beats) on the test database."""

import time

from django.db import connection


def database_url() -> str:
    """The test database as a URL, for a process started beside the test."""
    db = connection.settings_dict
    return "postgres://{}@{}:{}/{}".format(
        db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
    )


def wait_until(predicate, timeout: float, what: str, interval: float = 0.3):
    """`predicate()`'s first true value within `timeout` seconds, else an AssertionError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what} not within {timeout:.0f} s")
