"""Django's Redis cache, except that Redis out of reach is a cache miss, not a failed page.

Everything the app caches can be computed again (a chart is kept under what it shows, the plan
overview's figures under the plan's revision), so while Redis is down or does not answer within
`SOCKET_TIMEOUT_SECONDS`, pages are drawn afresh, more slowly, and each failure is logged as a
warning; once Redis is back the next request uses it (docs/deploy.md, "Scaling out")."""

from __future__ import annotations

import logging

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)
SOCKET_TIMEOUT_SECONDS = 1.0


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as error:
            _unreachable("read", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as error:
            _unreachable("write", error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as error:
            _unreachable("write", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as error:
            _unreachable("delete", error)
            return False


def _unreachable(doing: str, error: Exception) -> None:
    logger.warning("Cache (Redis) unreachable, could not %s: %s", doing, error)
