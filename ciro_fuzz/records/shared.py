"""Campaigns across machines share Hypothesis's example database through its own Redis backend."""

from __future__ import annotations

from ciro_fuzz.errors import ConfigError


def redis_database(url: str):
    """A RedisExampleDatabase for ``redis://host:port/db``; a one-line error when Redis is unreachable."""
    try:
        import redis
        from hypothesis.extra.redis import RedisExampleDatabase
    except ImportError as exc:  # pragma: no cover - redis is a declared dependency
        raise ConfigError(f"the Redis example database needs the redis package ({exc}); run `make setup`") from exc
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ConfigError(f"Redis at {url} is unreachable ({exc.__class__.__name__}); start redis-server or fix --database") from exc
    return RedisExampleDatabase(client, key_prefix=b"ciro-fuzz")
