"""Vietnamese text rules: Unicode normalisation and the staff-list sort order."""
from __future__ import annotations

import unicodedata

from vn_collate import collate_key


def normalize(text: str) -> str:
    """NFC with single spaces, so the same name typed twice is stored the same way."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def split_name(full_name: str) -> tuple[str, str]:
    """("Lê Đức", "Sáu") for "Lê Đức Sáu": the given name is the last word."""
    family_and_middle, _, given = normalize(full_name).rpartition(" ")
    return family_and_middle, given


def name_sort_key(full_name: str) -> str:
    """A key for ORDER BY: given name first, then family and middle names.

    Each part is a Vietnamese collation key (letters, then tones); a space sorts
    before every key character, so "An" comes before "Anh".
    """
    family_and_middle, given = split_name(full_name)
    return f"{collate_key(given)} {collate_key(family_and_middle)}"


def text_sort_key(text: str) -> str:
    """A key for ORDER BY on a whole text, such as a unit's name."""
    return collate_key(normalize(text))
