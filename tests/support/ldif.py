"""The one LDIF builder for generated directories (the load and bench scripts, for slapd):
the organisation, the intranet's service account, staff and the heads' and admins' groups."""
from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass

from .ldap_server import DEFAULT_SERVICE_DN, DEFAULT_SERVICE_PASSWORD, DEFAULT_SUFFIX

STAFF_BASE = f"ou=staff,{DEFAULT_SUFFIX}"
HEADS_GROUP = f"cn=unit-heads,ou=groups,{DEFAULT_SUFFIX}"
ADMINS_GROUP = f"cn=org-admins,ou=groups,{DEFAULT_SUFFIX}"
PERSON_CLASSES = ("top", "person", "organizationalPerson", "inetOrgPerson")


def ssha(password: str, salt: bytes | None = None) -> str:
    """An OpenLDAP {SSHA} hash (salted SHA-1), so slapd really checks each password."""
    salt = os.urandom(8) if salt is None else salt
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def ldif_line(name: str, value: str) -> str:
    """One attribute line; non-ASCII values are base64, as RFC 2849 requires."""
    if value.isascii() and value.isprintable() and not value.startswith((" ", ":", "<")):
        return f"{name}: {value}"
    return f"{name}:: {base64.b64encode(value.encode()).decode()}"


def entry(dn: str, attributes: list[tuple[str, str]]) -> str:
    return "\n".join([ldif_line("dn", dn), *(ldif_line(n, v) for n, v in attributes)]) + "\n"


@dataclass(frozen=True)
class DirectoryPerson:
    username: str
    full_name: str
    unit: str
    password_hash: str  # ssha(...): hashing 20,000 passwords is the caller's choice
    is_head: bool = False
    is_admin: bool = False

    @property
    def dn(self) -> str:
        return f"uid={self.username},{STAFF_BASE}"


def directory_ldif(people: Iterable[DirectoryPerson], *, organisation: str,
                   service_salt: bytes | None = None) -> str:
    """A whole directory: the suffix, its three branches, the service account, the people and
    the two groups, as the app's settings for these scripts expect (STAFF_BASE, the groups)."""
    people = list(people)

    def person(p: DirectoryPerson) -> str:
        return entry(p.dn, [("objectClass", c) for c in PERSON_CLASSES] + [
            ("uid", p.username), ("cn", p.full_name), ("sn", p.full_name.split()[0]),
            ("mail", f"{p.username}@rangers.test"),
            ("title", "Hạt trưởng" if p.is_head else "Kiểm lâm viên"),
            ("departmentNumber", p.unit), ("userPassword", p.password_hash),
        ])

    def group(dn: str, members: list[str]) -> str:
        return entry(dn, [("objectClass", "groupOfNames"), ("cn", dn.split(",")[0][3:])]
                     + [("member", m) for m in members])

    parts = [
        entry(DEFAULT_SUFFIX, [("objectClass", "dcObject"), ("objectClass", "organization"),
                               ("dc", "rangers"), ("o", organisation)]),
        *(entry(f"ou={ou},{DEFAULT_SUFFIX}", [("objectClass", "organizationalUnit"), ("ou", ou)])
          for ou in ("staff", "groups", "services")),
        entry(DEFAULT_SERVICE_DN, [("objectClass", "organizationalRole"),
                                   ("objectClass", "simpleSecurityObject"), ("cn", "svc-intranet"),
                                   ("userPassword", ssha(DEFAULT_SERVICE_PASSWORD, service_salt))]),
        *(person(p) for p in people),
        group(HEADS_GROUP, [p.dn for p in people if p.is_head]),
        group(ADMINS_GROUP, [p.dn for p in people if p.is_admin]),
    ]
    return "\n".join(parts)
