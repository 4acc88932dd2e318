"""Talking to the LDAP directory with ldap3: search-then-bind sign-in and the staff listing."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ldap3 import BASE, SUBTREE, Connection, Server
from ldap3.core.exceptions import (
    LDAPException,
    LDAPPasswordIsMandatoryError,
    LDAPSASLPrepError,
)
from ldap3.utils.conv import escape_filter_chars

from . import accounts
from .servers import ServerList
from .settings import DirectorySettings, LoginName, login_name

log = logging.getLogger(__name__)

# Longer than any real username; longer input is refused without asking the directory.
MAX_USERNAME_LENGTH = 256
IN_CHAIN = "1.2.840.113556.1.4.1941"  # Active Directory's LDAP_MATCHING_RULE_IN_CHAIN
PAGED_RESULTS = "1.2.840.113556.1.4.319"
# The directory wants an encrypted connection before it takes a password (AD's default).
NEEDS_ENCRYPTION = {8, 13}  # strongerAuthRequired, confidentialityRequired


class DirectoryUnavailable(Exception):
    """No directory server answered, or it refused the service account or the connection."""


class DirectorySearchFailed(DirectoryUnavailable):
    """A search the app relies on failed (no such base, limit, access, busy...).

    Nothing may be concluded from a failed search: least of all that people left.
    """

    BASE = "base"
    GROUP = "group"

    def __init__(self, kind: str, dn: str, result: Mapping[str, Any]) -> None:
        self.kind = kind  # BASE (a staff search under `dn`) or GROUP (reading group `dn`)
        self.dn = dn
        self.code = result.get("result")
        self.description = str(result.get("description") or "")
        self.directory_message = str(result.get("message") or "")
        super().__init__(
            f"{kind} {dn}: {self.description} ({self.code}) {self.directory_message}".strip()
        )


class InvalidCredentials(Exception):
    """Unknown user or wrong password: deliberately one error for both."""


class AccountRefused(InvalidCredentials):
    """The password was right but the account may not sign in (disabled, expired, ...)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


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
    # The entry's immutable id (entryUUID, objectGUID): who this is, whatever the username.
    directory_id: str | None = None
    # accounts.DISABLED or EXPIRED: listed, but no longer staff.
    state: str | None = None
    is_leader: bool = False
    category: str | None = None  # the directory's value (LDAP_ATTR_CATEGORY), as written there


_Entry = tuple[str, dict[str, Any], dict[str, Any]]


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


class _Refused:
    """A bind the directory answered with a refusal; `message` carries AD's sub-code."""

    def __init__(self, message: str) -> None:
        self.message = message


