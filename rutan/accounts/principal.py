"""The signed-in user of a request, read from the cache instead of two queries.

Every signed-in request needs the user row (Django checks the session against the password
hash) and the user's memberships (scope and the home facility's timezone). Both are kept in
the cache as one entry per user, dropped whenever the user, one of their memberships or one
of their facilities is saved or deleted (`forget`, connected in AccountsConfig.ready()), at
once and again after the transaction commits, so a request that read the old rows meanwhile
cannot keep them. The entry also expires after PRINCIPAL_CACHE_SECONDS, the bound on how long
a change made while the cache was unreachable can go unseen.

A cache that fails is answered like a miss: the rows come from the database and the request
goes on.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from rutan.core.scoping import scope_table

logger = logging.getLogger(__name__)

KEY = "principal:{}"


def _key(user_id) -> str:
    return KEY.format(user_id)


def load(user_id):
    """The active-or-not user `user_id` with their memberships read, or None."""
    try:
        user = cache.get(_key(user_id))
    except Exception:  # the cache is down: the database answers
        logger.warning("principal cache unreachable on read", exc_info=True)
        user = None
        reachable = False
    else:
        reachable = True
    if user is not None:
        return user
    User = get_user_model()
    try:
        user = User._default_manager.get(pk=user_id)
    except User.DoesNotExist:
        return None
    scope_table(user)  # reads the memberships once, kept on the instance and in the entry
    if reachable:
        try:
            cache.set(_key(user_id), user, settings.PRINCIPAL_CACHE_SECONDS)
        except Exception:
            logger.warning("principal cache unreachable on write", exc_info=True)
    return user


def _drop(user_ids) -> None:
    keys = [_key(pk) for pk in user_ids]
    if not keys:
        return
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("principal cache unreachable on delete", exc_info=True)


def forget(*user_ids) -> None:
    """Drop the cached entries of `user_ids` now and when the current transaction commits."""
    ids = [pk for pk in user_ids if pk is not None]
    _drop(ids)
    transaction.on_commit(lambda: _drop(ids))


def on_user_changed(sender, instance, **kwargs):
    forget(instance.pk)


def on_membership_changed(sender, instance, **kwargs):
    forget(instance.user_id)


def on_facility_changed(sender, instance, **kwargs):
    from .models import Membership

    forget(*Membership.objects.filter(facility=instance).values_list("user_id", flat=True))


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend (password sign-in, permissions) whose `get_user` reads the
    cached entry."""

    def get_user(self, user_id):
        user = load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
