"""`make run`: the web server, a real Celery worker and beat together (honcho); Ctrl-C stops all."""

import os
import shlex
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

DEMO_JOB_NAME = "Demo: interns.tasks.auto_approve_logs setiap menit"


class Command(BaseCommand):
    help = "Run the demo: runserver, a Celery worker (both queues) and beat, until Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        from django_celery_beat.models import IntervalSchedule, PeriodicTask
        from honcho.manager import Manager

        # Demo only: a harmless idempotent job every minute, so beat visibly runs a job soon
        # after start (the production schedule has only daily and monthly jobs).
        every, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
        PeriodicTask.objects.update_or_create(
            name=DEMO_JOB_NAME,
            defaults={
                "task": "interns.tasks.auto_approve_logs",
                "interval": every,
                "enabled": True,
            },
        )
        python = shlex.quote(sys.executable)
        # SQLite takes one writer: the worker runs one task at a time in its own process.
        pool = "--pool=solo" if settings.CELERY_BROKER_URL.startswith("sqla+") else "-c 2"
        manager = Manager()
        manager.add_process(
            "web", f"{python} manage.py runserver --noreload {addr}", env=demo_web_env(os.environ)
        )
        manager.add_process(
            "worker", f"{python} -m celery -A rutan worker -Q interactive,batch {pool} -l info"
        )
        manager.add_process("beat", f"{python} -m celery -A rutan beat -l info")
        manager.loop()
        sys.exit(manager.returncode)


def demo_web_env(environ) -> dict:
    """The demo's web server runs as staff would see it: without Django's debug pages (its
    own 404 and 500 pages instead of the URL list and tracebacks), static files served by
    WhiteNoise from the source folders. DJANGO_DEBUG=true in the environment keeps them."""
    env = dict(environ)
    env.setdefault("DJANGO_DEBUG", "false")
    env.setdefault("WHITENOISE_USE_FINDERS", "true")
    env.setdefault("WHITENOISE_AUTOREFRESH", "true")
    return env
