"""The figures version moves with every write a compliance figure counts, and only then; the
pages reuse figures worked out at the same version, never across a write."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Column, Table, func, insert, select
from sqlalchemy.sql import visitors

from intranet.database import figures_version
from intranet.extensions import db
from intranet.models import Employee, Notice, Unit, appraisal_notice, utcnow

from .support.factories import add_employee, add_notice, decide, declare
from .support.statements import recorded


def version() -> int:
    return figures_version.current(db.session)[1]


def test_each_write_a_figure_counts_moves_the_version(app: Flask) -> None:
    with app.app_context():
        steps = []

        def step(write) -> None:
            before = version()
            write()
            db.session.commit()
            steps.append(version() > before)

        unit = Unit("Hạt Kiểm lâm An Lão")
        step(lambda: db.session.add(unit))
        step(lambda: add_employee("Nguyễn Văn An", unit))  # with their roster entry
        person = db.session.scalar(select(Employee).where(Employee.full_name == "Nguyễn Văn An"))
        step(lambda: declare(person, "level1", datetime(2024, 3, 1)))
        step(lambda: add_notice(person, unit, date(2024, 3, 5), datetime(2024, 3, 6)))
        step(lambda: decide([], person, datetime(2024, 3, 7)))  # a proposal about no notice
        notice = db.session.scalar(select(Notice))
        appraisal = decide([], person, datetime(2024, 3, 8))
        db.session.commit()
        step(lambda: db.session.execute(  # a notice linked to a proposal afterwards
            insert(appraisal_notice).values(appraisal_id=appraisal.id, notice_id=notice.id)))
        other = Unit("Hạt Kiểm lâm Hoài Nhơn")
        db.session.add(other)
        db.session.commit()
        step(lambda: setattr(person, "unit", other))  # a move
        step(lambda: setattr(person, "left_at", utcnow()))  # leaving
        step(lambda: setattr(unit, "name", "Hạt Kiểm lâm An Lão mới"))
        assert steps == [True] * len(steps)


def test_writes_no_figure_counts_leave_it_alone(app: Flask) -> None:
    with app.app_context():
        unit = Unit("Hạt Kiểm lâm An Lão")
        person = add_employee("Nguyễn Văn An", unit)
        db.session.commit()
        before = version()
        person.last_sign_in_at = utcnow()
        person.full_name = "Nguyễn Văn Ân"
        person.unit = unit  # the same unit again
        db.session.commit()
        assert version() == before
        # A write rolled back leaves it as it was.
        declare(person, "level1", datetime(2024, 3, 1))
        db.session.flush()
        assert version() > before
        db.session.rollback()
        assert version() == before


def test_a_write_after_a_savepoint_rolled_back_still_moves_it(app: Flask) -> None:
    """PostgreSQL moves the number once per transaction; a move undone with its savepoint
    (a form's rule violation, intranet/submit.py) does not count as done."""
    with app.app_context():
        person = add_employee("Nguyễn Văn An", Unit("Hạt Kiểm lâm An Lão"))
        db.session.commit()
        before = version()
        savepoint = db.session.begin_nested()
        declare(person, "level1", datetime(2024, 3, 1))
        db.session.flush()
        savepoint.rollback()
        assert version() == before
        declare(person, "level2_active", datetime(2024, 3, 2))
        declare(person, "level2_active", datetime(2024, 3, 3))
        db.session.commit()
        assert version() > before


def figures_statements(app: Flask, client: FlaskClient, path: str) -> int:
    """How many of the statements a page sends work a month's figures out."""
    with recorded(app) as seen:
        assert client.get(path).status_code == 200
    return sum("by_status" in statement for statement in seen.seen)


def test_pages_work_figures_out_again_only_after_a_write(
    synced_app: Flask, admin_client: FlaskClient
) -> None:
    for path in ("/compliance", "/compliance?sort=-percent", "/compliance/trend"):
        assert figures_statements(synced_app, admin_client, path) == 1
        assert figures_statements(synced_app, admin_client, path) == 0
    with synced_app.app_context():
        person = db.session.scalar(select(Employee).where(Employee.unit_id.is_not(None)))
        declare(person, "level2_active", utcnow())
        db.session.commit()
        unit = person.unit_id
    assert figures_statements(synced_app, admin_client, "/compliance") == 1
    assert figures_statements(synced_app, admin_client, f"/compliance/unit/{unit}") == 2
    assert figures_statements(synced_app, admin_client, f"/compliance/unit/{unit}") == 0
    # A file is read in a read-only transaction, its download logged after (intranet/
    # downloads.py): it reuses the figures the table worked out, and its log row is no write
    # the figures count.
    assert figures_statements(synced_app, admin_client, "/compliance.csv") == 0
    with synced_app.app_context():
        declare(person, "level1", utcnow())
        db.session.commit()
    assert figures_statements(synced_app, admin_client, "/compliance.csv") == 1
    assert figures_statements(synced_app, admin_client, "/compliance.csv") == 0


def test_the_trend_reads_its_units_again_only_after_a_write(
    synced_app: Flask, admin_client: FlaskClient
) -> None:
    def unit_statements() -> int:
        with recorded(synced_app) as seen:
            page = admin_client.get("/compliance/trend")
        assert page.status_code == 200
        pages.append(page.get_data(as_text=True))
        return sum("FROM unit ORDER BY" in statement for statement in seen.seen)

    pages: list[str] = []
    assert unit_statements() == 1
    assert unit_statements() == 0
    with synced_app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.active.is_(True)).order_by(Unit.id))
        old_name = unit.name
        unit.name = "Hạt Kiểm lâm Đổi Tên"
        db.session.commit()
    assert unit_statements() == 1
    assert "Hạt Kiểm lâm Đổi Tên" in pages[-1] and old_name not in pages[-1]
    assert old_name in pages[0]


