"""The compliance figures, checked against a small data set built by hand
(tests/support/factories.py)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import insert, select

from intranet.compliance.decree30 import decree30_date
from intranet.months import EARLIEST, Month
from intranet.compliance.figures import unit_compliance, unit_figures
from intranet.compliance.history import compliance_history
from intranet.compliance.records import unit_decisions, unit_notices
from intranet.compliance.results import Figures
from intranet.compliance.sorting import Sort
from intranet.compliance.staff import non_compliant_staff, unit_staff
from intranet.extensions import db
from intranet.models import Employee

from .support.factories import APRIL, MARCH, DataSet, build_data_set, declare

@pytest.fixture
def data(app: Flask):
    with app.app_context():
        yield build_data_set()


def test_a_month_is_bounded_in_local_time(app: Flask) -> None:
    with app.app_context():
        assert MARCH.starts_utc() == datetime(2024, 2, 29, 17, 0)
        assert MARCH.ends_utc() == datetime(2024, 3, 31, 16, 59, 59, 999999)
        assert Month(2024, 12).next() == Month(2025, 1) and Month(2025, 1).previous() == Month(2024, 12)
        assert MARCH.last_day == date(2024, 3, 31) and Month(2024, 2).last_day == date(2024, 2, 29)
        assert Month(2022, 12).back(12) == [Month(2022, 10), Month(2022, 11), Month(2022, 12)]
        assert EARLIEST == Month(2022, 10)


def test_a_report_date_as_decree_30_writes_it() -> None:
    assert decree30_date(date(2026, 2, 5)) == ("05", "02", "2026")
    assert decree30_date(date(2026, 11, 25)) == ("25", "11", "2026")
    assert decree30_date(date(2026, 3, 9)) == ("09", "3", "2026")


def by_unit(month: Month) -> dict[int | None, Figures]:
    return {row.unit_id: row.figures for row in unit_compliance(month).rows}


def test_march_figures_per_unit(data: DataSet) -> None:
    rows = by_unit(MARCH)
    u = data.units
    assert rows[u["A"]] == Figures(
        staff=6, level2=2, pending=1, level1=1, no_account=1, undeclared=1,
        notices=3, awaiting=4, decisions=2,
    )
    assert rows[u["B"]] == Figures(staff=2, level2=2)
    assert rows[u["C"]] == Figures()  # an active unit with no staff still has its row
    assert rows[u["D"]] == Figures(notices=1, awaiting=1)  # retired, but a notice counts
    assert u["E"] not in rows  # retired with nothing counted
    assert rows[None] == Figures(staff=1, undeclared=1)  # staff in no unit
    assert unit_compliance(MARCH).totals == Figures(
        staff=9, level2=4, pending=1, level1=1, no_account=1, undeclared=2,
        notices=4, awaiting=5, decisions=2,
    )


def test_every_staff_member_is_in_exactly_one_column(data: DataSet) -> None:
    for month in (MARCH, APRIL):
        for row in unit_compliance(month).rows:
            f = row.figures
            assert f.level2 + f.pending + f.level1 + f.no_account + f.undeclared == f.staff


def test_percent_and_target(data: DataSet) -> None:
    rows = by_unit(MARCH)
    a, b, c = rows[data.units["A"]], rows[data.units["B"]], rows[data.units["C"]]
    assert a.percent == pytest.approx(100 * 2 / 6) and a.below_target and not a.complete
    assert b.percent == 100 and b.complete and not b.below_target
    assert c.percent is None and not c.below_target and not c.complete


def test_a_month_shows_the_state_at_its_end_not_today(data: DataSet) -> None:
    march = {line.employee.id: line for line in unit_staff(MARCH, data.units["A"])}
    p = data.people
    assert p["left_before"] not in march and p["joined_after"] not in march
    assert march[p["level2_after_month"]].declaration.status == "level1"
    assert march[p["level2_last_evening"]].compliant  # 23:30 local on the 31st
    assert march[p["level2_after_midnight"]].declaration is None  # 00:30 local on 1 April
    april = by_unit(APRIL)[data.units["A"]]
    # joined_after counts from April, undeclared; the two late declarers are on level 2.
    assert (april.staff, april.level2, april.undeclared) == (7, 4, 1)


def test_notices_in_the_month_and_awaiting_at_its_end(data: DataSet) -> None:
    notices = unit_notices(MARCH, data.units["A"])
    dated = {row.notice.id: row for row in notices.dated}
    awaiting = {row.notice.id: row for row in notices.awaiting}
    lines = dated | awaiting
    n = data.notices
    assert n["corrected"] not in lines  # superseded by its correction: counted once
    assert n["correction"] in dated and n["correction"] in awaiting
    assert n["decided"] in dated and n["decided"] not in awaiting and dated[n["decided"]].decided
    assert n["older_awaiting"] not in dated and not awaiting[n["older_awaiting"]].decided
    assert n["decided_after"] in awaiting  # decided at local midnight on 1 April
    assert n["recorded_after"] not in lines and n["old_decided"] not in lines
    assert all(row.stands for row in lines.values())
    assert len(lines[n["correction"]].notice.cases) == 1


def test_a_notice_corrected_after_the_month_counts_once_in_each_month(data: DataSet) -> None:
    n = data.notices
    def ids(month: Month) -> set[int]:
        notices = unit_notices(month, data.units["A"])
        return {row.notice.id for row in notices.dated + notices.awaiting}

    march = ids(MARCH)
    assert n["corrected_in_april"] in march and n["april_correction"] not in march
    april = ids(APRIL)
    assert n["april_correction"] in april and n["corrected_in_april"] not in april
    # April: nothing dated in April; four await (the correction once, and the notice recorded
    # late); decided_after was decided at local midnight on 1 April.
    a = by_unit(APRIL)[data.units["A"]]
    assert (a.notices, a.awaiting, a.decisions) == (0, 4, 1)


def test_decisions_in_the_month_count_the_standing_ones(data: DataSet) -> None:
    decisions = unit_decisions(MARCH, data.units["A"])
    assert len(decisions) == 2
    # The decision of 21 March was corrected on the 22nd: only the correction stands.
    assert [(d.appraisal.recorded_at.day, d.notices) for d in decisions] == [(20, 1), (22, 0)]


def test_a_month_without_data(data: DataSet) -> None:
    table = unit_compliance(Month(2023, 6))
    assert {row.unit_id for row in table.rows} == {data.units[k] for k in "ABC"}
    assert all(row.figures == Figures() for row in table.rows)
    assert table.totals == Figures() and table.totals.percent is None


def test_unit_figures_match_the_table_row(data: DataSet) -> None:
    """One unit's figures are counted among its own people and records only: the same as its
    row of the whole table, for an ended month and for the running one."""
    from intranet.months import current_month

    now = datetime.now(UTC).replace(tzinfo=None)
    declare(db.session.get(Employee, data.people["pending"]), "level2_active", now)
    declare(db.session.get(Employee, data.people["no_unit"]), "level1", now)
    db.session.commit()
    for month in (MARCH, APRIL, current_month()):
        rows = by_unit(month)
        for unit_id in (*data.units.values(), None):
            assert unit_figures(month, unit_id) == rows.get(unit_id, Figures()), (month, unit_id)
    assert unit_figures(current_month(), None).level1 == 1


def test_staff_filters_match_the_counts(data: DataSet) -> None:
    figures = by_unit(MARCH)[data.units["A"]]
    for group in ("level2", "pending", "level1", "no_account", "undeclared"):
        assert len(unit_staff(MARCH, data.units["A"], group)) == getattr(figures, group)
    assert len(unit_staff(MARCH, data.units["A"], "missing")) == figures.missing
    assert [line.employee.full_name for line in unit_staff(MARCH, None)] == ["Lý Văn Minh"]


def test_non_compliant_staff_unit_by_unit(data: DataSet) -> None:
    missing = non_compliant_staff(MARCH)
    assert len(missing) == unit_compliance(MARCH).totals.missing == 5
    assert [line.unit_name for line in missing][-1] is None  # no unit last
    assert not any(line.compliant for line in missing)


def test_sorting_on_the_server(data: DataSet) -> None:
    names = lambda sort: [row.unit.name if row.unit else None for row in unit_compliance(MARCH, sort).rows]
    a, b = "Hạt Kiểm lâm Hoài Ân", "Phòng Sử dụng và phát triển rừng"
    assert names(Sort()) == [a, "Hạt Kiểm lâm Phù Cát", "Hạt Kiểm lâm Phù Mỹ", b, None]
    # Worst first; units with nobody to count last.
    assert names(Sort.parse("percent"))[:3] == [None, a, b]
    assert names(Sort.parse("-percent"))[:3] == [b, a, None]
    assert names(Sort.parse("-staff"))[0] == a
    assert Sort.parse("nonsense") == Sort() and Sort.parse("-awaiting") == Sort("awaiting", True)
    assert Sort("percent").toggled("percent") == Sort("percent", True)
    assert Sort("percent").toggled("undeclared") == Sort("undeclared", True)  # most first


def test_history_month_by_month(data: DataSet) -> None:
    months = APRIL.back(4)
    assert months == [Month(2024, 1), Month(2024, 2), MARCH, APRIL]
    history = compliance_history(months)
    a = history.of(data.units["A"])
    assert [(p.staff, p.level2) for p in a] == [(7, 0), (6, 1), (6, 2), (7, 4)]
    assert [(p.staff, p.level2) for p in history.total][2] == (9, 4)
    assert history.of(data.units["C"])[0].percent is None


def assert_history_agrees_with_each_months_table() -> None:
    # The chart adds up month-by-month changes; the table counts each month afresh.
    months = Month(2024, 6).back(8)
    history = compliance_history(months)
    for position, month in enumerate(months):
        for row in unit_compliance(month).rows:
            point = history.of(row.unit_id)[position]
            assert (point.staff, point.level2) == (row.figures.staff, row.figures.level2), month


def test_history_agrees_with_each_months_table(data: DataSet) -> None:
    assert_history_agrees_with_each_months_table()


def test_each_month_counts_people_in_the_unit_they_were_in_then(data: DataSet) -> None:
    u = data.units
    before = by_unit(APRIL)
    mover = db.session.get(Employee, data.people["b2"])  # in B, on level 2 since 1 March
    mover.unit_id, mover.synced_at = u["A"], datetime(2024, 4, 10)  # the sync that saw the move
    back = db.session.get(Employee, data.people["left_before"])  # left on 15 February, level 1
    back.active, back.left_at, back.synced_at = True, None, datetime(2024, 4, 20)
    db.session.commit()

    assert by_unit(MARCH)[u["B"]] == Figures(staff=2, level2=2)  # the move came after March
    assert by_unit(MARCH)[u["A"]].staff == 6  # and the one who left is not back yet
    april = by_unit(APRIL)
    assert april[u["B"]] == Figures(staff=1, level2=1)
    assert (april[u["A"]].staff, april[u["A"]].level2, april[u["A"]].level1) == (
        before[u["A"]].staff + 2, before[u["A"]].level2 + 1, before[u["A"]].level1 + 1
    )
    assert mover.id in {line.employee.id for line in unit_staff(MARCH, u["B"])}
    assert mover.id not in {line.employee.id for line in unit_staff(MARCH, u["A"])}
    assert mover.id in {line.employee.id for line in unit_staff(APRIL, u["A"])}
    assert {line.unit_id for line in non_compliant_staff(MARCH) if line.employee_id == back.id} == set()
    assert_history_agrees_with_each_months_table()


def test_the_latest_status_on_each_employee_row_follows_the_declarations(data: DataSet) -> None:
    def latest(key: str) -> str | None:
        return db.session.scalar(select(Employee.vneid_status).filter_by(id=data.people[key]))

    assert latest("level2_after_month") == "level2_active"
    assert latest("pending") == "level2_pending"
    assert latest("joined_after") is None  # never declared
    changed = db.session.get(Employee, data.people["pending"])
    declare(changed, "level2_active", datetime(2024, 6, 1))
    # Recorded later but dated earlier (an import, say): it does not replace the latest.
    declare(changed, "none", datetime(2024, 5, 1))
    db.session.commit()
    assert latest("pending") == "level2_active"


def test_the_current_month_counts_the_same_from_employee_rows_as_from_the_history(data: DataSet) -> None:
    """The current month reads each person's latest status from their row; the history,
    a seek per person, must give the same counts."""
    from intranet.compliance.params import MONTH_END, month_params
    from intranet.compliance.staff import people_by_status
    from intranet.months import current_month

    def counts(from_history: bool) -> list[tuple]:
        by_status = people_by_status(MONTH_END, running=not from_history)
        return sorted(db.session.execute(select(by_status), month_params(current_month())).all(), key=repr)

    now = datetime.now(UTC).replace(tzinfo=None)
    declare(db.session.get(Employee, data.people["joined_after"]), "level1", now)
    declare(db.session.get(Employee, data.people["no_account"]), "level2_active", now)
    db.session.commit()
    assert counts(from_history=False) == counts(from_history=True)
    assert (data.units["A"], "level2_active", 5) in counts(from_history=False)


def test_a_history_ending_this_month_agrees_with_each_months_table(data: DataSet) -> None:
    """A chart that ends with the running month starts from that month's counts (the employee
    rows) and takes each later month's changes away: every month must still match its table,
    with declarations on and off level 2, a move, a departure and a return in the months shown."""
    from datetime import timedelta

    from intranet.months import current_month

    months = current_month().back(5)
    u, people = data.units, data.people

    def during(position: int, days: int = 3) -> datetime:
        # UTC instant inside months[position]; the first month of the chart is never changed.
        return months[position].starts_utc() + timedelta(days=days)

    def person(key: str) -> Employee:
        return db.session.get(Employee, people[key])

    declare(person("pending"), "level2_active", during(1))
    declare(person("pending"), "level1", during(3))  # off level 2 again
    declare(person("no_account"), "level2_active", during(2))
    declare(person("no_account"), "level2_active", during(2, days=4))  # the same again: no change
    declare(person("b1"), "level2_pending", during(4, days=1))
    moved = person("on_level2")
    moved.unit_id, moved.synced_at = u["B"], during(2, days=5)  # on level 2, moves A -> B
    gone = person("level2_after_month")
    gone.left_at, gone.active = during(3, days=6), False
    back = person("left_before")
    back.left_at, back.active, back.synced_at = None, True, during(1, days=8)
    db.session.commit()

    history = compliance_history(months)
    for position, month in enumerate(months):
        for row in unit_compliance(month).rows:
            point = history.of(row.unit_id)[position]
            assert (point.staff, point.level2) == (row.figures.staff, row.figures.level2), month
    a = [(p.staff, p.level2) for p in history.of(u["A"])]
    # On level 2: pending +1; no_account +1 and on_level2 moved out -1; pending -1 and gone -1.
    assert a[1][1] == a[0][1] + 1 and a[2][1] == a[1][1] and a[3][1] == a[2][1] - 2


def test_the_current_months_people_are_the_same_from_employee_rows_as_from_the_history(
    data: DataSet,
) -> None:
    """A unit's people this month come from the employee rows (a range of an index); the
    history, a seek per person, must name the same people with the same declarations."""
    from intranet.compliance.params import month_params
    from intranet.compliance.staff import _staff_lines
    from intranet.months import current_month

    now = datetime.now(UTC).replace(tzinfo=None)
    declare(db.session.get(Employee, data.people["joined_after"]), "level1", now)
    declare(db.session.get(Employee, data.people["no_account"]), "level2_active", now)
    moved = db.session.get(Employee, data.people["b1"])
    moved.unit_id, moved.synced_at = data.units["A"], now
    db.session.commit()

    def lines(running: bool, unit_id: object = ...) -> list[tuple]:
        query = _staff_lines(None, running, unit_id)
        rows = db.session.execute(query, month_params(current_month()))
        return sorted((e.id, d.id if d else None, u.id if u else None) for e, d, u in rows)

    assert lines(running=True) == lines(running=False)
    for unit_id in (*data.units.values(), None):
        assert lines(True, unit_id) == lines(False, unit_id) == [
            line for line in lines(False) if line[2] == unit_id
        ]
    in_a = lines(True, data.units["A"])
    assert any(line[0] == moved.id and line[2] == data.units["A"] for line in in_a)


def kept_moves() -> set[tuple]:
    from intranet.database.level2_changes import LEVEL2_CHANGE

    return {tuple(row) for row in db.session.execute(select(LEVEL2_CHANGE))}


def moves_by_definition() -> set[tuple]:
    """Each declaration against the one it replaced, sought as every page seeks it
    (intranet/timelines.py): +1 onto level 2, -1 off it."""
    from sqlalchemy.orm import aliased

    from intranet.models import Declaration
    from intranet.timelines import DECLARATIONS, before, latest_record

    record = aliased(Declaration)
    replaced = latest_record(DECLARATIONS, record.employee_id, "status", before(DECLARATIONS, record))
    rows = db.session.execute(select(record.id, record.employee_id, record.declared_at,
                                     record.status, replaced.label("replaced"))).all()

    def on(status: str | None) -> bool:
        return status == "level2_active"

    return {(id_, person, at, 1 if on(status) else -1)
            for id_, person, at, status, was in rows if on(status) != on(was)}


def test_the_database_keeps_each_declarations_move_onto_level_2_or_off_it(data: DataSet) -> None:
    """The trigger's rows are the moves the timelines' definition gives, with two
    declarations at one instant (the higher id is the later), the same status declared
    again (no move), and declarations recorded with an earlier time than the person's
    latest (an import, say): the later declaration then replaced another, and its move too."""
    def person(key: str) -> Employee:
        return db.session.get(Employee, data.people[key])

    assert kept_moves() == moves_by_definition() and kept_moves()
    tie = datetime(2024, 3, 12, 5)
    declare(person("pending"), "level2_active", tie)
    db.session.flush()
    declare(person("pending"), "level1", tie)  # same instant, recorded after: it stands
    declare(person("no_account"), "level2_active", datetime(2024, 5, 3))
    declare(person("no_account"), "level2_active", datetime(2024, 5, 9))  # the same again
    db.session.commit()
    assert kept_moves() == moves_by_definition()

    b1 = person("b1")
    moves_before = {move for move in kept_moves() if move[1] == b1.id}
    # Between two of b1's, and before all of them: each changes what the next replaced.
    declare(b1, "none", datetime(2024, 3, 1, 12))
    declare(b1, "level2_active", datetime(2023, 1, 1))
    db.session.commit()
    assert kept_moves() == moves_by_definition()
    assert {move for move in kept_moves() if move[1] == b1.id} != moves_before
    # Several of one person's in one statement, latest first.
    from intranet.models import Declaration

    db.session.execute(insert(Declaration), [
        {"employee_id": b1.id, "status": status, "declared_at": at, "committed": False}
        for status, at in (("level2_active", datetime(2024, 7, 2)), ("level1", datetime(2024, 7, 1)),
                           ("level2_active", datetime(2024, 6, 30)))
    ])
    db.session.commit()
    assert kept_moves() == moves_by_definition()


def test_two_declarations_for_one_person_at_once_keep_the_right_moves(data: DataSet) -> None:
    """On PostgreSQL two transactions can declare for one person at once: the second waits
    for the first and then reads its declaration as the one it replaced."""
    import threading

    from intranet.models import Declaration

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    person = data.people["pending"]
    db.session.commit()

    def declaration(status: str, at: datetime):
        return insert(Declaration).values(employee_id=person, status=status, declared_at=at,
                                          committed=False)

    first, second = db.engine.connect(), db.engine.connect()
    try:
        first.begin()
        first.execute(declaration("level2_active", datetime(2024, 8, 1)))
        waiting = threading.Thread(target=lambda: (
            second.begin(), second.execute(declaration("level1", datetime(2024, 8, 2))),
            second.commit()))
        waiting.start()
        waiting.join(timeout=1)
        assert waiting.is_alive()  # it waits for the first
        first.commit()
        waiting.join(timeout=10)
        assert not waiting.is_alive()
    finally:
        first.close()
        second.close()
    db.session.expire_all()
    assert kept_moves() == moves_by_definition()
    assert {move[3] for move in kept_moves() if move[1] == person and move[2].year == 2024
            and move[2].month == 8} == {1, -1}


def test_a_history_counts_the_kept_moves_as_the_months_tables_count_declarations(
    data: DataSet,
) -> None:
    """The chart's changes come from the kept moves, each month's table from the declarations
    standing at its end: with moves recorded out of order, both agree month by month."""
    def person(key: str) -> Employee:
        return db.session.get(Employee, data.people[key])

    declare(person("b1"), "level2_pending", datetime(2024, 4, 3))
    declare(person("b1"), "level2_active", datetime(2024, 5, 3))
    declare(person("b1"), "level1", datetime(2024, 2, 3))  # recorded last, dated first
    declare(person("on_level2"), "none", datetime(2024, 5, 20))
    db.session.commit()
    assert_history_agrees_with_each_months_table()


def test_everyones_standing_records_are_the_same_in_one_pass_or_by_seeks(data: DataSet) -> None:
    """PostgreSQL places the whole staff of an ended month with one ordered pass over each
    timeline (DISTINCT ON); the seek per person is the definition: both must agree, with two
    declarations at one instant and a move."""
    from intranet.compliance.params import MONTH_END, month_params
    from intranet.compliance.staff import staff_at

    if db.engine.dialect.name != "postgresql":
        pytest.skip("DISTINCT ON is PostgreSQL's; SQLite always seeks")
    tie = datetime(2024, 3, 12, 5)
    pending = db.session.get(Employee, data.people["pending"])
    declare(pending, "level2_active", tie)
    db.session.flush()
    declare(pending, "level1", tie)  # same instant, higher id: it stands
    mover = db.session.get(Employee, data.people["b2"])
    mover.unit_id, mover.synced_at = data.units["A"], datetime(2024, 3, 20)
    db.session.commit()
    for month in (Month(2024, 2), MARCH, APRIL):
        def placed(in_one_pass: bool) -> list[tuple]:
            query = select(staff_at(MONTH_END, in_one_pass=in_one_pass))
            return sorted(db.session.execute(query, month_params(month)).all(), key=repr)

        assert placed(True) == placed(False) != []
    assert (pending.id, data.units["A"], "level1") in placed(True)
