"""The app's forms filled in and posted as a browser would: a declaration, a notice with its
cases, an appraisal proposal. Each names demo directory accounts (intranet/directory/demo.ldif)."""
from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from intranet.extensions import db
from intranet.models import AppraisalOutcome, Employee, IssuingBody

from ..conftest import DEMO_EMPLOYEE, csrf_token


def declare(client: FlaskClient, **fields: object):
    data = {"csrf_token": csrf_token(client, "/declaration")}
    data.update({k: v for k, v in fields.items() if v is not None})
    return client.post("/declaration", data=data)


OTHER_HEAD = "ducvm"  # head of Hạt Kiểm lâm Hoài Nhơn
OTHER_UNIT_EMPLOYEE = "binhdq"  # Hoài Nhơn


def employee_id(app: Flask, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Employee.id).filter_by(username=username))


def body_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(
            select(IssuingBody.id).where(IssuingBody.active.is_(True)).order_by(IssuingBody.id).limit(1)
        )


def case(n: int, **overrides: str) -> dict[str, str]:
    fields = {
        "procedure_name": f"Đăng ký thường trú {n}",
        "procedure_code": f"1.00{n}",
        "dossier_code": f"H01.22-2611{n:02d}-000{n}",
        "filed_on": "03/11/2026",
        "receiving_officer": "Trần Văn Nhận",
    }
    fields.update(overrides)
    return fields


def notice_form(app: Flask, username: str = DEMO_EMPLOYEE, cases=None, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "employee_id": employee_id(app, username),
        "issuing_body_id": body_id(app),
        "reference_number": "125/TB-TTPVHCC",
        "notice_date": "10/11/2026",
        "note": "",
        "submit": "Lưu thông báo",
    }
    for index, values in enumerate(cases if cases is not None else [case(1), case(2)]):
        for name, value in values.items():
            data[f"cases-{index}-{name}"] = value
    data.update(fields)
    return data


def post_notice(client: FlaskClient, data: dict[str, object], path: str = "/notices/new"):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/")})


def record_notice(client: FlaskClient, app: Flask, n: int = 1) -> int:
    """A notice with one case, recorded by `client` (a head) about the demo employee: its id."""
    data = notice_form(app, reference_number=f"{n}/TB", cases=[case(n)])
    location = post_notice(client, data).headers["Location"]
    return int(location.rsplit("/", 1)[1])


def outcome_id(app: Flask, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(AppraisalOutcome.id).filter_by(code=code))


def decision_form(app: Flask, notices: list[int], **fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "notice_ids": notices,
        "period": "month-2026-11",
        "outcome_id": outcome_id(app, "one_level_lower"),
        "rationale": "Nộp hồ sơ giấy khi thủ tục đã có trên Cổng dịch vụ công.",
    }
    data.update(fields)
    return data


def post_decision(client: FlaskClient, app: Flask, data: dict[str, object], path: str | None = None):
    path = path or f"/appraisals/new?employee={employee_id(app, DEMO_EMPLOYEE)}"
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/")})
