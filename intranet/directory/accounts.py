"""Whether a directory account may be staff: AD's account flags, expiry and bind refusals."""
from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

# Reasons an account is refused or off the staff; also the audit log's words for them.
DISABLED = "disabled"
EXPIRED = "expired"
PASSWORD_EXPIRED = "password_expired"
MUST_CHANGE_PASSWORD = "must_change_password"
LOCKED = "locked"

# The "data NNN" of AD's invalidCredentials message. 52e (wrong password) and 525 (no such
# user) are left out on purpose: those stay the one generic answer.
AD_BIND_REFUSALS = {
    "533": DISABLED,
    "701": EXPIRED,
    "532": PASSWORD_EXPIRED,
    "773": MUST_CHANGE_PASSWORD,
    "775": LOCKED,
}
_AD_DATA = re.compile(r"\bdata ([0-9a-f]{3,4})\b", re.IGNORECASE)

ACCOUNTDISABLE = 0x2
WORKSTATION_TRUST_ACCOUNT = 0x1000
SERVER_TRUST_ACCOUNT = 0x2000
_NEVER = {0, 0x7FFFFFFFFFFFFFFF}
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)


def bind_refusal(message: str | None) -> str | None:
    """The reason in an AD bind refusal ("... data 533, v893"), or None."""
    match = _AD_DATA.search(message or "")
    return AD_BIND_REFUSALS.get(match.group(1).lower()) if match else None


def _int(value: Any) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def filetime(value: int) -> datetime:
    """AD's FILETIME (100 ns since 1601-01-01) as an aware datetime."""
    return _FILETIME_EPOCH + timedelta(microseconds=value // 10)


def ad_state(attributes: Mapping[str, Any], now: datetime | None = None) -> str | None:
    """DISABLED or EXPIRED for an AD account that is no longer staff, else None."""
    flags = _int(attributes.get("userAccountControl")) or 0
    if flags & ACCOUNTDISABLE:
        return DISABLED
    expires = _int(attributes.get("accountExpires"))
    if expires is not None and expires not in _NEVER:
        now = now or datetime.now(timezone.utc)
        if filetime(expires) <= now:
            return EXPIRED
    return None


def is_machine(username: str, attributes: Mapping[str, Any]) -> bool:
    """A computer or domain-controller account: never a person, whatever the filter let in."""
    flags = _int(attributes.get("userAccountControl")) or 0
    return username.endswith("$") or bool(
        flags & (WORKSTATION_TRUST_ACCOUNT | SERVER_TRUST_ACCOUNT)
    )


def directory_id(value: Any) -> str | None:
    """The entry's immutable id as text: objectGUID (16 bytes) as a GUID, entryUUID as is.

    Lower-case, so that the same id always compares equal.
    """
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        if len(value) == 16:
            # objectGUID: the first three fields little-endian, as Windows prints it.
            return str(uuid.UUID(bytes_le=bytes(value)))
        value = value.decode("utf-8", "replace")
    text = str(value).strip().strip("{}").lower()
    return text or None
