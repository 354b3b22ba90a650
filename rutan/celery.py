import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rutan.settings.base")

app = Celery("rutan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _django_logging(**kwargs):
    """Workers and beat log through Django's LOGGING (JSON in production), not Celery's own:
    a receiver here stops Celery from replacing the root logger's handlers."""
    import logging
    import logging.config

    from django.conf import settings

    # django.setup() has applied LOGGING already in a worker; apply it only where it has not.
    if not logging.getLogger().handlers:
        logging.config.dictConfig(settings.LOGGING)
