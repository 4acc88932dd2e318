"""Staff categories: which decree rates a person depends on it (Decree 335/2025 for civil
servants of administrative agencies; other rules for public employees and contract workers)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .vietnamese import normalize

CIVIL_SERVANT = "cong_chuc"
PUBLIC_EMPLOYEE = "vien_chuc"
CONTRACT_WORKER = "nguoi_lao_dong"
CATEGORIES = {
    CIVIL_SERVANT: _l("Công chức"),
    PUBLIC_EMPLOYEE: _l("Viên chức"),
    CONTRACT_WORKER: _l("Người lao động"),
}
ALL = tuple(CATEGORIES)

# What a directory attribute (LDAP_ATTR_CATEGORY, e.g. employeeType) may hold, lower case.
_DIRECTORY_VALUES = {
    "công chức": CIVIL_SERVANT, "cong chuc": CIVIL_SERVANT, "cong_chuc": CIVIL_SERVANT,
    "civil servant": CIVIL_SERVANT,
    "viên chức": PUBLIC_EMPLOYEE, "vien chuc": PUBLIC_EMPLOYEE, "vien_chuc": PUBLIC_EMPLOYEE,
    "public employee": PUBLIC_EMPLOYEE,
    "người lao động": CONTRACT_WORKER, "nguoi lao dong": CONTRACT_WORKER,
    "nguoi_lao_dong": CONTRACT_WORKER, "hợp đồng lao động": CONTRACT_WORKER, "contract": CONTRACT_WORKER,
}


def from_directory(value: str | None) -> str | None:
    """The category a directory value names, or None when it names none we know."""
    if not value:
        return None
    return _DIRECTORY_VALUES.get(normalize(value).lower())


def label(code: str | None) -> str:
    return str(CATEGORIES[code]) if code in CATEGORIES else str(_l("Chưa xác định"))


def encode(codes: list[str]) -> str:
    """Categories as stored on a response: known codes, in a fixed order, comma-separated."""
    return ",".join(code for code in ALL if code in codes)


def decode(stored: str | None) -> list[str]:
    return [code for code in (stored or "").split(",") if code in CATEGORIES]
