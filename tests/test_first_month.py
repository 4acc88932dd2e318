"""Before the first sync there are no figures: the compliance pages say from which month they
exist (the roster's first entry) and neither offer nor show an earlier month."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.clock import local_today
from intranet.extensions import db
from intranet.models import Employee, RosterEntry
from intranet.months import Month

from .support.statements import recorded


def on_roster_since(app: Flask, moment: datetime) -> None:
    with app.app_context():
        employee = db.session.scalar(select(Employee).limit(1))
        db.session.add(RosterEntry(employee_id=employee.id, unit_id=employee.unit_id, on_staff=True, at=moment))
        db.session.commit()


def test_the_first_month_of_figures_has_no_link_back_and_says_so(admin_client: FlaskClient, synced_app: Flask) -> None:
    on_roster_since(synced_app, datetime(2026, 3, 10, 2))
    page = admin_client.get("/compliance?month=2026-03").get_data(as_text=True)
    assert "Tháng trước" not in page
    assert "Số liệu có từ tháng 03/2026, khi danh bạ được đồng bộ lần đầu" in page
    assert 'min="2026-03"' in page
    following = admin_client.get("/compliance?month=2026-04").get_data(as_text=True)
    assert 'href="/compliance?month=2026-03' in following and "Số liệu có từ" not in following


def test_a_month_before_the_figures_is_refused_with_the_first_month_named(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    on_roster_since(synced_app, datetime(2026, 3, 10, 2))
    for path in ("/compliance", "/compliance/trend", "/compliance/report", "/compliance.csv"):
        response = admin_client.get(f"{path}?month=2026-02")
        assert response.status_code == 400, path
        assert "số liệu có từ tháng 03/2026" in response.get_data(as_text=True), path


def test_the_month_boundary_is_the_agency_s_local_month(admin_client: FlaskClient, synced_app: Flask) -> None:
    # 28/02 20:00 UTC is already 01/03 in Hà Nội.
    on_roster_since(synced_app, datetime(2026, 2, 28, 20))
    assert admin_client.get("/compliance?month=2026-02").status_code == 400
    assert admin_client.get("/compliance?month=2026-03").status_code == 200


def test_the_trend_starts_at_the_first_month(admin_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        current = Month.containing(local_today())
    first = current.previous().previous()
    on_roster_since(synced_app, datetime.combine(first.first_day.replace(day=5), datetime.min.time()))
    page = admin_client.get("/compliance/trend").get_data(as_text=True)
    figures = page.split("<details open>")[1].split("</details>")[0]
    assert figures.count('<th scope="col" class="num">') == 3
    assert first.previous().label not in figures and first.label in figures


def test_right_after_the_first_sync_only_the_current_month_is_offered(admin_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        current = Month.containing(local_today())
    page = admin_client.get("/compliance").get_data(as_text=True)
    assert f'min="{current.iso}"' in page and "Tháng trước" not in page


def test_an_entry_dated_before_the_first_moves_the_first_month_at_once(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    """The roster's first moment is kept per figures version and across writes dated after
    its day (compliance/span.py): an entry dated before it counts on the next view."""
    on_roster_since(synced_app, datetime(2026, 3, 10, 12))
    assert 'min="2026-03"' in admin_client.get("/compliance?month=2026-03").get_data(as_text=True)
    on_roster_since(synced_app, datetime(2026, 4, 2))  # after it: the first month stays
    assert 'min="2026-03"' in admin_client.get("/compliance?month=2026-03").get_data(as_text=True)
    on_roster_since(synced_app, datetime(2026, 2, 27, 2))
    assert 'min="2026-02"' in admin_client.get("/compliance?month=2026-03").get_data(as_text=True)
    assert admin_client.get("/compliance?month=2026-02").status_code == 200
def test_the_first_month_is_asked_once_per_figures_version_and_moves_with_the_roster(
    admin_client: FlaskClient, synced_app: Flask
) -> None:
    """Shown again, a compliance page does not ask for the roster's first entry (kept with the
    figures, under the number any roster write moves); an entry dated earlier shows at once."""
    on_roster_since(synced_app, datetime(2026, 3, 10, 2))
    assert admin_client.get("/compliance/trend").status_code == 200
    with recorded(synced_app) as seen:
        page = admin_client.get("/compliance?month=2026-04").get_data(as_text=True)
    assert 'min="2026-03"' in page
    assert not [s for s in seen.seen if "min(roster_entry.at)" in s], seen.seen
    on_roster_since(synced_app, datetime(2026, 1, 10, 2))
    assert 'min="2026-01"' in admin_client.get("/compliance?month=2026-04").get_data(as_text=True)
