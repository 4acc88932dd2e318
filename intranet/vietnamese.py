"""Vietnamese text rules: Unicode normalisation, tone placement and the sort order of names."""
from __future__ import annotations

import unicodedata

from vn_collate import LETTER_MODIFIERS, PRIMARY_ORDER, TONE_MARKS

# Primary weights, one byte each, 0x00 ending a level: punctuation and symbols first, then
# digits, then the letters in ICU's Vietnamese order (a ă â b c d đ e ê …), then anything else,
# as ICU's Vietnamese collation orders them.
_PUNCTUATION = 0x01
_DIGITS = {str(d): 0x02 + d for d in range(10)}
_LETTERS = {letter: 0x0C + i for i, letter in enumerate(PRIMARY_ORDER)}
_OTHER = 0xFE

# Open syllables whose tone was placed on the first vowel in the old style (hòa, khỏe, thủy)
# and on the second in the new one (hoà, khoẻ, thuỷ); "qu" is a consonant (quà, quý), so
# after q there is no choice.
_MOVABLE_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def normalize(text: str) -> str:
    """NFC with single spaces, so the same name typed twice is stored the same way."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _clusters(text: str) -> list[str]:
    """Each base character with its combining marks (NFD keeps marks after their base)."""
    clusters: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def place_tone(word: str) -> str:
    """One tone placement for the same syllable: "Hòa" and "Hoà" both become "Hoà".

    Only the open syllables ending in oa, oe, uy (not after q) have two placements in use;
    every other word comes back as it was, in NFC.
    """
    clusters = _clusters(word)
    if len(clusters) >= 2:
        first, second = clusters[-2], clusters[-1]
        after_q = len(clusters) >= 3 and clusters[-3].lower() == "q"
        if (
            (first[0].lower(), second[0].lower()) in _MOVABLE_PAIRS
            and not after_q
            and len(first) == 2 and first[1] in TONE_MARKS
            and len(second) == 1
        ):
            clusters[-2:] = [first[0], second + first[1]]
    return unicodedata.normalize("NFC", "".join(clusters))


def _weights(cluster: str) -> tuple[int, int, int]:
    """(letter, tone, case) of one character with its marks."""
    base, modifiers, tone = cluster[0], "", 0
    for mark in cluster[1:]:
        if mark in TONE_MARKS:
            tone = max(tone, TONE_MARKS[mark])
        elif mark in LETTER_MODIFIERS:
            modifiers += mark
    letter = unicodedata.normalize("NFC", base + modifiers)
    folded = letter.lower()
    if folded in _LETTERS:
        primary = _LETTERS[folded]
    elif folded in _DIGITS:
        primary = _DIGITS[folded]
    elif unicodedata.category(base)[0] in "LN":
        primary = _OTHER
    else:
        primary = _PUNCTUATION
    return primary, tone, int(letter != folded)


def word_key(word: str) -> str:
    """A word's collation key as hex: its letters, then its tones, then its case.

    Level by level as in the Unicode Collation Algorithm, so a word that ends sooner sorts
    first ("Chu" before "Chung") and tones only count between the same letters.
    """
    levels = list(zip(*(_weights(c) for c in _clusters(place_tone(word))))) or [(), (), ()]
    return "".join("".join(f"{w:02x}" for w in level) + "00" for level in levels)


def words_key(words: list[str]) -> str:
    """Words compared one after the other, as a Vietnamese dictionary orders them.

    The space between word keys sorts before every hex digit, so "La" comes before "Lam"
    and "Tô Văn" before "Tôn Nữ".
    """
    return " ".join(word_key(word) for word in words)


def split_name(full_name: str) -> tuple[str, str]:
    """("Lê Đức", "Sáu") for "Lê Đức Sáu": the given name is the last word."""
    family_and_middle, _, given = normalize(full_name).rpartition(" ")
    return family_and_middle, given


def name_sort_key(full_name: str) -> str:
    """A key for ORDER BY: given name first, then family and middle names, word by word."""
    words = normalize(full_name).split()
    return words_key(words[-1:] + words[:-1])


def text_sort_key(text: str) -> str:
    """A key for ORDER BY on a whole text, such as a unit's name, word by word."""
    return words_key(normalize(text).split())
