"""Keys for matching names typed in another system against the staff list.

Two spellings of one name must give one key: NFC or NFD, old or new tone placement
(hoà/hòa, thuỷ/thủy), upper or lower case, extra spaces. The tone of each syllable is
taken off its vowel and written after the syllable, so where it sat no longer matters.
The accent-free key (đ folded to d too) only ever yields a suggestion for a person to
confirm: "Lê Văn Hùng" and "Lê Văn Hưng" share it.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

# Combining tone marks: grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
TONES = {"\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0301": "5", "\u0323": "6"}
_DD = str.maketrans({"đ": "d", "Đ": "d"})


@lru_cache(maxsize=65536)  # names repeat their syllables: a list of thousands has a few hundred
def _syllable_key(word: str) -> str:
    tone = ""
    kept = []
    for char in unicodedata.normalize("NFD", word):
        if char in TONES:
            tone = TONES[char]
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)) + tone


def name_key(name: str) -> str:
    """The same key for every spelling of one Vietnamese name."""
    words = unicodedata.normalize("NFC", name).casefold().split()
    return " ".join(_syllable_key(word) for word in words)


@lru_cache(maxsize=65536)
def _plain_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.translate(_DD).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain_key(name: str) -> str:
    """The name without any diacritic, lower case: for suggestions only."""
    return " ".join(w for w in (_plain_word(word) for word in name.split()) if w)


def near(a: str, b: str) -> bool:
    """At most one letter added, dropped or changed between two plain keys (a typing slip)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long)):
        if long[:i] + long[i + 1:] == short:
            return True
    return False
