import importlib

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings

from tests.access.world import build_world
from tests.conftest import _DATA_MIGRATIONS


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for a whole module, rolled back at its end (each test adds a savepoint)."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            for module, func in _DATA_MIGRATIONS:
                getattr(importlib.import_module(module), func)(apps, None)
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
