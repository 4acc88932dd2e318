"""Where the sign-in limits are counted, and why production refuses a per-process count."""
from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

# A Redis that stops answering must not hold a sign-in for long: after this many seconds the
# limiter falls back to counting in the process's memory until Redis is back.
REDIS_TIMEOUT_SECONDS = 2


def is_per_process(uri: str) -> bool:
    return uri.startswith("memory://")


def configure_storage(config: MutableMapping[str, Any]) -> str | None:
    """Set the limiter's storage options; return why production must not start, if it must not.

    `memory://` keeps counts in each worker's memory, so N workers grant N times the
    attempts (SECURITY.md, "Rate limits"): production refuses it with more than one worker.
    """
    uri = config["RATELIMIT_STORAGE_URI"]
    if uri.startswith(("redis://", "rediss://", "redis+unix://")):
        config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS",
            {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        )
        # With Redis down, sign-in keeps working with per-process counts (logged), rather than
        # failing for everyone; the shared counts resume when Redis answers again.
        config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    production = config["INTRANET_ENV"] == "production"
    workers = config["WEB_CONCURRENCY"]
    if production and is_per_process(uri) and workers > 1 and not config["RATELIMIT_ALLOW_MEMORY"]:
        return (
            f"RATELIMIT_STORAGE_URI={uri} đếm riêng trong từng tiến trình, mà có {workers} "
            f"tiến trình (WEB_CONCURRENCY): dùng redis://… / memory:// counts per process and "
            f"{workers} workers are configured: use redis://… (or RATELIMIT_ALLOW_MEMORY=1)"
        )
    return None
