"""The monthly report's two forms filled in as the admin would: the settings and a month's notes."""
from __future__ import annotations

from flask.testing import FlaskClient

from ..conftest import csrf_token

MARCH = "2024-03"  # the month of the compliance data set (support/factories.py)
SETTINGS = {
    "agency_name": "Chi cục Kiểm lâm",
    "parent_agency_name": "Sở Nông nghiệp và Môi trường",
    "province": "tỉnh Gia Lai",
    "place": "Gia Lai",
    "symbol": "BC-CCKL",
    "legal_basis": "Căn cứ Công văn số 1234/SNNMT-VP ngày 01/11/2023 của Sở Nông nghiệp và Môi trường;",
    "signer_title": "Chi cục trưởng",
    "signer_name": "Trần Văn Bảo",
    "deputy_title": "",
    "recipients": "- Sở Nông nghiệp và Môi trường (b/c);\n- Các đơn vị trực thuộc;\n- Lưu: VT.",
}
NOTES = {
    "number": "25",
    "difficulties": "Một số công chức ở vùng sâu chưa có điện thoại thông minh.",
    "recommendations": "Đề nghị Công an xã hỗ trợ kích hoạt tại đơn vị.",
}


def post(client: FlaskClient, path: str, values: dict[str, str], form_path: str | None = None):
    """`values` posted to `path` with the CSRF token of the form at `form_path` (or `path`)."""
    return client.post(path, data={**values, "csrf_token": csrf_token(client, form_path or path)})


def fill_settings(client: FlaskClient, **changes: str):
    values = {**SETTINGS, **changes}
    return post(client, "/admin/report-settings", values)


def fill_notes(client: FlaskClient, month: str = MARCH, **changes: str):
    return post(client, f"/compliance/report/notes?month={month}", {**NOTES, **changes},
                f"/compliance/report?month={month}")
