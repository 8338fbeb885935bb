"""A small fixed-window request counter for forms that axes does not cover
(password reset): ``throttle_hit`` counts one request against each key and
says whether any key is over its limit."""

from __future__ import annotations

import hashlib

from django.core.cache import caches

CACHE_ALIAS = "throttle"


def _cache_key(scope: str, key: str) -> str:
    # Hashed: the keys carry email addresses, and cache keys must be short and plain.
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()}"


def throttle_hit(*, scope: str, keys: list[str], limit: int, window_seconds: int) -> bool:
    """Count one request for every key; True when one of them has now gone past ``limit``
    within its window (the window starts with a key's first request)."""
    cache = caches[CACHE_ALIAS]
    over = False
    for key in keys:
        cache_key = _cache_key(scope, key)
        cache.add(cache_key, 0, timeout=window_seconds)
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # Expired between add and incr: this request opens a new window.
            cache.set(cache_key, 1, timeout=window_seconds)
            count = 1
        over = over or count > limit
    return over