class Directory:
    """One directory: real servers (a ServerList), or the demo's in-process mock Server."""

    def __init__(
        self,
        settings: DirectorySettings,
        server: ServerList | Server,
        client_strategy: str = "SYNC",
    ) -> None:
        self.settings = settings
        self.server = server
        self.client_strategy = client_strategy

    # -- connections -------------------------------------------------------

    def _candidates(self) -> list[tuple[str, Server]]:
        if isinstance(self.server, ServerList):
            return self.server.candidates()
        return [("demo", self.server)]

    def _bind(self, user: str, password: str) -> Connection | _Refused:
        """A connection bound as `user`, or the directory's refusal.

        Servers are tried in order, those that failed lately last; a server that does not
        answer, refuses the connection or fails TLS is passed over for LDAP_RETRY_AFTER.
        Raises DirectoryUnavailable when none could be used.
        """
        problems: list[str] = []
        for url, server in self._candidates():
            conn = Connection(
                server,
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
                bound = conn.bind()
            except (LDAPPasswordIsMandatoryError, LDAPSASLPrepError):
                _close(conn)
                return _Refused("")  # a password the directory could never accept
            except LDAPException as exc:
                # TLS failures (wrong name, unknown CA) land here too, with ldap3's reason.
                log.warning("directory server %s failed: %s: %s", url, type(exc).__name__, exc)
                problems.append(f"{url}: {type(exc).__name__}")
                self._failed(url)
                _close(conn)
                continue
            if bound:
                self._answered(url)
                return conn
            result = conn.result or {}
            _close(conn)
            if result.get("result") == 49:  # invalidCredentials
                self._answered(url)
                return _Refused(str(result.get("message") or ""))
            if result.get("result") in NEEDS_ENCRYPTION:
                log.error(
                    "directory server %s wants an encrypted connection (use ldaps:// or "
                    "LDAP_START_TLS=1): %s", url, result.get("message"),
                )
                raise DirectoryUnavailable(f"{url}: {result.get('description')}")
            # busy, unavailable, ...: another server may do better.
            log.warning("directory server %s refused the bind: %s", url, result)
            problems.append(f"{url}: {result.get('description')}")
            self._failed(url)
        raise DirectoryUnavailable("; ".join(problems) or "no directory server")

    def _failed(self, url: str) -> None:
        if isinstance(self.server, ServerList):
            self.server.failed(url)

    def _answered(self, url: str) -> None:
        if isinstance(self.server, ServerList):
            self.server.answered(url)

    def _service_connection(self) -> Connection:
        conn = self._bind(self.settings.bind_dn, self.settings.bind_password)
        if isinstance(conn, _Refused):
            log.error(
                "the directory refused the service account %s: %s",
                self.settings.bind_dn, conn.message or "(no message)",
            )
            raise DirectoryUnavailable("service account refused")
        return conn

    # -- sign-in -----------------------------------------------------------

    def authenticate(self, username: str, password: str) -> DirectoryPerson:
        """Search the user with the service account, then bind as them with `password`.

        Raises InvalidCredentials (unknown user, wrong password: one answer, the same
        work), AccountRefused when the password was right but the account may not be
        used, DirectoryUnavailable when the directory cannot answer.
        """
        # An empty password would be an anonymous bind, which "succeeds" (RFC 4513 5.1.2).
        if not username.strip() or not password or not password.strip():
            raise InvalidCredentials()
        if len(username) > MAX_USERNAME_LENGTH or "\x00" in password:
            raise InvalidCredentials()
        name = login_name(username, self.settings)
        service = self._service_connection()
        try:
            entries = [] if name is None else [
                entry for entry in self._search(service, self._login_filter(name))
                if self._is_staff_entry(entry)
            ]
            if len(entries) != 1:
                # Same work as a wrong password, so timing does not tell who exists.
                base = self.settings.user_bases[0] if self.settings.user_bases else "dc=invalid"
                dummy = self._bind(f"cn=nobody,{base}", password)
                if isinstance(dummy, Connection):
                    dummy.unbind()
                raise InvalidCredentials()
            dn, attributes, raw = entries[0]
            answer = self._bind(dn, password)
            if isinstance(answer, _Refused):
                reason = accounts.bind_refusal(answer.message)
                if reason is not None:
                    raise AccountRefused(reason)
                raise InvalidCredentials()
            answer.unbind()
            person = self._person(
                dn,
                attributes,
                raw,
                is_head=self._is_member(service, dn, self.settings.head_group),
                is_admin=self._is_member(service, dn, self.settings.admin_group),
                is_leader=self._is_member(service, dn, self.settings.leadership_group),
            )
            if person.state is not None:
                raise AccountRefused(person.state)
            return person
        except LDAPException as exc:
            raise DirectoryUnavailable(str(exc)) from exc
        finally:
            service.unbind()

    def _login_filter(self, name: LoginName) -> str:
        parts = []
        if name.username:
            parts.append(self.settings.user_filter.format(username=escape_filter_chars(name.username)))
        if name.upn:
            upn = escape_filter_chars(name.upn)
            parts.append(f"(&{self.settings.sync_filter}(userPrincipalName={upn}))")
        return parts[0] if len(parts) == 1 else "(|" + "".join(parts) + ")"

    def _is_staff_entry(self, entry: _Entry) -> bool:
        """Never the service account, never a computer: whatever the filters let through."""
        dn, attributes, _raw = entry
        username = (_first(attributes, self.settings.attr_username) or "").casefold()
        if not username or accounts.is_machine(username, attributes):
            return False
        # The service account may be named by DN, by UPN or as DOMAIN\name (AD takes all three).
        service = self.settings.bind_dn.strip().casefold()
        if not service:
            return True  # an anonymous service "account" is nobody's entry
        if "\\" in service:
            return username != service.partition("\\")[2]
        if "=" not in service:
            return (_first(attributes, "userPrincipalName") or "").casefold() != service
        return _normalize_dn(dn) != _normalize_dn(service)

    def _check(self, conn: Connection, kind: str, dn: str) -> None:
        result = conn.result or {}
        if result.get("result") != 0:
            log.error("directory: reading %s %s failed: %s", kind, dn, result)
            raise DirectorySearchFailed(kind, dn, result)

    def _search(
        self,
        conn: Connection,
        search_filter: str,
        attributes: list[str] | None = None,
        bases: tuple[str, ...] | None = None,
    ) -> Iterator[_Entry]:
        """Every entry under the user bases, page by page; any failed page raises."""
        for base in bases or self.settings.user_bases:
            cookie: bytes | None = None
            while True:
                conn.search(
                    base,
                    search_filter,
                    SUBTREE,
                    attributes=attributes if attributes is not None else self.settings.attributes,
                    paged_size=self.settings.page_size,
                    paged_cookie=cookie,
                )
                self._check(conn, DirectorySearchFailed.BASE, base)
                for entry in conn.response or []:
                    if entry.get("type") == "searchResEntry":
                        yield (
                            entry["dn"],
                            dict(entry.get("attributes") or {}),
                            dict(entry.get("raw_attributes") or {}),
                        )
                controls = (conn.result or {}).get("controls") or {}
                cookie = controls.get(PAGED_RESULTS, {}).get("value", {}).get("cookie")
                if not cookie:
                    break

    def _group(self, conn: Connection, group: str, attributes: list[str]) -> dict[str, Any]:
        """The group's entry; a group that is missing or unreadable is an error, not "empty"."""
        conn.search(group, "(objectClass=*)", BASE, attributes=attributes)
        self._check(conn, DirectorySearchFailed.GROUP, group)
        for entry in conn.response or []:
            if entry.get("type") == "searchResEntry":
                return dict(entry.get("attributes") or {})
        raise DirectorySearchFailed(
            DirectorySearchFailed.GROUP,
            group,
            {"result": 32, "description": "noSuchObject", "message": "group not visible"},
        )

    def _is_member(self, conn: Connection, dn: str, group: str) -> bool:
        if not group:
            return False
        # A missing or unreadable group is an error, not "no": it would take the role away.
        if self.settings.nested_groups:
            self._group(conn, group, ["1.1"])  # the in-chain filter would just match nothing
            in_chain = f"(memberOf:{IN_CHAIN}:={escape_filter_chars(group)})"
            conn.search(dn, in_chain, BASE, attributes=["1.1"])
        else:
            # A base search on a missing group fails by itself (noSuchObject).
            conn.search(group, f"(member={escape_filter_chars(dn)})", BASE, attributes=["1.1"])
        self._check(conn, DirectorySearchFailed.GROUP, group)
        return any(e.get("type") == "searchResEntry" for e in conn.response or [])

    # -- the staff listing -------------------------------------------------

    def people(self) -> Iterator[DirectoryPerson]:
        """Every staff entry under the user bases, read page by page.

        Raises DirectorySearchFailed if any page or either group cannot be read: the
        caller must then conclude nothing.
        """
        service = self._service_connection()
        try:
            heads = self._group_members(service, self.settings.head_group)
            admins = self._group_members(service, self.settings.admin_group)
            leaders = self._group_members(service, self.settings.leadership_group)
            for entry in self._search(service, self.settings.sync_filter):
                if not self._is_staff_entry(entry):
                    continue
                dn, attributes, raw = entry
                key = _normalize_dn(dn)
                yield self._person(
                    dn, attributes, raw, is_head=key in heads, is_admin=key in admins,
                    is_leader=key in leaders,
                )
        except LDAPException as exc:
            raise DirectoryUnavailable(str(exc)) from exc
        finally:
            service.unbind()

    def _group_members(self, conn: Connection, group: str) -> set[str]:
        if not group:
            return set()
        if self.settings.nested_groups:
            self._group(conn, group, ["1.1"])
            in_chain = f"(memberOf:{IN_CHAIN}:={escape_filter_chars(group)})"
            return {_normalize_dn(dn) for dn, _, _ in self._search(conn, in_chain, ["1.1"])}
        values = self._group(conn, group, ["member"]).get("member") or []
        return {_normalize_dn(str(v)) for v in values}

    def _person(
        self,
        dn: str,
        attributes: Mapping[str, Any],
        raw: Mapping[str, Any],
        *,
        is_head: bool,
        is_admin: bool,
        is_leader: bool = False,
    ) -> DirectoryPerson:
        s = self.settings
        username = (_first(attributes, s.attr_username) or "").casefold()
        full_name = _first(attributes, s.attr_full_name) or _first(attributes, "cn") or username
        return DirectoryPerson(
            dn=dn,
            username=username,
            full_name=full_name,
            email=_first(attributes, s.attr_email),
            title=_first(attributes, s.attr_title),
            unit_name=_first(attributes, s.attr_unit),
            is_head=is_head,
            is_admin=is_admin,
            directory_id=accounts.directory_id(raw.get(s.attr_id) or attributes.get(s.attr_id)),
            state=accounts.ad_state(attributes) if s.active_directory else None,
            is_leader=is_leader,
            category=_first(attributes, s.attr_category) if s.attr_category else None,
        )

    def is_reachable(self) -> bool:
        try:
            self._service_connection().unbind()
        except DirectoryUnavailable:
            return False
        return True


def _close(conn: Connection) -> None:
    try:
        conn.unbind()
    except LDAPException:
        pass


DirectoryFactory = Callable[[Mapping[str, Any]], Directory]


def directory_from_config(config: Mapping[str, Any]) -> Directory:
    """The directory the settings name: real servers, or the in-process demo."""
    settings = DirectorySettings.from_config(config)
    if config["LDAP_URL"]:
        servers = ServerList(
            config["LDAP_URL"].split(),
            timeout=settings.timeout,
            retry_after=config.get("LDAP_RETRY_AFTER", 60),
            ca_file=config["LDAP_CA_FILE"],
        )
        return Directory(settings, servers)
    from .demo import demo_server

    return Directory(settings, demo_server(), client_strategy="MOCK_SYNC")
