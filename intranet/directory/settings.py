"""What the app needs to know about the directory: settings, server-type presets, login names."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPENLDAP = "openldap"
ACTIVE_DIRECTORY = "active_directory"

# What each kind of server calls things. Every value can be overridden by its setting;
# an AD site then needs only the URL, the service account, the base(s) and the group DNs.
PRESETS: dict[str, dict[str, Any]] = {
    OPENLDAP: {
        "LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(uid={username}))",
        "LDAP_SYNC_FILTER": "(objectClass=inetOrgPerson)",
        # Operational: returned only when asked for by name.
        "LDAP_ATTR_ID": "entryUUID",
        "LDAP_ATTR_USERNAME": "uid",
        "LDAP_ATTR_FULL_NAME": "cn",
        "LDAP_ATTR_EMAIL": "mail",
        "LDAP_ATTR_TITLE": "title",
        "LDAP_ATTR_UNIT": "departmentNumber",
        "LDAP_NESTED_GROUPS": False,
    },
    ACTIVE_DIRECTORY: {
        # objectCategory=person leaves computer accounts out (they are objectClass=user too).
        "LDAP_USER_FILTER": "(&(objectCategory=person)(objectClass=user)(sAMAccountName={username}))",
        "LDAP_SYNC_FILTER": "(&(objectCategory=person)(objectClass=user))",
        "LDAP_ATTR_ID": "objectGUID",
        "LDAP_ATTR_USERNAME": "sAMAccountName",
        "LDAP_ATTR_FULL_NAME": "displayName",
        "LDAP_ATTR_EMAIL": "mail",
        "LDAP_ATTR_TITLE": "title",
        "LDAP_ATTR_UNIT": "department",
        "LDAP_NESTED_GROUPS": True,
    },
}
# Read on AD to tell disabled and expired accounts (intranet/directory/accounts.py).
AD_STATE_ATTRIBUTES = ("userAccountControl", "accountExpires", "userPrincipalName")


class SettingsError(ValueError):
    """A directory setting that cannot work; the message names it."""


def split_bases(value: str) -> tuple[str, ...]:
    """`LDAP_USER_BASE` holds one base or several separated by ";"."""
    return tuple(base.strip() for base in value.split(";") if base.strip())


def _dc_parts(dn: str) -> list[str]:
    parts = [part.strip() for part in dn.split(",")]
    return [part[3:] for part in parts if part[:3].lower() == "dc="]


@dataclass(frozen=True)
class DirectorySettings:
    server_type: str
    user_bases: tuple[str, ...]
    user_filter: str
    sync_filter: str
    bind_dn: str
    bind_password: str
    attr_id: str
    attr_username: str
    attr_full_name: str
    attr_email: str
    attr_title: str
    attr_unit: str
    head_group: str
    admin_group: str
    nested_groups: bool
    start_tls: bool
    timeout: int
    page_size: int
    ad_domain: str = ""
    upn_suffix: str = ""
    # The leadership group (they propose on heads and leaders) and the staff category's
    # attribute: both optional, empty when not set.
    leadership_group: str = ""
    attr_category: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> DirectorySettings:
        server_type = (config.get("LDAP_SERVER_TYPE") or OPENLDAP).strip().lower()
        if server_type not in PRESETS:
            raise SettingsError(
                f"LDAP_SERVER_TYPE={server_type!r}: dùng / use {OPENLDAP} hoặc / or {ACTIVE_DIRECTORY}"
            )
        preset = PRESETS[server_type]

        def pick(name: str) -> Any:
            value = config.get(name)
            return preset[name] if value is None else value

        bases = split_bases(config["LDAP_USER_BASE"])
        dc = _dc_parts(bases[0]) if bases else []
        return cls(
            server_type=server_type,
            user_bases=bases,
            user_filter=pick("LDAP_USER_FILTER"),
            sync_filter=pick("LDAP_SYNC_FILTER"),
            bind_dn=config["LDAP_BIND_DN"],
            bind_password=config["LDAP_BIND_PASSWORD"],
            attr_id=pick("LDAP_ATTR_ID"),
            attr_username=pick("LDAP_ATTR_USERNAME"),
            attr_full_name=pick("LDAP_ATTR_FULL_NAME"),
            attr_email=pick("LDAP_ATTR_EMAIL"),
            attr_title=pick("LDAP_ATTR_TITLE"),
            attr_unit=pick("LDAP_ATTR_UNIT"),
            head_group=config["LDAP_HEAD_GROUP"],
            admin_group=config["LDAP_ADMIN_GROUP"],
            nested_groups=bool(pick("LDAP_NESTED_GROUPS")),
            start_tls=config["LDAP_START_TLS"],
            timeout=config["LDAP_TIMEOUT"],
            page_size=config["LDAP_PAGE_SIZE"],
            ad_domain=(config.get("LDAP_AD_DOMAIN") or (dc[0] if dc else "")).casefold(),
            upn_suffix=(config.get("LDAP_UPN_SUFFIX") or ".".join(dc)).casefold(),
            leadership_group=config.get("LDAP_LEADERSHIP_GROUP") or "",
            attr_category=config.get("LDAP_ATTR_CATEGORY") or "",
        )

    @property
    def active_directory(self) -> bool:
        return self.server_type == ACTIVE_DIRECTORY

    @property
    def attributes(self) -> list[str]:
        names = [
            self.attr_id,
            self.attr_username,
            self.attr_full_name,
            self.attr_email,
            self.attr_title,
            self.attr_unit,
        ]
        if self.attr_category:
            names.append(self.attr_category)
        if self.active_directory:
            names += [*AD_STATE_ATTRIBUTES, "cn"]
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class LoginName:
    """What a person typed, reduced to what the directory can match.

    `username` is matched by the sign-in filter, `upn` by userPrincipalName (AD); a
    "user@domain" of this domain tries both, since a UPN need not repeat the account name.
    """

    username: str | None
    upn: str | None = None

    @property
    def key(self) -> str:
        """One key for every form of one account (rate limits)."""
        return self.username or self.upn or ""


def login_name(typed: str, settings: DirectorySettings) -> LoginName | None:
    """`user`, and on Active Directory `user@domain` and `DOMAIN\\user`, as one account name.

    None for a form that cannot name anyone here (another domain's `OTHER\\user`).
    """
    text = typed.strip().casefold()
    if not settings.active_directory:
        return LoginName(text)
    if "\\" in text:
        domain, _, user = text.partition("\\")
        if domain not in {settings.ad_domain, settings.upn_suffix} or not user or "\\" in user:
            return None
        return LoginName(user)
    if "@" in text:
        user, _, suffix = text.rpartition("@")
        if not user or not suffix:
            return None
        return LoginName(user if suffix == settings.upn_suffix else None, upn=text)
    return LoginName(text)
