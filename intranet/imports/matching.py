"""Which staff member each row of the list is about, on the roster at the receiving date.

Exact name (names.name_key) among the staff on the roster that day (intranet/roster.py), or,
for a day before the roster begins (a new installation), among the staff as they are now.
Two people of one name: the row's unit text may tell them apart. An accent-free or one-letter
match is only a suggestion. Rows filed online and dossiers already recorded are set apart.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Employee, Notice, NoticeCase, RosterEntry, Unit
from ..notices.state import notice_stands
from .columns import header_key
from .names import name_key, near, plain_key
from .parsing import ParsedRow
from .reasons import reason

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
SUGGESTION = "suggestion"
NOT_STAFF = "not_staff"
ALREADY = "already_recorded"
ONLINE = "online"
UNREADABLE = "unreadable"
STATES = (MATCHED, AMBIGUOUS, SUGGESTION, NOT_STAFF, ALREADY, ONLINE, UNREADABLE)
CHUNK = 500


@dataclass(frozen=True)
class Person:
    id: int
    full_name: str
    unit_id: int | None
    unit_name: str
    active: bool


def dossier_key(code: str) -> str:
    return code.casefold()


def end_of_day_utc(day: date) -> datetime:
    """The last instant of `day` where the agency is, as the naive UTC the roster stores."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    moment = datetime.combine(day, time.max, zone)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


class StaffIndex:
    """Every staff member by name key, plain key and plain given name, built once per list."""

    def __init__(self) -> None:
        self.people: dict[int, Person] = {}
        self.by_key: dict[str, list[int]] = defaultdict(list)
        self.by_plain: dict[str, list[int]] = defaultdict(list)
        self.by_given: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.by_family: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._unit_keys: dict[int | None, str] = {}
        rows = db.session.execute(
            select(Employee.id, Employee.full_name, Employee.unit_id, Unit.name, Employee.active)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
        )
        for id_, full_name, unit_id, unit_name, active in rows:
            self.people[id_] = Person(id_, full_name, unit_id, unit_name or "", active)
            self.by_key[name_key(full_name)].append(id_)
            plain = plain_key(full_name)
            self.by_plain[plain].append(id_)
            # A slip in the given name still leaves the family name, and the other way round.
            self.by_given[plain.rpartition(" ")[2]].append((plain, id_))
            self.by_family[plain.partition(" ")[0]].append((plain, id_))

    def unit_key(self, employee_id: int) -> str:
        person = self.people[employee_id]
        if person.unit_id not in self._unit_keys:
            self._unit_keys[person.unit_id] = header_key(person.unit_name)
        return self._unit_keys[person.unit_id]

    def near_names(self, name: str) -> list[int]:
        plain = plain_key(name)
        found = set(self.by_plain.get(plain, []))
        for bucket in (self.by_given.get(plain.rpartition(" ")[2], []),
                       self.by_family.get(plain.partition(" ")[0], [])):
            for other, id_ in bucket:
                if id_ not in found and near(plain, other):
                    found.add(id_)
        return sorted(found)


class Roster:
    """Who was on the staff, in which unit, at the end of a day; the staff now before the
    roster begins."""

    def __init__(self, employee_ids: set[int]) -> None:
        self.start: datetime | None = db.session.scalar(select(func.min(RosterEntry.at)))
        self.entries: dict[int, list[tuple[datetime, int, int | None, bool]]] = defaultdict(list)
        ids = sorted(employee_ids)
        for i in range(0, len(ids), CHUNK):
            rows = db.session.execute(
                select(RosterEntry.employee_id, RosterEntry.at, RosterEntry.id,
                       RosterEntry.unit_id, RosterEntry.on_staff)
                .where(RosterEntry.employee_id.in_(ids[i:i + CHUNK]))
            )
            for employee_id, at, id_, unit_id, on_staff in rows:
                self.entries[employee_id].append((at, id_, unit_id, on_staff))
        for timeline in self.entries.values():
            timeline.sort()

    def unit_at(self, person: Person, moment: datetime) -> tuple[bool, int | None]:
        """(on the staff, unit) at `moment`."""
        if self.start is None or moment < self.start:
            return person.active, person.unit_id
        timeline = self.entries.get(person.id, [])
        index = bisect.bisect_right(timeline, (moment, float("inf"))) - 1
        if index < 0:
            return False, None
        _at, _id, unit_id, on_staff = timeline[index]
        return on_staff, unit_id


