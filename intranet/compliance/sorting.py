"""How the compliance table is sorted: what a click on a column's header asks for."""
from __future__ import annotations

from dataclasses import dataclass

# Column -> whether its first click sorts descending (the most people or notices first).
SORTABLE = {
    "name": False,
    "staff": True,
    "level2": True,
    "percent": False,
    "pending": True,
    "level1": True,
    "no_account": True,
    "undeclared": True,
    "notices": True,
    "awaiting": True,
    "decisions": True,
}


@dataclass(frozen=True)
class Sort:
    column: str = "name"
    descending: bool = False

    @classmethod
    def parse(cls, text: str | None) -> Sort:
        """'percent' sorts ascending, '-percent' descending; anything unknown sorts by name."""
        text = (text or "").strip()
        descending = text.startswith("-")
        name = text.removeprefix("-")
        return cls(name, descending) if name in SORTABLE else cls()

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.column

    def toggled(self, column: str) -> Sort:
        """What a click on `column`'s header asks for."""
        if column == self.column:
            return Sort(column, not self.descending)
        return Sort(column, SORTABLE[column])
