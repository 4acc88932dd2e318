"""The demo directory: ldap3's in-process mock server loaded from demo.ldif.

Only the default for trying the app; the sign-in code that uses it is the
production code, unchanged.
"""
from __future__ import annotations

import functools
import re
import uuid
from pathlib import Path

from flask_babel import lazy_gettext as _l
from ldap3 import OFFLINE_SLAPD_2_4, Connection, Server
from ldif import LDIFParser

DEMO_LDIF = Path(__file__).with_name("demo.ldif")
DEMO_SUFFIX = "dc=kiemlam,dc=gov,dc=vn"

# Applied to the settings only where the operator left them empty.
DEMO_SETTINGS = {
    "LDAP_USER_BASE": f"ou=people,{DEMO_SUFFIX}",
    "LDAP_BIND_DN": f"cn=intranet,ou=system,{DEMO_SUFFIX}",
    "LDAP_BIND_PASSWORD": "demo-service",
    "LDAP_HEAD_GROUP": f"cn=heads,ou=groups,{DEMO_SUFFIX}",
    "LDAP_ADMIN_GROUP": f"cn=admins,ou=groups,{DEMO_SUFFIX}",
    "LDAP_LEADERSHIP_GROUP": f"cn=leadership,ou=groups,{DEMO_SUFFIX}",
}


@functools.cache
def demo_server() -> Server:
    """One mock server per process; every connection to it shares its entries."""
    server = Server("demo-directory", get_info=OFFLINE_SLAPD_2_4)
    loader = Connection(server, client_strategy="MOCK_SYNC")
    with DEMO_LDIF.open("rb") as ldif:
        for dn, entry in LDIFParser(ldif).parse():
            # slapd gives every entry an entryUUID of its own; so does the demo, stable per DN.
            entry.setdefault("entryUUID", [str(uuid.uuid5(uuid.NAMESPACE_URL, dn.lower()))])
            loader.strategy.add_entry(dn, entry)
    return server


ROLE_LABELS = {"admin": _l("Quản trị viên"), "head": _l("Thủ trưởng đơn vị"), "employee": _l("Công chức, viên chức, người lao động")}


@functools.cache
def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, role, name, unit) from the "Demo accounts" table in the LDIF's header."""
    accounts = []
    in_table = False
    for line in DEMO_LDIF.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if text.startswith("Demo accounts"):
            in_table = True
            continue
        if in_table and not text:
            break
        columns = re.split(r"\s{2,}", text)
        if in_table and len(columns) == 4 and columns[0] in ROLE_LABELS:
            role, username, name, unit = columns
            accounts.append((username, role, name, unit))
    return accounts
