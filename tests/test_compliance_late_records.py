"""A month that has ended shows what the records say now, on every page: a declaration, a
notice or a proposal recorded after the month was first looked at changes its figures at
once, as the records' own query counts them. (Figures worked out for an earlier view are
kept only until a record they count is written: compliance/memo.py.)"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.compliance.figures import unit_compliance
from intranet.compliance.results import Figures
from intranet.extensions import db
from intranet.models import Employee, Notice, Unit, utcnow

from .support.clock import agency_today
from .support.factories import (
    MARCH, DataSet, add_employee, add_notice, build_data_set, decide, declare,
)

# The table's figure columns after the number and the unit's name (the share left out: it
# is worked out from two of them).
COLUMNS = ("staff", "level2", None, "pending", "level1", "no_account", "undeclared",
           "notices", "awaiting", "decisions")


@pytest.fixture
def data(synced_app: Flask) -> DataSet:
    with synced_app.app_context():
        return build_data_set()


class Rows(HTMLParser):
    """Each row of the table with class "compliance-table", as its cells' text."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.rows, self.cell = False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "compliance-table" in (dict(attrs).get("class") or ""):
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, text):
        if self.cell is not None:
            self.cell.append(text)


def table_figures(page: str) -> dict[str, Figures]:
    """The figures the table page shows, by unit name (and "Toàn Chi cục")."""
    parser = Rows()
    parser.feed(page)
    shown = {}
    for row in parser.rows[2:]:  # after the two header rows
        values = {name: int(cell) for name, cell in zip(COLUMNS, row[2:]) if name}
        shown[row[1].removesuffix(" (đơn vị đã ngừng)")] = Figures(**values)
    return shown


def live(app: Flask) -> tuple[dict[str, Figures], Figures]:
    """March's figures by unit name, and the whole's, from the records' query run now."""
    with app.app_context():
        table = unit_compliance(MARCH)
        by_name = {row.unit.name if row.unit else "Chưa thuộc đơn vị nào": row.figures
                   for row in table.rows}
        return by_name, table.totals


def share(figures: Figures) -> str:
    """A level-2 share as the pages write it: "44,4% (4/9"."""
    return f"{figures.percent:.1f}".replace(".", ",") + f"% ({figures.level2}/{figures.staff}"


def assert_pages_show(client: FlaskClient, app: Flask, unit_a: int) -> tuple[dict[str, Figures], Figures]:
    """March on the table, the trend and unit A's page equals the live query's answer."""
    by_name, whole = live(app)
    table = client.get("/compliance?month=2024-03").get_data(as_text=True)
    shown = table_figures(table)
    assert shown.pop("Toàn Chi cục") == whole
    assert {name: shown[name] for name in by_name} == by_name
    assert all(figures == Figures() for name, figures in shown.items() if name not in by_name)

    trend = client.get("/compliance/trend?month=2024-03").get_data(as_text=True)
    assert f"Toàn Chi cục, tháng 03/2024: {share(whole)} người" in trend
    a = by_name["Hạt Kiểm lâm Hoài Ân"]
    unit = client.get(f"/compliance/unit/{unit_a}?month=2024-03").get_data(as_text=True)
    # The unit's chart ends with March, from the history; its headline, from the table's query.
    assert f"Hạt Kiểm lâm Hoài Ân, tháng 03/2024: {share(a)} người" in unit
    assert f"người đã kích hoạt mức độ 2 ({a.level2}/{a.staff})" in unit
    assert f"Chờ kích hoạt mức độ 2 ({a.pending})" in unit
    assert f"Thông báo ban hành trong tháng 03/2024 ({a.notices})" in unit
    assert f"Thông báo còn chờ thủ trưởng đề xuất vào cuối tháng ({a.awaiting})" in unit
    stats = [int(n) for n in re.findall(r'<span class="stat-value">(\d+)</span>', unit)]
    assert stats == [a.notices, a.awaiting, a.decisions]
    return by_name, whole


