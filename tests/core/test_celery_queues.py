"""Tasks are routed by name: a report goes to `batch`, an import to `interactive`."""

from unittest import mock

from rutan.celery import app


def _queue_of(name):
    return app.amqp.router.route({}, name)["queue"].name


def test_router_sends_reports_to_batch_and_imports_to_interactive():
    assert _queue_of("reports.build_report_run") == "batch"
    assert _queue_of("reports.monthly_batch") == "batch"
    assert _queue_of("imports.run") == "interactive"
    assert _queue_of("some.unrouted_task") == "interactive"


def test_apply_async_publishes_to_the_routed_queue(settings):
    from rutan.imports.tasks import import_run
    from rutan.reports.tasks import build_report_run

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        with mock.patch.object(app.amqp, "send_task_message") as send:
            build_report_run.apply_async(args=[1])
            import_run.apply_async(args=[1, False])
    finally:
        app.conf.task_always_eager = True
    names = [call.kwargs["queue"].name for call in send.call_args_list]
    assert names == ["batch", "interactive"]
