"""The CSV for Excel with Vietnamese regional settings: ';' between fields, decimal commas."""
from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from intranet.compliance.exports import PERCENT, compliance_csv, missing_csv
from intranet.compliance.figures import unit_compliance
from intranet.compliance.staff import non_compliant_staff

from .support.factories import MARCH, DataSet, build_data_set


@pytest.fixture
def data_set(synced_app: Flask) -> DataSet:
    with synced_app.app_context():
        return build_data_set()


def read(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_the_vietnamese_variant_has_the_same_cells_written_for_vietnamese_excel(app: Flask) -> None:
    with app.test_request_context():  # headers in the user's language, as in the views
        build_data_set()
        table, missing = unit_compliance(MARCH), non_compliant_staff(MARCH)
        header, *rows = read(compliance_csv(table, vietnamese=True), ";")
        plain_header, *plain = read(compliance_csv(table), ",")
        people = read(missing_csv(missing, vietnamese=True), ";")
        plain_people = read(missing_csv(missing), ",")
    assert header == plain_header
    assert "44,4" in [row[PERCENT] for row in rows]
    assert not any("." in value for row in rows for value in row[2:])
    assert [[value.replace(",", ".") for value in row] for row in rows] == plain
    assert people == plain_people


def test_the_page_offers_both_and_says_which_to_pick(admin_client: FlaskClient, data_set: DataSet) -> None:
    page = admin_client.get("/compliance?month=2024-03").get_data(as_text=True)
    assert "variant=vi" in page and "Nên chọn Excel (.xlsx)" in page
    response = admin_client.get("/compliance.csv?month=2024-03&variant=vi")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=tinh-hinh-thuc-hien-vneid-2024-03-vi.csv"
    assert read(response.data, ";")[0][0] == "STT"
    missing = admin_client.get("/compliance-missing.csv?month=2024-03&variant=vi")
    assert missing.headers["Content-Disposition"] == "attachment; filename=chua-dat-vneid-2024-03-vi.csv"
    bad = admin_client.get("/compliance.csv?month=2024-03&variant=fr")
    assert bad.status_code == 400 and "Kiểu tệp CSV không hợp lệ" in bad.get_data(as_text=True)
