"""The one definition of an address a mail server takes: the run sends to it, the directory
sync stores each employee's verdict (employee.usable_email), the admin's preview counts by it."""
from __future__ import annotations

import re
from functools import lru_cache

# Something before and after one @, the domain not starting with a dot, and none of
# whitespace (str.isspace's: \s on str patterns) or what would end or split an address.
# One match, not a test per rule: the reminders' preview checks every staff address.
_USABLE = re.compile(r'[^\s<>,;"@]+@(?!\.)[^\s<>,;"@]+')
ADDRESSES_KEPT = 32768  # a province's staff; ~4 MB at most


@lru_cache(maxsize=ADDRESSES_KEPT)
def usable_address(text: str | None) -> str | None:
    """The address if a mail server can take it as it is (ASCII, one @, no spaces), else None.

    Its verdicts are kept: it depends on the text alone, and the admin's reminders page judges
    every staff address it has no stored verdict for. Stored verdicts (employee.usable_email,
    written by the directory sync and by migration 0018's frozen copy of this function) are
    trusted only where they equal the address itself, which holds because the function is
    idempotent (tests/test_reminders_overview.py); a change to this rule needs a migration
    that judges the stored addresses again."""
    address = (text or "").strip()
    return address if address.isascii() and _USABLE.fullmatch(address) else None