def test_records_made_after_a_month_was_viewed_show_on_its_pages_at_once(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet
) -> None:
    unit_a, name_a = data.units["A"], "Hạt Kiểm lâm Hoài Ân"

    def record(write: Callable[[dict[str, Employee], Unit], object]) -> dict[str, Figures]:
        """Write something, then look at March again: its pages equal the live answer."""
        with synced_app.app_context():
            people = {key: db.session.get(Employee, id_) for key, id_ in data.people.items()}
            write(people, db.session.get(Unit, unit_a))
            db.session.commit()
        return assert_pages_show(admin_client, synced_app, unit_a)[0]

    first, whole = assert_pages_show(admin_client, synced_app, unit_a)
    a = first[name_a]
    assert (a.level2, a.pending, a.notices, a.awaiting, a.decisions) == (2, 1, 3, 4, 2)

    # A late declaration: recorded now, dated in March (the records allow a date in the
    # past): from now on March counts it, on every page.
    shown = record(lambda p, _u: declare(p["pending"], "level2_active", datetime(2024, 3, 25)))
    assert (shown[name_a].level2, shown[name_a].pending) == (3, 0)
    assert live(synced_app)[1].level2 == whole.level2 + 1
    # Declared now: March does not count it.
    shown = record(lambda p, _u: declare(p["no_account"], "level2_active", utcnow()))
    assert (shown[name_a].level2, shown[name_a].no_account) == (3, 1)
    # A late notice about March, recorded now: March had not heard of it by its end.
    shown = record(lambda p, u: add_notice(p["on_level2"], u, date(2024, 3, 28), utcnow(),
                                           reference="2803/TB"))
    assert (shown[name_a].notices, shown[name_a].awaiting) == (3, 4)
    # One whose record is dated in March (the records allow it): March counts it.
    shown = record(lambda p, u: add_notice(p["on_level2"], u, date(2024, 3, 29),
                                           datetime(2024, 3, 30), reference="2903/TB"))
    assert (shown[name_a].notices, shown[name_a].awaiting) == (4, 5)
    # A proposal on it recorded in March too: it no longer awaits one at March's end.
    with synced_app.app_context():
        late = db.session.scalar(select(Notice).where(Notice.reference_number == "2903/TB"))
        late_id = late.id
    shown = record(lambda p, _u: decide([db.session.get(Notice, late_id)], p["on_level2"],
                                        datetime(2024, 3, 31)))
    assert (shown[name_a].awaiting, shown[name_a].decisions) == (4, 3)
    others = {name: figures for name, figures in first.items() if name != name_a}
    assert {name: figures for name, figures in shown.items() if name != name_a} == others


def test_a_late_record_changes_the_month_it_is_about_and_no_other(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet
) -> None:
    """February, viewed before and after, keeps its figures; April counts the declaration
    dated in March as standing at its end too."""
    def month_page(month: str) -> dict[str, Figures]:
        return table_figures(admin_client.get(f"/compliance?month={month}").get_data(as_text=True))

    february, april = month_page("2024-02"), month_page("2024-04")
    with synced_app.app_context():
        declare(db.session.get(Employee, data.people["pending"]), "level2_active",
                datetime(2024, 3, 25))
        db.session.commit()
    assert month_page("2024-02") == february
    a_before, a_after = april["Hạt Kiểm lâm Hoài Ân"], month_page("2024-04")["Hạt Kiểm lâm Hoài Ân"]
    assert (a_after.level2, a_after.pending) == (a_before.level2 + 1, a_before.pending - 1)


