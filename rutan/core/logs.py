"""What the logs say about requests, tasks and slow SQL statements (docs/observability.md).

A request is one `request_finished` event (django-structlog's RequestMiddleware) with the
request id, the user's numeric id, the user's facility id, method, path, status and
duration. Never in a log: usernames, e-mail addresses, query strings, request bodies, the
user agent, and the client address unless LOG_CLIENT_IP is on.

A Celery task logs `task_received` (worker), `task_started`, `task_succeeded`,
`task_failed`, `task_retrying` with the task's name, id, queue and duration, and the
request id, user id and facility id of the request that asked for it (carried in the task
message's headers by django-structlog, and through the outbox by `OutboxMessage.request_id`).
"""

import time

import structlog
from celery import current_app
from celery import signals as celery_signals
from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django_structlog import signals as request_signals
from django_structlog.celery import signals as task_signals
from django_structlog.celery.receivers import CeleryReceiver

from .middleware import client_address

slow_sql_logger = structlog.get_logger("rutan.sql.slow")
task_logger = structlog.get_logger("rutan.tasks")

# What a task run inline (eager: tests, CELERY_TASK_ALWAYS_EAGER) keeps of its caller's context.
CARRIED = ("request_id", "user_id", "facility_id")
SQL_MAX_CHARS = 1000


def _elapsed_ms(started: float | None) -> int | None:
    return None if started is None else round((time.monotonic() - started) * 1000)


def _describe(request, log_kwargs: dict) -> None:
    """Method and path only: the query string may hold names or NIK."""
    log_kwargs.pop("request", None)
    log_kwargs.pop("user_agent", None)
    log_kwargs["method"] = request.method
    log_kwargs["path"] = request.path[:300]


@receiver(request_signals.bind_extra_request_metadata, dispatch_uid="rutan.core.logs.started")
def _request_started(request, log_kwargs, **kwargs):
    request.log_started = time.monotonic()
    # The request's own id (AuditContextMiddleware): the caller's X-Request-ID when
    # well-formed, the one in the audit log and in the X-Request-ID answered.
    if getattr(request, "request_id", None):
        structlog.contextvars.bind_contextvars(request_id=request.request_id)
    if settings.LOG_CLIENT_IP:
        structlog.contextvars.bind_contextvars(ip=client_address(request))
    _describe(request, log_kwargs)


@receiver(
    request_signals.bind_extra_request_finished_metadata, dispatch_uid="rutan.core.logs.finished"
)
def _request_finished(request, response, log_kwargs, **kwargs):
    _describe(request, log_kwargs)
    log_kwargs["status"] = log_kwargs.pop("code", response.status_code)
    log_kwargs["duration_ms"] = _elapsed_ms(getattr(request, "log_started", None))


@receiver(request_signals.bind_extra_request_failed_metadata, dispatch_uid="rutan.core.logs.failed")
def _request_failed(request, log_kwargs, **kwargs):
    _describe(request, log_kwargs)
    log_kwargs["status"] = log_kwargs.pop("code", 500)
    log_kwargs["duration_ms"] = _elapsed_ms(getattr(request, "log_started", None))


def _queue(request, name: str) -> str | None:
    delivery = getattr(request, "delivery_info", None) or {}
    if delivery.get("routing_key"):
        return delivery["routing_key"]
    route = settings.CELERY_TASK_ROUTES.get(name, {})
    return route.get("queue", current_app.conf.task_default_queue)


@receiver(task_signals.bind_extra_task_metadata, dispatch_uid="rutan.core.logs.task")
def _task_context(task, **kwargs):
    caller = getattr(task.request, "rutan_caller_context", None) or {}
    structlog.contextvars.bind_contextvars(
        task=task.name,
        queue=_queue(task.request, task.name),
        **{key: caller[key] for key in CARRIED if key in caller},
    )


class TaskEvents(CeleryReceiver):
    """django-structlog's task events, in the worker and for a task run inline.

    A task run inline runs inside its caller (a request): its events carry the caller's
    request id, and the caller's context is put back once the task has run.
    """

    def receiver_task_prerun(self, task_id, task, *args, **kwargs):
        if task.request.is_eager:
            task.request.rutan_caller_context = structlog.contextvars.get_contextvars()
        super().receiver_task_prerun(task_id, task, *args, **kwargs)

    def receiver_task_postrun(self, task=None, **kwargs):
        caller = getattr(getattr(task, "request", None), "rutan_caller_context", None)
        if caller is not None:
            structlog.contextvars.clear_contextvars()
            structlog.contextvars.bind_contextvars(**caller)

    def receiver_task_received(self, request=None, **kwargs):
        """The worker took a message (main process; the pool runs it later)."""
        context = (request.request_dict or {}).get("__django_structlog__") or {}
        task_logger.info(
            "task_received",
            task=request.name,
            task_id=request.id,
            queue=_queue(request, request.name),
            **{key: context[key] for key in CARRIED if key in context},
        )

    def connect(self) -> None:
        # Publishing is django-structlog's (DJANGO_STRUCTLOG_CELERY_ENABLED).
        for signal, handler in (
            (celery_signals.task_received, self.receiver_task_received),
            (celery_signals.task_prerun, self.receiver_task_prerun),
            (celery_signals.task_postrun, self.receiver_task_postrun),
            (celery_signals.task_retry, self.receiver_task_retry),
            (celery_signals.task_success, self.receiver_task_success),
            (celery_signals.task_failure, self.receiver_task_failure),
            (celery_signals.task_revoked, self.receiver_task_revoked),
            (celery_signals.task_unknown, self.receiver_task_unknown),
            (celery_signals.task_rejected, self.receiver_task_rejected),
        ):
            signal.connect(handler, weak=False, dispatch_uid=f"rutan.core.logs.{signal.name}")


TaskEvents().connect()


def slow_query_logger(execute, sql, params, many, context):
    """Log a statement slower than SLOW_QUERY_MS: its text (cut), never its parameters."""
    limit = settings.SLOW_QUERY_MS
    if not limit:
        return execute(sql, params, many, context)
    started = time.monotonic()
    try:
        return execute(sql, params, many, context)
    finally:
        elapsed = (time.monotonic() - started) * 1000
        if elapsed >= limit:
            slow_sql_logger.warning(
                "slow_query",
                duration_ms=round(elapsed),
                sql=" ".join(str(sql).split())[:SQL_MAX_CHARS],
                many=many,
                database=context["connection"].alias,
            )


@receiver(connection_created, dispatch_uid="rutan.core.logs.slow_query")
def _watch_slow_queries(sender, connection, **kwargs):
    # Every new connection of every thread and process (web, worker, beat, commands).
    if slow_query_logger not in connection.execute_wrappers:
        connection.execute_wrappers.append(slow_query_logger)
