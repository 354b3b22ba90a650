"""Sessions kept in the database and read from the cache (Django's cached_db), answering a
cache that fails like a miss.

Django's cached_db store already reads past a failing cache, but a failing cache still ends
a sign-in's first read and a sign-out with an error. Here every cache call that fails is
logged and the database answers. A cached copy lives at most SESSION_CACHE_SECONDS, so a
session ended (signed out, expired) while the cache could not be reached is not honoured
from a stale copy for longer than that once the cache answers again.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def _cache_seconds(self, age) -> int:
        return max(0, min(int(age), settings.SESSION_CACHE_SECONDS))

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            logger.warning("session cache unreachable on read", exc_info=True)
            data = None
        if data is not None:
            return data
        s = self._get_session_from_db()
        if not s:
            return {}
        data = self.decode(s.session_data)
        try:
            self._cache.set(
                self.cache_key, data, self._cache_seconds(self.get_expiry_age(expiry=s.expire_date))
            )
        except Exception:
            logger.warning("session cache unreachable on write", exc_info=True)
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("session cache unreachable on exists", exc_info=True)
        return super(CachedDBStore, self).exists(session_key)

    def save(self, must_create=False):
        super(CachedDBStore, self).save(must_create)
        try:
            self._cache.set(
                self.cache_key, self._session, self._cache_seconds(self.get_expiry_age())
            )
        except Exception:
            logger.warning("session cache unreachable on write", exc_info=True)

    def delete(self, session_key=None):
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning("session cache unreachable on delete", exc_info=True)