def recorded_dossiers(codes: set[str]) -> dict[str, str]:
    """Dossier key -> reference of the standing notice that already names it."""
    variants = sorted({v for code in codes for v in (code, code.upper(), code.lower())})
    found: dict[str, str] = {}
    for i in range(0, len(variants), CHUNK):
        rows = db.session.execute(
            select(NoticeCase.dossier_code, Notice.reference_number)
            .join(Notice, Notice.id == NoticeCase.notice_id)
            .where(NoticeCase.dossier_code.in_(variants[i:i + CHUNK]), notice_stands())
        )
        for code, reference in rows:
            found.setdefault(dossier_key(code), reference)
    return found


def _units_fit(text_key: str, unit_key: str) -> bool:
    """The unit text of a row names the unit (or the other way round), compared as headers are."""
    return bool(text_key and unit_key) and (unit_key in text_key or text_key in unit_key)


def match_rows(rows: list[ParsedRow]) -> list[dict[str, object]]:
    """Each row as the draft keeps it: its values, its state, the reason and the staff ids."""
    staff = StaffIndex()
    keys = {id(row): name_key(row.full_name) for row in rows}
    candidates_of: dict[int, list[int]] = {}
    wanted: set[int] = set()
    for row in rows:
        exact = staff.by_key.get(keys[id(row)], [])
        candidates_of[id(row)] = exact or staff.near_names(row.full_name) if row.full_name else []
        wanted.update(candidates_of[id(row)])
    roster = Roster(wanted)
    recorded = recorded_dossiers({dossier_key(r.dossier_code) for r in rows if r.dossier_code and not r.problems})
    seen: dict[str, int] = {}
    moments: dict[date, datetime] = {}
    results = []
    for row in rows:
        result: dict[str, object] = row.as_json()
        result.update(state=None, reason=None, employee_id=None, candidates=[], units_then={})
        results.append(result)
        if row.problems:
            result.update(state=UNREADABLE)  # the row's problems say why
            continue
        if row.channel == "online":
            result.update(state=ONLINE, reason=reason("online"))
            continue
        code = dossier_key(row.dossier_code)
        if code in recorded:
            result.update(state=ALREADY, reason=reason("recorded", ref=recorded[code]))
            continue
        if code in seen:
            result.update(state=ALREADY, reason=reason("duplicate", row=seen[code]))
            continue
        seen[code] = row.row
        day = row.received_on
        assert day is not None  # a row without a date has a problem
        moment = moments.setdefault(day, end_of_day_utc(day))
        on_roster = []
        units_then: dict[str, int] = {}
        for id_ in candidates_of[id(row)]:
            on_staff, unit_id = roster.unit_at(staff.people[id_], moment)
            if on_staff and unit_id is not None:
                on_roster.append(id_)
                units_then[str(id_)] = unit_id
        result["units_then"] = units_then
        exact = set(staff.by_key.get(keys[id(row)], []))
        same_name = [i for i in on_roster if i in exact]
        if not on_roster:
            result.update(state=NOT_STAFF, reason=reason("not_staff", date=day.strftime("%d/%m/%Y")))
        elif len(same_name) == 1:
            result.update(state=MATCHED, employee_id=same_name[0])
        elif same_name:
            text_key = header_key(row.unit_text)
            fitting = [i for i in same_name if _units_fit(text_key, staff.unit_key(i))]
            if len(fitting) == 1:
                result.update(state=MATCHED, employee_id=fitting[0],
                              reason=reason("unit_told"))
            else:
                result.update(state=AMBIGUOUS, candidates=fitting or same_name,
                              reason=reason("same_name", count=len(fitting or same_name)))
        else:
            result.update(state=SUGGESTION, candidates=on_roster, reason=reason("near_name"))
    return results


def counts(results: list[dict[str, object]]) -> dict[str, int]:
    totals = {state: 0 for state in STATES}
    for result in results:
        totals[str(result["state"])] += 1
    return {"rows": len(results), **totals}
