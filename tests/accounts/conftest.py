from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import pytest


@pytest.fixture(autouse=True)
def _own_throttle_cache(settings) -> None:
    """Each test counts password-reset requests in a cache of its own, never
    in Redis, where counts would outlive the test."""
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-throttle-{uuid.uuid4()}",
        },
    }


@pytest.fixture
def security_events(caplog: pytest.LogCaptureFixture) -> Callable[[], list[dict]]:
    """Return a function that reads back the security events logged so far."""
    caplog.set_level("INFO", logger="suunta.security")

    def events() -> list[dict]:
        return [json.loads(r.getMessage()) for r in caplog.records if r.name == "suunta.security"]

    return events
