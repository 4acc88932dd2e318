"""A head sees their unit's staff and statuses; nobody else's unit; sorted the Vietnamese way."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import Employee, Unit, utcnow
from intranet.vietnamese import name_sort_key

from .conftest import DEMO_ADMIN, DEMO_EMPLOYEE, DEMO_HEAD, signed_in_client
from .support.forms import declare

AN_LAO = "Hạt Kiểm lâm An Lão"


def unit_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Unit.id).filter_by(name=name))


def staff_names(app: Flask, name: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Employee.full_name).join(Unit).where(Unit.name == name, Employee.active.is_(True))
            )
        )


def sort_vietnamese(names: list[str]) -> list[str]:
    return sorted(names, key=name_sort_key)


def test_vietnamese_order_by_given_name_then_the_rest() -> None:
    names = ["Trần Văn Bình", "Lê Thị Ánh", "Nguyễn An", "Phạm Đức", "Võ Dũng", "Hồ Ưng", "Lý Uyên", "Đỗ Thị An"]
    assert sort_vietnamese(names) == [
        "Đỗ Thị An",  # An, then the family name: Đ after D but still an "An"
        "Nguyễn An",
        "Lê Thị Ánh",
        "Trần Văn Bình",
        "Võ Dũng",
        "Phạm Đức",
        "Lý Uyên",
        "Hồ Ưng",
    ]
    # What plain code-point sorting gets wrong:
    assert sorted(["Đức", "Dũng", "Ưng", "Uyên"]) != ["Dũng", "Đức", "Uyên", "Ưng"]


def test_name_order_ignores_how_the_tone_was_typed() -> None:
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Hoa\u0300"
    assert name_sort_key(decomposed) == name_sort_key("Nguyễn Thị Hoà")


def test_head_sees_every_active_staff_member_of_their_unit(head_client: FlaskClient, synced_app: Flask) -> None:
    response = head_client.get("/unit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    names = staff_names(synced_app, AN_LAO)
    assert len(names) >= 4
    for name in names:
        assert name in page  # including those who never signed in
    positions = [page.index(name) for name in sort_vietnamese(names)]
    assert positions == sorted(positions)
    assert f"0/{len(names)}" in page


def test_counts_and_filter_follow_declarations(synced_app: Flask, head_client: FlaskClient) -> None:
    employee = signed_in_client(synced_app, DEMO_EMPLOYEE)
    declare(employee, status="level2_active", activated_on="05/03/2024", committed="y")
    total = len(staff_names(synced_app, AN_LAO))
    page = head_client.get("/unit").get_data(as_text=True)
    assert f"1/{total}" in page
    assert "05/03/2024" in page
    with synced_app.app_context():
        hung = db.session.scalar(select(Employee.full_name).filter_by(username=DEMO_EMPLOYEE))
    missing = head_client.get("/unit?filter=not_compliant").get_data(as_text=True)
    assert hung not in missing
    assert f"Chưa kích hoạt mức độ 2 ({total - 1})" in missing


def test_head_cannot_open_another_unit(head_client: FlaskClient, synced_app: Flask) -> None:
    other = unit_id(synced_app, "Hạt Kiểm lâm Hoài Nhơn")
    assert head_client.get(f"/unit/{other}").status_code == 403
    assert head_client.get(f"/unit/{unit_id(synced_app, AN_LAO)}").status_code == 200
    assert head_client.get("/unit/999999").status_code == 404


def test_employee_gets_403_on_unit_pages(employee_client: FlaskClient, synced_app: Flask) -> None:
    assert employee_client.get("/unit").status_code == 403
    assert employee_client.get(f"/unit/{unit_id(synced_app, AN_LAO)}").status_code == 403


def test_admin_opens_any_unit(admin_client: FlaskClient, synced_app: Flask) -> None:
    response = admin_client.get(f"/unit/{unit_id(synced_app, 'Hạt Kiểm lâm Hoài Nhơn')}")
    assert response.status_code == 200
    assert "Hạt Kiểm lâm Hoài Nhơn" in response.get_data(as_text=True)
    overview = admin_client.get("/admin/").get_data(as_text=True)
    assert f'href="/unit/{unit_id(synced_app, AN_LAO)}"' in overview


def test_staff_who_left_are_not_listed(head_client: FlaskClient, synced_app: Flask) -> None:
    with synced_app.app_context():
        hung = db.session.scalar(select(Employee).filter_by(username=DEMO_EMPLOYEE))
        # As the sync marks someone gone from the directory (intranet/directory/sync.py).
        hung.active, hung.left_at = False, utcnow()
        name = hung.full_name
        db.session.commit()
    assert name not in head_client.get("/unit").get_data(as_text=True)


def test_head_and_admin_see_their_unit_in_the_menu(synced_app: Flask) -> None:
    for username in (DEMO_HEAD, DEMO_ADMIN):
        page = signed_in_client(synced_app, username).get("/").get_data(as_text=True)
        assert 'href="/unit"' in page
