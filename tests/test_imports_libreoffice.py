"""Lists that went through another spreadsheet program: an Excel 97-2003 file, and one
saved again as .xlsx from it (LibreOffice writes both, as the province's machines may); and
the template the admin downloads, as LibreOffice opens it."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from intranet.imports.models import ImportDraft

from .support.import_files import province_xlsx, row
from .support.import_pages import draft_rows, upload
from .support.libreoffice import CSV_ALL_SHEETS, convert
from .support.rows import count


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    profile = tmp_path_factory.mktemp("libreoffice-profile")
    original = province_xlsx([row("Đinh Văn Hùng", "LO-1"), row("Người Ngoài", "LO-2")])
    [xls] = convert(original, ".xlsx", "xls", profile).values()
    [again] = convert(xls, ".xls", "xlsx", profile).values()
    yield {"xls": xls, "xlsx": again}


def test_an_excel_97_file_is_refused_with_the_way_out(admin_client: FlaskClient, synced_app: Flask,
                                                       converted: dict[str, bytes]) -> None:
    response = upload(admin_client, synced_app, converted["xls"], name="danh-sach.xls")
    assert response.status_code == 415 and "lưu lại dưới dạng .xlsx" in response.get_data(as_text=True)
    assert count(synced_app, ImportDraft) == 0


def test_an_old_xls_saved_again_as_xlsx_is_read(admin_client: FlaskClient, synced_app: Flask,
                                               converted: dict[str, bytes]) -> None:
    assert upload(admin_client, synced_app, converted["xlsx"]).status_code == 302
    rows = draft_rows(synced_app)
    assert rows["LO-1"]["state"] == "matched" and rows["LO-2"]["state"] == "not_staff"
    assert rows["LO-1"]["received_on"] == "2026-11-03"


def test_libreoffice_opens_the_template_with_its_columns_and_guide(admin_client: FlaskClient,
                                                                   tmp_path: Path) -> None:
    template = admin_client.get("/notices/imports/template.xlsx").data
    sheets = {name: list(csv.reader(io.StringIO(data.decode("utf-8"))))
              for name, data in convert(template, ".xlsx", CSV_ALL_SHEETS, tmp_path / "profile").items()}
    listed, guide = sheets["export-Danh sách.csv"], sheets["export-Hướng dẫn.csv"]
    assert {"Họ và tên", "Mã hồ sơ", "Ngày tiếp nhận", "Tên thủ tục hành chính"} <= set(listed[0])
    assert guide[0] == ["Cột", "Bắt buộc", "Tên cột cũng được nhận"]
    assert [row[0] for row in guide[1:len(listed[0]) + 1]] == listed[0]
