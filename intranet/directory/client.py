"""Talking to the LDAP directory with ldap3: search-then-bind sign-in and the staff listing."""
from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ldap3 import BASE, FIRST, NONE, SUBTREE, Connection, Server, ServerPool, Tls
from ldap3.core.exceptions import (
    LDAPException,
    LDAPPasswordIsMandatoryError,
    LDAPSASLPrepError,
)
from ldap3.utils.config import set_config_parameter
from ldap3.utils.conv import escape_filter_chars

log = logging.getLogger(__name__)

# ldap3 sleeps this long between rounds over a server pool; we make one round only,
# so a directory that is down answers at once instead of after 10 s.
set_config_parameter("POOLING_LOOP_TIMEOUT", 0)

# Longer than any real username; longer input is refused without asking the directory.
MAX_USERNAME_LENGTH = 256
IN_CHAIN = "1.2.840.113556.1.4.1941"  # Active Directory's LDAP_MATCHING_RULE_IN_CHAIN


class DirectoryUnavailable(Exception):
    """No directory server answered, or the service account was refused."""


class InvalidCredentials(Exception):
    """Unknown user or wrong password: deliberately one error for both."""


@dataclass(frozen=True)
class DirectoryPerson:
    dn: str
    username: str
    full_name: str
    email: str | None
    title: str | None
    unit_name: str | None
    is_head: bool
    is_admin: bool
    is_leader: bool = False
    category: str | None = None


@dataclass(frozen=True)
class DirectorySettings:
    user_base: str
    user_filter: str
    sync_filter: str
    bind_dn: str
    bind_password: str
    attr_username: str
    attr_full_name: str
    attr_email: str
    attr_title: str
    attr_unit: str
    attr_category: str
    head_group: str
    admin_group: str
    leadership_group: str
    nested_groups: bool
    start_tls: bool
    timeout: int
    page_size: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DirectorySettings:
        return cls(
            user_base=config["LDAP_USER_BASE"],
            user_filter=config["LDAP_USER_FILTER"],
            sync_filter=config["LDAP_SYNC_FILTER"],
            bind_dn=config["LDAP_BIND_DN"],
            bind_password=config["LDAP_BIND_PASSWORD"],
            attr_username=config["LDAP_ATTR_USERNAME"],
            attr_full_name=config["LDAP_ATTR_FULL_NAME"],
            attr_email=config["LDAP_ATTR_EMAIL"],
            attr_title=config["LDAP_ATTR_TITLE"],
            attr_unit=config["LDAP_ATTR_UNIT"],
            attr_category=config.get("LDAP_ATTR_CATEGORY", ""),
            head_group=config["LDAP_HEAD_GROUP"],
            admin_group=config["LDAP_ADMIN_GROUP"],
            leadership_group=config.get("LDAP_LEADERSHIP_GROUP", ""),
            nested_groups=config["LDAP_NESTED_GROUPS"],
            start_tls=config["LDAP_START_TLS"],
            timeout=config["LDAP_TIMEOUT"],
            page_size=config["LDAP_PAGE_SIZE"],
        )

    @property
    def attributes(self) -> list[str]:
        return [
            self.attr_username,
            self.attr_full_name,
            self.attr_email,
            self.attr_title,
            self.attr_unit,
        ] + ([self.attr_category] if self.attr_category else [])


def _normalize_dn(dn: str) -> str:
    return ",".join(part.strip().lower() for part in dn.split(","))


def _first(entry: Mapping[str, Any], name: str) -> str | None:
    value = entry.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).strip()
    return text or None


