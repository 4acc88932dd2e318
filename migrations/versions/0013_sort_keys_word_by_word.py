"""the 2025 reform's issuing bodies; sort keys word by word, one tone placement

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 05:40:00

Migration 0003 seeded, as active, the provincial centre without its province and the one-stop
shops of five districts abolished on 01/07/2025. They are retired (old notices keep naming
them), and the current bodies of the merged province are added: its public administration
service centre and the office of its People's Committee; commune and ward one-stop shops are
added by the admin as they send notices.

The keys written before weighed a space above every letter ("Chung" before "Chu") and gave
"Hòa" and "Hoà" different keys. This revision recomputes every stored key with the rule as
written today (a frozen copy of intranet/vietnamese.py, so later changes there never alter
what this revision did).
"""
import unicodedata
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTERS = {letter: 0x0C + i for i, letter in enumerate(_ALPHABET)}
_DIGITS = {str(d): 0x02 + d for d in range(10)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MODIFIERS = {"\u0302", "\u0306", "\u031b"}
_MOVABLE_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _clusters(text):
    clusters = []
    for char in unicodedata.normalize("NFD", text):
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _place_tone(word):
    clusters = _clusters(word)
    if len(clusters) >= 2:
        first, second = clusters[-2], clusters[-1]
        after_q = len(clusters) >= 3 and clusters[-3].lower() == "q"
        if ((first[0].lower(), second[0].lower()) in _MOVABLE_PAIRS and not after_q
                and len(first) == 2 and first[1] in _TONES and len(second) == 1):
            clusters[-2:] = [first[0], second + first[1]]
    return unicodedata.normalize("NFC", "".join(clusters))


def _weights(cluster):
    base, modifiers, tone = cluster[0], "", 0
    for mark in cluster[1:]:
        if mark in _TONES:
            tone = max(tone, _TONES[mark])
        elif mark in _MODIFIERS:
            modifiers += mark
    letter = unicodedata.normalize("NFC", base + modifiers)
    folded = letter.lower()
    if folded in _LETTERS:
        primary = _LETTERS[folded]
    elif folded in _DIGITS:
        primary = _DIGITS[folded]
    elif unicodedata.category(base)[0] in "LN":
        primary = 0xFE
    else:
        primary = 0x01
    return primary, tone, int(letter != folded)


def _word_key(word):
    levels = list(zip(*(_weights(c) for c in _clusters(_place_tone(word))))) or [(), (), ()]
    return "".join("".join(f"{w:02x}" for w in level) + "00" for level in levels)


def _words(text):
    return unicodedata.normalize("NFC", text).split()


def text_key(text):
    return " ".join(_word_key(word) for word in _words(text))


def name_key(full_name):
    words = _words(full_name)
    return " ".join(_word_key(word) for word in words[-1:] + words[:-1])


# (table, column holding the text, key function); none of these tables is append-only.
KEYED = (("unit", "name", text_key), ("issuing_body", "name", text_key), ("employee", "full_name", name_key))


def recompute_sort_keys():
    connection = op.get_bind()
    for table, column, key in KEYED:
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table}")).all()
        update = sa.text(f"UPDATE {table} SET sort_key = :sort_key WHERE id = :id")
        if rows:
            connection.execute(update, [{"id": row_id, "sort_key": key(value)} for row_id, value in rows])


RETIRED = (
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Bộ phận Một cửa UBND huyện An Lão",
    "Bộ phận Một cửa UBND thị xã Hoài Nhơn",
    "Bộ phận Một cửa UBND huyện Tây Sơn",
    "Bộ phận Một cửa UBND huyện Vĩnh Thạnh",
    "Bộ phận Một cửa UBND thành phố Quy Nhơn",
)
CURRENT = (
    "Trung tâm Phục vụ hành chính công tỉnh Gia Lai",
    "Văn phòng Ủy ban nhân dân tỉnh Gia Lai",
)


def reform_2025():
    connection = op.get_bind()
    connection.execute(
        sa.text("UPDATE issuing_body SET active = false WHERE name IN :names").bindparams(
            sa.bindparam("names", expanding=True)),
        {"names": list(RETIRED)},
    )
    existing = set(connection.execute(sa.text("SELECT name FROM issuing_body")).scalars())
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for name in CURRENT:
        if name not in existing:  # an admin may have added it already
            connection.execute(sa.text(
                "INSERT INTO issuing_body (name, sort_key, active, created_at) VALUES (:name, '', true, :now)"
            ), {"name": name, "now": now})


def upgrade():
    reform_2025()
    recompute_sort_keys()


def downgrade():
    # The bodies stay (notices may name them); the old keys ordered names wrongly.
    pass
