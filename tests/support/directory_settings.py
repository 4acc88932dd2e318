"""The test directory's names (tests/ldap/test.ldif) and the app's settings to reach a slapd
serving it (tests/support/ldap_server.py)."""
from __future__ import annotations

from .ldap_server import DEFAULT_SERVICE_DN, DEFAULT_SERVICE_PASSWORD, DEFAULT_SUFFIX

SUFFIX = DEFAULT_SUFFIX
STAFF = f"ou=staff,{SUFFIX}"
HEADS = f"cn=unit-heads,ou=groups,{SUFFIX}"
ADMINS = f"cn=org-admins,ou=groups,{SUFFIX}"


def ldap_settings(url: str, **overrides: object) -> dict[str, object]:
    settings: dict[str, object] = {
        "LDAP_URL": url,
        "LDAP_BIND_DN": DEFAULT_SERVICE_DN,
        "LDAP_BIND_PASSWORD": DEFAULT_SERVICE_PASSWORD,
        "LDAP_USER_BASE": STAFF,
        "LDAP_HEAD_GROUP": HEADS,
        "LDAP_ADMIN_GROUP": ADMINS,
        "LDAP_TIMEOUT": 2,
        "LDAP_PAGE_SIZE": 2,  # several pages even for the small test directory
    }
    settings.update(overrides)
    return settings