def test_the_table_names_its_units_as_they_are_now_without_reading_them_each_time(
    synced_app: Flask, admin_client: FlaskClient
) -> None:
    """The month's table kept at a number names its units from every_unit(), kept at the same
    number: no statement for them on a view that works nothing out, a new name at once."""
    def view() -> tuple[str, int]:
        with recorded(synced_app) as seen:
            page = admin_client.get("/compliance")
        assert page.status_code == 200
        return page.get_data(as_text=True), sum("FROM unit" in text for text in seen.seen)

    view()
    view()  # the units kept
    kept, unit_reads = view()
    assert unit_reads == 0
    with synced_app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.active.is_(True)).order_by(Unit.id))
        old_name = unit.name
        unit.name = "Hạt Kiểm lâm Đổi Tên"
        db.session.commit()
    for _ in range(3):  # worked out again, then kept twice
        page, _reads = view()
        assert "Hạt Kiểm lâm Đổi Tên" in page and old_name not in page
    assert old_name in kept
    assert view()[1] == 0


def read_by_the_figures() -> dict[str, set[str]]:
    """The tables (and their columns) every statement the memo keeps results of reads."""
    from intranet.compliance import figures, history
    from intranet.compliance.sorting import Sort

    statements = []
    for running in (True, False):
        for in_one_pass in (True, False):
            statements.append(figures._sorted_unit_figures(running, Sort(), in_one_pass))
            statements.append(history._statement(12, running, in_one_pass))
        statements += [figures._unit_figures(running, only)[0] for only in ("unit", "none")]
    statements.append(figures._UNITS)
    read: dict[str, set[str]] = {}
    for statement in statements:
        for element in visitors.iterate(statement):
            table = getattr(element, "table", None)
            while table is not None and not isinstance(table, Table):
                table = getattr(table, "element", None)  # an alias: the table behind it
            if isinstance(element, Column) and table is not None:
                read.setdefault(table.name, set()).add(element.name)
    return read


def test_every_table_and_column_the_figures_read_moves_the_version(app: Flask) -> None:
    """A figure reading a table or column that moves no version could be shown stale."""
    read = read_by_the_figures()
    assert {"declaration", "employee", "roster_entry", "notice"} <= set(read)
    for table, columns in read.items():
        assert table in figures_version.WATCHED, table
        watched = figures_version.WATCHED[table]
        if watched is not None:
            # The id never changes; the status is the latest declaration's (which moves it).
            assert columns <= {*watched, "id", "vneid_status"}, (table, columns)