class Directory:
    """One directory, reached through `server` (a ServerPool, or the demo's mock Server)."""

    def __init__(
        self,
        settings: DirectorySettings,
        server: Server | ServerPool,
        client_strategy: str = "SYNC",
    ) -> None:
        self.settings = settings
        self.server = server
        self.client_strategy = client_strategy

    # -- connections -------------------------------------------------------

    def _bind(self, user: str, password: str) -> Connection | None:
        """An open connection bound as `user`, or None if the directory refused the password.

        Raises DirectoryUnavailable when no server could be reached.
        """
        conn = Connection(
            self.server,
            user=user,
            password=password,
            client_strategy=self.client_strategy,
            receive_timeout=self.settings.timeout,
            raise_exceptions=False,
        )
        try:
            conn.open()
            if self.settings.start_tls:
                conn.start_tls()
            if conn.bind():
                return conn
        except (LDAPPasswordIsMandatoryError, LDAPSASLPrepError):
            pass  # a password the directory could never accept
        except LDAPException as exc:
            log.warning("directory unreachable: %s", exc.__class__.__name__)
            conn.unbind()
            raise DirectoryUnavailable(str(exc)) from exc
        conn.unbind()
        return None

    def _service_connection(self) -> Connection:
        conn = self._bind(self.settings.bind_dn, self.settings.bind_password)
        if conn is None:
            log.error("the directory refused the service account %s", self.settings.bind_dn)
            raise DirectoryUnavailable("service account refused")
        return conn

    # -- sign-in -----------------------------------------------------------

    def authenticate(self, username: str, password: str) -> DirectoryPerson:
        """Search the user with the service account, then bind as them with `password`."""
        username = username.strip()
        # An empty password would be an anonymous bind, which "succeeds" (RFC 4513 5.1.2).
        if not username or not password or not password.strip():
            raise InvalidCredentials()
        if len(username) > MAX_USERNAME_LENGTH or "\x00" in password:
            raise InvalidCredentials()
        service = self._service_connection()
        try:
            user_filter = self.settings.user_filter.format(
                username=escape_filter_chars(username)
            )
            entries = self._search(service, self.settings.user_base, user_filter)
            if len(entries) != 1:
                # Same work as a wrong password, so timing does not tell who exists.
                self._bind(f"cn=nobody,{self.settings.user_base}", password)
                raise InvalidCredentials()
            dn, attributes = entries[0]
            user_conn = self._bind(dn, password)
            if user_conn is None:
                raise InvalidCredentials()
            user_conn.unbind()
            return self._person(
                dn,
                attributes,
                is_head=self._is_member(service, dn, self.settings.head_group),
                is_admin=self._is_member(service, dn, self.settings.admin_group),
                is_leader=self._is_member(service, dn, self.settings.leadership_group),
            )
        except LDAPException as exc:
            raise DirectoryUnavailable(str(exc)) from exc
        finally:
            service.unbind()

    def _search(
        self, conn: Connection, base: str, search_filter: str, scope: str = SUBTREE
    ) -> list[tuple[str, dict[str, Any]]]:
        # Network faults raise; a refused or empty search simply finds nothing.
        conn.search(base, search_filter, scope, attributes=self.settings.attributes)
        return [
            (entry["dn"], dict(entry["attributes"]))
            for entry in conn.response or []
            if entry.get("type") == "searchResEntry"
        ]

    def _is_member(self, conn: Connection, dn: str, group: str) -> bool:
        if not group:
            return False
        if self.settings.nested_groups:
            in_chain = f"(memberOf:{IN_CHAIN}:={escape_filter_chars(group)})"
            return bool(self._search(conn, dn, in_chain, scope=BASE))
        member_filter = f"(member={escape_filter_chars(dn)})"
        return bool(self._search(conn, group, member_filter, scope=BASE))

    # -- the staff listing -------------------------------------------------

    def people(self) -> Iterator[DirectoryPerson]:
        """Every staff entry under the user base, read page by page."""
        service = self._service_connection()
        try:
            heads = self._group_members(service, self.settings.head_group)
            admins = self._group_members(service, self.settings.admin_group)
            leaders = self._group_members(service, self.settings.leadership_group)
            for dn, attributes in self._paged(service, self.settings.sync_filter):
                key = _normalize_dn(dn)
                person = self._person(
                    dn, attributes, is_head=key in heads, is_admin=key in admins, is_leader=key in leaders
                )
                if person.username:
                    yield person
        except LDAPException as exc:
            raise DirectoryUnavailable(str(exc)) from exc
        finally:
            service.unbind()

    def _paged(
        self, conn: Connection, search_filter: str, attributes: list[str] | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        for entry in conn.extend.standard.paged_search(
            self.settings.user_base,
            search_filter,
            SUBTREE,
            attributes=attributes if attributes is not None else self.settings.attributes,
            paged_size=self.settings.page_size,
            generator=True,
        ):
            if entry.get("type") == "searchResEntry":
                yield entry["dn"], dict(entry.get("attributes") or {})

    def _group_members(self, conn: Connection, group: str) -> set[str]:
        if not group:
            return set()
        if self.settings.nested_groups:
            in_chain = f"(memberOf:{IN_CHAIN}:={escape_filter_chars(group)})"
            return {_normalize_dn(dn) for dn, _ in self._paged(conn, in_chain, ["1.1"])}
        conn.search(group, "(objectClass=*)", BASE, attributes=["member"])
        members: set[str] = set()
        for entry in conn.response or []:
            if entry.get("type") == "searchResEntry":
                values = entry["attributes"].get("member") or []
                members.update(_normalize_dn(str(v)) for v in values)
        return members

    def _person(
        self, dn: str, attributes: Mapping[str, Any], *, is_head: bool, is_admin: bool,
        is_leader: bool = False,
    ) -> DirectoryPerson:
        s = self.settings
        username = (_first(attributes, s.attr_username) or "").casefold()
        return DirectoryPerson(
            dn=dn,
            username=username,
            full_name=_first(attributes, s.attr_full_name) or username,
            email=_first(attributes, s.attr_email),
            title=_first(attributes, s.attr_title),
            unit_name=_first(attributes, s.attr_unit),
            is_head=is_head,
            is_admin=is_admin,
            is_leader=is_leader,
            category=_first(attributes, s.attr_category) if s.attr_category else None,
        )

    def is_reachable(self) -> bool:
        try:
            self._service_connection().unbind()
        except DirectoryUnavailable:
            return False
        return True


def server_pool(urls: list[str], timeout: int, ca_file: str | None) -> ServerPool:
    """Servers tried in order; one round only, so a dead directory fails fast."""
    tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_file) if ca_file else None
    servers = [Server(url, connect_timeout=timeout, get_info=NONE, tls=tls) for url in urls]
    return ServerPool(servers, FIRST, active=1, exhaust=False)


DirectoryFactory = Callable[[Mapping[str, Any]], Directory]


def directory_from_config(config: Mapping[str, Any]) -> Directory:
    """The directory the settings name: real servers, or the in-process demo."""
    settings = DirectorySettings.from_config(config)
    if config["LDAP_URL"]:
        pool = server_pool(config["LDAP_URL"].split(), settings.timeout, config["LDAP_CA_FILE"])
        return Directory(settings, pool)
    from .demo import demo_server

    return Directory(settings, demo_server(), client_strategy="MOCK_SYNC")