def test_the_running_years_chart_after_each_write_equals_the_chart_worked_out_in_full(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chart ending with the running month keeps the counts of months that ended before
    every day written since it was worked out (history._refreshed): after each write, the
    trend and unit A's page are those worked out from nothing kept, and only a declaration or
    roster entry dated in a month shown makes that month and the later ones worked out again."""
    from intranet.compliance import history
    from intranet.compliance.memo import EXTENSION as MEMO
    from intranet.months import current_month

    from intranet.database.figures_dated import dated_after

    with synced_app.app_context():
        shown = current_month().back(12)
        # A write dated now: the running month alone. In a month's first hours (local time)
        # now's UTC day is still the one the last month ended on, and the day is all a write
        # tells (figures_dated.py): the last month is then worked out again too, from the one
        # before it.
        now_alone = [1] if dated_after(utcnow().date(), shown[-2].ends_utc()) else [3]
    unit_a = data.units["A"]
    # How many months each history was worked out for (1: the running month alone, from
    # the employee rows and the roster's changes in it, see history._refreshed).
    worked_out: list[int] = []
    whole = history._history

    def counted(months, **how) -> history.History:
        worked_out.append(len(months) if how.get("declarations", True) else 1)
        return whole(months, **how)

    monkeypatch.setattr(history, "_history", counted)

    def mid(month) -> datetime:
        return month.ends_utc() - timedelta(days=14)

    def pages() -> list[str]:
        """The two pages, their forms' CSRF tokens left out (signed with the second)."""
        return [re.sub(r'name="csrf_token" value="[^"]*"', "", admin_client.get(path).get_data(as_text=True))
                for path in ("/compliance/trend", f"/compliance/unit/{unit_a}")]

    def record(write: Callable[[dict[str, Employee], Unit], object]) -> list[int]:
        """Write, then the pages from what is kept equal the pages from nothing kept; the
        lengths of the histories worked out for the first."""
        with synced_app.app_context():
            people = {key: db.session.get(Employee, id_) for key, id_ in data.people.items()}
            write(people, db.session.get(Unit, unit_a))
            db.session.commit()
        worked_out.clear()
        kept = pages()
        lengths = list(worked_out)
        synced_app.extensions[MEMO].clear()
        assert kept == pages()
        return lengths

    # A year of records in unit A: someone hired 14 months ago declaring every few months.
    def year(p: dict[str, Employee], unit: Unit) -> None:
        person = add_employee("Mai Văn Phúc", unit, created_at=mid(shown[0]) - timedelta(days=60))
        for month, status in zip(shown[1:11:3], ("level1", "level2_active", "level1", "level2_active")):
            declare(person, status, mid(month))

    assert record(year) == [12]  # nothing kept yet
    worked_out.clear()
    pages()
    assert worked_out == []  # the same version: nothing worked out
    # Declared now: the running month alone.
    assert record(lambda p, _u: declare(p["pending"], "level2_active", utcnow())) == now_alone
    # A notice moves no count: again the running month alone (always worked out again).
    assert record(lambda p, u: add_notice(p["on_level2"], u, agency_today(), utcnow(),
                                          reference="1/TB")) == now_alone
    # A late declaration dated four months back: that month and the later ones.
    assert record(lambda p, _u: declare(p["no_account"], "level2_active", mid(shown[-5]))) == [6]
    # Someone hired (their roster entry) seven months back, in unit A.
    assert record(lambda _p, u: add_employee("Cao Thị Quế", u, created_at=mid(shown[-8]))) == [9]
    # A late record in the first month shown: all of it again.
    assert record(lambda p, _u: declare(p["b1"], "level1", mid(shown[0]))) == [12]
    # A move now (the roster entry the database appends, dated by the sync): the last two.
    def move(p: dict[str, Employee], _u: Unit) -> None:
        p["b2"].unit_id, p["b2"].synced_at = unit_a, utcnow()

    assert record(move) == now_alone

    # A unit of one (a unit written: every month worked out again), who declares now and
    # then leaves: the running month alone, and the unit keeps its line, its staff in the
    # months before, though nobody is left in it and its declaration is not counted again.
    def lone(_p: dict[str, Employee], _u: Unit) -> None:
        unit = Unit("Trạm Kiểm lâm Đèo Nhông")
        db.session.add(unit)
        add_employee("Đinh Văn Lực", unit, created_at=mid(shown[0]) - timedelta(days=60))

    assert record(lone) == [12]

    def declares_and_leaves(_p: dict[str, Employee], _u: Unit) -> None:
        person = db.session.scalar(select(Employee).filter_by(full_name="Đinh Văn Lực"))
        declare(person, "level2_active", utcnow())
        db.session.flush()
        person.left_at = utcnow()

    assert record(declares_and_leaves) == now_alone
    trend = admin_client.get("/compliance/trend").get_data(as_text=True)
    assert "Trạm Kiểm lâm Đèo Nhông" in trend


def test_a_past_months_pages_are_kept_across_writes_dated_after_it(
    admin_client: FlaskClient, synced_app: Flask, data: DataSet
) -> None:
    """March's table, trend, unit page and report keep their figures across a write dated
    after March (database/figures_dated.py) and work them out again after one dated in it;
    each time they equal the pages worked out from nothing kept."""
    from intranet.compliance.memo import EXTENSION as MEMO

    from .support.statements import recorded

    paths = ("/compliance?month=2024-03", "/compliance/trend?month=2024-03",
             f"/compliance/unit/{data.units['A']}?month=2024-03",
             "/compliance/report?month=2024-03")

    def pages() -> tuple[list[str], int]:
        """The pages (the forms' CSRF tokens left out: the report's has one), and how many
        statements worked figures out."""
        with recorded(synced_app) as seen:
            shown = [re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "",
                            admin_client.get(path).get_data(as_text=True)) for path in paths]
        return shown, sum("by_status" in statement for statement in seen.seen)

    def record(write: Callable[[dict[str, Employee], Unit], object]) -> int:
        with synced_app.app_context():
            people = {key: db.session.get(Employee, id_) for key, id_ in data.people.items()}
            write(people, db.session.get(Unit, data.units["A"]))
            db.session.commit()
        kept, worked_out = pages()
        synced_app.extensions[MEMO].clear()
        assert kept == pages()[0]
        return worked_out

    pages()
    assert record(lambda p, _u: declare(p["pending"], "level2_active", utcnow())) == 0
    assert record(lambda p, u: add_notice(p["on_level2"], u, date(2024, 3, 28), utcnow(),
                                          reference="2803/TB")) == 0
    assert record(lambda p, _u: declare(p["pending"], "level2_active", datetime(2024, 4, 2))) == 0
    # Dated in March: the table, the unit's figures and the history, all worked out again.
    assert record(lambda p, _u: declare(p["no_account"], "level2_active",
                                        datetime(2024, 3, 25))) == 3
    assert record(lambda p, u: add_notice(p["on_level2"], u, date(2024, 3, 29),
                                          datetime(2024, 3, 30), reference="2903/TB")) == 3
    # Naming someone no March notice named: one more paper filer in the report too.
    assert record(lambda p, u: add_notice(p["pending"], u, date(2024, 3, 27),
                                          datetime(2024, 3, 28), reference="2703/TB")) == 3
    # A unit renamed: every month.
    assert record(lambda _p, u: setattr(u, "name", "Hạt Kiểm lâm Hoài Ân mới")) == 3
