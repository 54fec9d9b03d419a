"""The machine's Redis for the tests of a shared cache: G2G_TEST_REDIS_URL (default database 5
of the local server, never 0). Without it those tests are skipped, unless REQUIRE_POSTGRES=1
(CI), which makes a missing Redis an error as it does a missing PostgreSQL. Each test keeps its
keys under a prefix of its own and deletes them afterwards: the database is never flushed."""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("G2G_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=10)


def require_redis() -> None:
    import redis

    try:
        redis_client().ping()
    except (redis.RedisError, OSError) as error:
        message = f"Redis does not answer at {REDIS_URL} (G2G_TEST_REDIS_URL): {error}"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{message}; REQUIRE_POSTGRES=1 needs it")
        pytest.skip(message)


def new_prefix() -> str:
    return f"g2g-test-{uuid.uuid4().hex}"


def delete_keys(prefix: str) -> None:
    client = redis_client()
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)
