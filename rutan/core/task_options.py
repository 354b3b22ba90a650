"""The options every Celery task of the project shares.

Tasks are acknowledged after they ran (a worker killed mid-task leaves the message to be
delivered again), and retried with a growing, capped delay when the database or the broker
fails. Every task must therefore be idempotent: delivered twice, or retried after a partial
run, it leaves the same result as once.
"""

from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

RETRY_ON = (OperationalError, InterfaceError, BrokerOperationalError, ConnectionError)

TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": RETRY_ON,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}
