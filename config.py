"""Settings read from the environment; every name here is listed in the README."""
from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    return int(value) if value else default


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
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # The directory (LDAP). No LDAP_URL outside production means the demo directory.
        "LDAP_URL": env.get("LDAP_URL", "").strip(),
        "LDAP_START_TLS": _flag(env, "LDAP_START_TLS"),
        "LDAP_CA_FILE": env.get("LDAP_CA_FILE", "").strip() or None,
        "LDAP_TIMEOUT": _int(env, "LDAP_TIMEOUT", 5),
        "LDAP_BIND_DN": env.get("LDAP_BIND_DN", ""),
        "LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        "LDAP_USER_BASE": env.get("LDAP_USER_BASE", ""),
        "LDAP_USER_FILTER": env.get(
            "LDAP_USER_FILTER", "(&(objectClass=inetOrgPerson)(uid={username}))"
        ),
        "LDAP_SYNC_FILTER": env.get("LDAP_SYNC_FILTER", "(objectClass=inetOrgPerson)"),
        "LDAP_ATTR_USERNAME": env.get("LDAP_ATTR_USERNAME", "uid"),
        "LDAP_ATTR_FULL_NAME": env.get("LDAP_ATTR_FULL_NAME", "cn"),
        "LDAP_ATTR_EMAIL": env.get("LDAP_ATTR_EMAIL", "mail"),
        "LDAP_ATTR_TITLE": env.get("LDAP_ATTR_TITLE", "title"),
        "LDAP_ATTR_UNIT": env.get("LDAP_ATTR_UNIT", "departmentNumber"),
        # Công chức / viên chức / người lao động (e.g. employeeType); empty: the admin sets it.
        "LDAP_ATTR_CATEGORY": env.get("LDAP_ATTR_CATEGORY", ""),
        "LDAP_HEAD_GROUP": env.get("LDAP_HEAD_GROUP", ""),
        "LDAP_ADMIN_GROUP": env.get("LDAP_ADMIN_GROUP", ""),
        # The sub-department's leadership: they propose on notices about heads and leaders.
        "LDAP_LEADERSHIP_GROUP": env.get("LDAP_LEADERSHIP_GROUP", ""),
        # Active Directory only: follow nested groups (LDAP_MATCHING_RULE_IN_CHAIN).
        "LDAP_NESTED_GROUPS": _flag(env, "LDAP_NESTED_GROUPS"),
        "LDAP_PAGE_SIZE": _int(env, "LDAP_PAGE_SIZE", 500),
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
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Number of reverse proxies in front of the app whose X-Forwarded-* to trust.
        "PROXY_COUNT": _int(env, "PROXY_COUNT", 0),
        # The CSRF token lives as long as the session, which the idle timeout bounds.
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": env.get("INTRANET_TIMEZONE", "Asia/Ho_Chi_Minh"),
        "LANGUAGES": ("vi", "en"),
        "AGENCY_NAME": env.get("AGENCY_NAME", "Chi cục Kiểm lâm"),
        "PARENT_AGENCY_NAME": env.get("PARENT_AGENCY_NAME", "Sở Nông nghiệp và Môi trường"),
        # Working days (Monday to Friday) a head has to act on a notice once it is recorded.
        "NOTICE_REPLY_WORKING_DAYS": _int(env, "NOTICE_REPLY_WORKING_DAYS", 10),
    }