def test_requests_within_one_app_context_each_read_the_version(
    synced_app: Flask, admin_client: FlaskClient
) -> None:
    """Flask reuses an app context already pushed (a script's, a test's) for each request in
    it, and its `g` with it: the number is read again for each transaction, not once per `g`."""
    with synced_app.app_context():
        assert figures_statements(synced_app, admin_client, "/compliance") == 1
        person = db.session.scalar(select(Employee).where(Employee.unit_id.is_not(None)))
        declare(person, "level2_active", utcnow())
        db.session.commit()
        assert figures_statements(synced_app, admin_client, "/compliance") == 1
        assert figures_statements(synced_app, admin_client, "/compliance") == 0


def test_records_write_the_day_they_count_from_under_the_new_version(app: Flask) -> None:
    """figures_dated: each record a figure counts leaves its day (UTC) under a number above
    the one read before it and no higher than the one read after, so figures kept at the
    earlier number see it (memo.remembered's refresh)."""
    from intranet.database import figures_dated

    with app.app_context():
        unit = Unit("Hạt Kiểm lâm An Lão")
        db.session.add(unit)
        db.session.commit()

        def written(write) -> tuple[int, int, date | None]:
            before = version()
            write()
            db.session.commit()
            return before, version(), figures_dated.first_day_since(db.session, before)

        before, after, day = written(lambda: add_employee("Nguyễn Văn An", unit,
                                                          created_at=datetime(2024, 1, 1, 20)))
        assert day == date(2024, 1, 1)  # the roster entry the database appends, dated as hired
        person = db.session.scalar(select(Employee))
        before, after, day = written(lambda: [declare(person, "level1", datetime(2024, 5, 3, 8)),
                                              declare(person, "level2_active", datetime(2024, 3, 9))])
        assert day == date(2024, 3, 9)  # the earliest of the transaction's
        newest = db.session.scalar(select(func.max(figures_dated.FIGURES_DATED.c.n)))
        assert before < newest <= after
        assert figures_dated.first_day_since(db.session, after) is None
        # A notice counts from its recording, a proposal too, and one joined to a notice
        # afterwards from the proposal's recording.
        before, after, day = written(lambda: add_notice(person, unit, date(2024, 2, 5),
                                                        datetime(2024, 2, 6, 9)))
        assert day == date(2024, 2, 6)
        notice = db.session.scalar(select(Notice))
        appraisal = decide([], person, datetime(2024, 2, 20))
        db.session.commit()
        before, after, day = written(lambda: db.session.execute(
            insert(appraisal_notice).values(appraisal_id=appraisal.id, notice_id=notice.id)))
        assert day == date(2024, 2, 20)
        # A unit is no record of a month: every day.
        before, after, day = written(lambda: setattr(unit, "name", "Hạt Kiểm lâm An Lão mới"))
        assert day == figures_dated.EVERY_DAY
        # A sign-in dates nothing.
        before, after, day = written(lambda: setattr(person, "last_sign_in_at", utcnow()))
        assert after == before and day is None
        # Rolled back, a declaration leaves no day.
        before = version()
        declare(person, "level1", datetime(2023, 6, 1))
        db.session.flush()
        db.session.rollback()
        assert figures_dated.first_day_since(db.session, before) is None


def test_a_past_months_figures_read_only_what_figures_dated_dates(app: Flask) -> None:
    """A month that has ended keeps its figures until a record dated by its end is written
    (database/figures_dated.py): its table, a unit's figures, the counts at its end and each
    month's changes must read no table but those whose records are dated there (and the
    employees' ids). A new table read there must date its records in figures_dated too."""
    from intranet.compliance import figures, history
    from intranet.compliance.sorting import Sort
    from intranet.database import figures_dated

    statements = []
    for in_one_pass in (True, False):
        statements.append(history._statement(12, False, in_one_pass))
        statements.append(figures._sorted_unit_figures(False, Sort(), in_one_pass))
    statements += [figures._unit_figures(False, only)[0] for only in ("unit", "none")]
    read: dict[str, set[str]] = {}
    for statement in statements:
        for element in visitors.iterate(statement):
            table = getattr(element, "table", None)
            while table is not None and not isinstance(table, Table):
                table = getattr(table, "element", None)
            if isinstance(element, Column) and table is not None:
                read.setdefault(table.name, set()).add(element.name)
    assert set(read) - {"employee"} <= set(figures_dated.DATED), read
    assert read.get("employee", set()) <= {"id"}, read
