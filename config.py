"""Settings read from the environment; every name here is listed in the README."""
from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any


# Where the agency is: its "today" starts at 17:00 UTC of the day before.
AGENCY_TIMEZONE = "Asia/Ho_Chi_Minh"


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    return int(value) if value else default


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _share(env: Mapping[str, str], name: str, default: float) -> float:
    """A share written as "10%" or "0.1"."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if value.endswith("%"):
        return float(value[:-1]) / 100
    return float(value)


def settings_from_env(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The app's settings; the defaults suit `make run` (SQLite, demo directory)."""
    env = os.environ if env is None else env
    intranet_env = env.get("INTRANET_ENV", "development").strip().lower() or "development"
    production = intranet_env == "production"
    idle_minutes = _int(env, "SESSION_IDLE_MINUTES", 30)
    return {
        "INTRANET_ENV": intranet_env,
        "SECRET_KEY": env.get("SECRET_KEY", ""),
        # Empty means "a SQLite file in the instance folder", resolved by the factory.
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", "").strip(),
        # PostgreSQL: off behind a pooler that gives each transaction another server session
        # and does not keep prepared statements for it (README, "PostgreSQL behind a pooler").
        "DATABASE_PREPARED_STATEMENTS": _flag(env, "DATABASE_PREPARED_STATEMENTS", True),
        # The directory (LDAP). No LDAP_URL outside production means the demo directory.
        "LDAP_URL": env.get("LDAP_URL", "").strip(),
        # openldap (the default) or active_directory: the filters, attributes and account
        # rules below default to that kind of server's (intranet/directory/settings.py).
        "LDAP_SERVER_TYPE": env.get("LDAP_SERVER_TYPE", "").strip().lower() or "openldap",
        "LDAP_START_TLS": _flag(env, "LDAP_START_TLS"),
        "LDAP_CA_FILE": env.get("LDAP_CA_FILE", "").strip() or None,
        # Production refuses plain ldap:// without StartTLS unless this is set.
        "LDAP_ALLOW_PLAINTEXT": _flag(env, "LDAP_ALLOW_PLAINTEXT"),
        "LDAP_TIMEOUT": _int(env, "LDAP_TIMEOUT", 5),
        # A server that timed out or refused is tried last for this many seconds.
        "LDAP_RETRY_AFTER": _int(env, "LDAP_RETRY_AFTER", 60),
        "LDAP_BIND_DN": env.get("LDAP_BIND_DN", ""),
        "LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        # One or more bases, separated by ";".
        "LDAP_USER_BASE": env.get("LDAP_USER_BASE", ""),
        # None: the server type's preset.
        "LDAP_USER_FILTER": _optional(env, "LDAP_USER_FILTER"),
        "LDAP_SYNC_FILTER": _optional(env, "LDAP_SYNC_FILTER"),
        "LDAP_ATTR_ID": _optional(env, "LDAP_ATTR_ID"),
        "LDAP_ATTR_USERNAME": _optional(env, "LDAP_ATTR_USERNAME"),
        "LDAP_ATTR_FULL_NAME": _optional(env, "LDAP_ATTR_FULL_NAME"),
        "LDAP_ATTR_EMAIL": _optional(env, "LDAP_ATTR_EMAIL"),
        "LDAP_ATTR_TITLE": _optional(env, "LDAP_ATTR_TITLE"),
        "LDAP_ATTR_UNIT": _optional(env, "LDAP_ATTR_UNIT"),
        "LDAP_HEAD_GROUP": env.get("LDAP_HEAD_GROUP", ""),
        "LDAP_ADMIN_GROUP": env.get("LDAP_ADMIN_GROUP", ""),
        # The sub-department's leadership: they propose on notices about heads and leaders.
        "LDAP_LEADERSHIP_GROUP": env.get("LDAP_LEADERSHIP_GROUP", ""),
        # Công chức / viên chức / người lao động (e.g. employeeType); empty: the admin sets it.
        "LDAP_ATTR_CATEGORY": env.get("LDAP_ATTR_CATEGORY", ""),
        # Follow nested groups (LDAP_MATCHING_RULE_IN_CHAIN); on by default on Active Directory.
        "LDAP_NESTED_GROUPS": (
            _flag(env, "LDAP_NESTED_GROUPS") if _optional(env, "LDAP_NESTED_GROUPS") else None
        ),
        # Active Directory: the NetBIOS domain of "DOMAIN\user" and the UPN suffix of
        # "user@suffix"; by default read from the first user base's dc= parts.
        "LDAP_AD_DOMAIN": env.get("LDAP_AD_DOMAIN", "").strip(),
        "LDAP_UPN_SUFFIX": env.get("LDAP_UPN_SUFFIX", "").strip(),
        "LDAP_PAGE_SIZE": _int(env, "LDAP_PAGE_SIZE", 500),
        # A sync that would take more than this share of active staff off the roster waits
        # for an admin's confirmation: "10%" or "0.1".
        "LDAP_SYNC_MAX_LEAVERS": _share(env, "LDAP_SYNC_MAX_LEAVERS", 0.10),
        # Sessions: signed out after this many idle minutes; no remember-me cookie.
        "SESSION_IDLE_MINUTES": idle_minutes,
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle_minutes),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag(env, "SESSION_COOKIE_SECURE", production),
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Failed sign-ins allowed per username and per client address. Keep the first
        # below the directory's own lockout threshold, so the app can't lock accounts.
        "LOGIN_LIMIT_PER_USERNAME": env.get("LOGIN_LIMIT_PER_USERNAME", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": env.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://").strip(),
        # Redis keys start with this, so one Redis can serve other apps as well.
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "intranet").strip(),
        # memory:// counts per process: production refuses it with more than one worker
        # (WEB_CONCURRENCY, which deploy/gunicorn.conf.py sets to the workers it runs)
        # unless this says the operator knows.
        "RATELIMIT_ALLOW_MEMORY": _flag(env, "RATELIMIT_ALLOW_MEMORY"),
        "WEB_CONCURRENCY": _int(env, "WEB_CONCURRENCY", 1),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Number of reverse proxies in front of the app whose X-Forwarded-* to trust.
        "PROXY_COUNT": _int(env, "PROXY_COUNT", 0),
        # The CSRF token lives as long as the session, which the idle timeout bounds.
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": env.get("INTRANET_TIMEZONE", AGENCY_TIMEZONE),
        "LANGUAGES": ("vi", "en"),
        # Working days (Monday to Friday) a head has to act on a notice once it is recorded.
        "NOTICE_REPLY_WORKING_DAYS": _int(env, "NOTICE_REPLY_WORKING_DAYS", 10),
        # Email reminders (intranet/reminders/). Off: messages go to the console, nothing is mailed.
        "REMINDERS_ENABLED": _flag(env, "REMINDERS_ENABLED"),
        "REMINDERS_PERIOD": env.get("REMINDERS_PERIOD", "monthly").strip().lower() or "monthly",
        "REMINDERS_PENDING_DAYS": _int(env, "REMINDERS_PENDING_DAYS", 30),
        # The admin's button sends at most this many per click; the timer sends the rest.
        "REMINDERS_WEB_LIMIT": _int(env, "REMINDERS_WEB_LIMIT", 300),
        # Where the links in a message point: the address staff open the intranet at.
        "APP_BASE_URL": env.get("APP_BASE_URL", "").strip().rstrip("/"),
        "MAIL_SERVER": env.get("MAIL_SERVER", "localhost").strip(),
        "MAIL_PORT": _int(env, "MAIL_PORT", 0),  # 0: 465 with SSL, else 587 with TLS, else 25
        "MAIL_USE_TLS": _flag(env, "MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag(env, "MAIL_USE_SSL"),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_FROM": env.get("MAIL_FROM", "").strip(),
        "MAIL_TIMEOUT": _int(env, "MAIL_TIMEOUT", 30),
    }
