"""/healthz: is the process up, does the database answer, does the directory let us in.

One JSON answer for both probes. A directory outage only makes it "degraded" (HTTP 200):
signed-in staff keep working without the directory, and a load balancer that restarted
every worker over it would only make things worse. The database is what the app cannot
do without, so only its failure gives 503. Nothing but the three words is said: no
versions, host names or error texts for an unauthenticated caller.

With the sign-in limits kept in Redis, a fourth, "rate_limits", says whether Redis answers;
without it the app counts per process (degraded, still serving).
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify

from .database.engine import database_answers
from .directory import current_directory
from .extensions import csrf, limiter
from .rate_limits import is_per_process

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)
csrf.exempt(bp)

OK = "ok"
ERROR = "error"


def directory_answers() -> bool:
    """A bind of the service account, bounded by LDAP_TIMEOUT (connect and receive)."""
    try:
        return current_directory().is_reachable()
    except Exception as error:  # noqa: BLE001 - as above: a check never raises
        log.warning("health check: directory check failed: %s", type(error).__name__)
        return False


def rate_limit_store_answers() -> bool | None:
    """Whether the shared limit store (Redis) answers; None when counts are per process."""
    if is_per_process(current_app.config["RATELIMIT_STORAGE_URI"]):
        return None
    try:
        return bool(limiter.storage.check())
    except Exception as error:  # noqa: BLE001 - as above: a check never raises
        log.warning("health check: rate-limit store check failed: %s", type(error).__name__)
        return False


@bp.route("/healthz", methods=["GET"])
def healthz() -> tuple[Response, int]:
    database = database_answers()
    directory = directory_answers()
    rate_limits = rate_limit_store_answers()
    body: dict[str, object] = {
        "status": OK if database and directory and rate_limits is not False else "degraded",
        "database": OK if database else ERROR,
        "directory": OK if directory else ERROR,
    }
    if rate_limits is not None:
        body["rate_limits"] = OK if rate_limits else ERROR
    if current_app.config.get("LDAP_PLAINTEXT") and current_app.config["INTRANET_ENV"] == "production":
        # Allowed by LDAP_ALLOW_PLAINTEXT=1, and said wherever someone looks.
        body["warnings"] = ["directory_plaintext"]
    return jsonify(body), 200 if database else 503
