"""The XLSX as a person opens it: LibreOffice reads the formula guard's text as typed, the
header row holds its wrapped lines above the first row, one font, A4 landscape one page wide."""
from __future__ import annotations

import csv
import io
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from intranet.compliance.exports import compliance_xlsx
from intranet.compliance.figures import unit_compliance
from intranet.compliance.staff import non_compliant_staff
from intranet.extensions import db
from intranet.models import Unit

from .support.factories import MARCH, add_employee, build_data_set, declare
from .support.libreoffice import CSV_ALL_SHEETS, convert

EVIL_UNIT = '=HYPERLINK("http://evil.example","x")'
EVIL_NAME = "=1+2 Nguyễn"
EVIL_TITLE = "@SUM(A1)"
MINUS_TITLE = "-Phó Hạt trưởng"


@dataclass(frozen=True)
class Export:
    data: bytes
    headers: list[list[str]]  # each sheet's header row
    first_units: list[str]  # each sheet's first row's unit name


@pytest.fixture
def export(app: Flask) -> Export:
    with app.test_request_context():
        build_data_set()
        unit = Unit(EVIL_UNIT)
        person = add_employee(EVIL_NAME, unit, title=EVIL_TITLE)
        declare(person, "level1", datetime(2024, 3, 2))
        declare(add_employee("Trương Thị Mai", unit, title=MINUS_TITLE), "none", datetime(2024, 3, 3))
        db.session.commit()
        table, missing = unit_compliance(MARCH), non_compliant_staff(MARCH)
        data = compliance_xlsx(table, missing)
    book = load_workbook(io.BytesIO(data))
    headers = [[cell.value for cell in sheet[3]] for sheet in book.worksheets]
    first_units = [sheet.cell(4, 2).value for sheet in book.worksheets]
    return Export(data, headers, first_units)


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice user profile for the module: the first start builds it."""
    return tmp_path_factory.mktemp("libreoffice-profile")


def test_header_row_font_panes_and_print_setup(export: Export) -> None:
    book = load_workbook(io.BytesIO(export.data))
    for sheet, header in zip(book.worksheets, export.headers, strict=True):
        assert sheet.freeze_panes == "C4"  # the header and the unit's name stay in view
        assert sheet.print_title_rows == "$3:$3"  # the header on every printed page
        last = f"${sheet.cell(3, len(header)).column_letter}${sheet.max_row}"
        assert str(sheet.print_area).endswith(f"$A$1:{last}")
        setup = sheet.page_setup
        # fitToWidth left out means 1 (ECMA-376); fitToHeight 0: as many pages as it takes.
        assert (setup.orientation, int(setup.paperSize), int(setup.fitToWidth or 1), int(setup.fitToHeight)) == (
            "landscape", 9, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        fonts = {(cell.font.name, cell.font.sz) for row in sheet.iter_rows(min_row=3) for cell in row}
        assert fonts == {("Times New Roman", 12)}  # the header in the data's font
        assert all(cell.font.b for cell in sheet[3]) and all(cell.alignment.wrap_text for cell in sheet[3])
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[3]]
        assert all(width and width >= 6 for width in widths)
    # "Chờ kích hoạt mức độ 2" needs three lines in its column: the row is made that high.
    assert book.worksheets[0].row_dimensions[3].height >= 3 * 15


def test_the_last_row_is_the_bold_total(export: Export) -> None:
    sheet = load_workbook(io.BytesIO(export.data)).worksheets[0]
    last = list(sheet.iter_rows(min_row=sheet.max_row))[0]
    assert last[1].value == "Toàn Chi cục" and all(cell.font.b for cell in last)
    assert not any(cell.font.b for cell in sheet[4])


def test_libreoffice_reads_formula_like_text_as_typed(export: Export, office_profile: Path) -> None:
    files = convert(export.data, ".xlsx", CSV_ALL_SHEETS, office_profile)
    sheets = {name: list(csv.reader(io.StringIO(data.decode("utf-8")))) for name, data in files.items()}
    summary, missing = sheets["export-Tổng hợp.csv"], sheets["export-Chưa đạt.csv"]
    assert summary[2] == export.headers[0] and missing[2] == export.headers[1]
    assert [row[1] for row in summary if "HYPERLINK" in row[1]] == [EVIL_UNIT]  # not "x", not "'=…"
    evil = next(row for row in missing if row[2] == EVIL_NAME)
    assert evil[1:5] == [EVIL_UNIT, EVIL_NAME, EVIL_TITLE, "Mức độ 1"]
    assert any(row[3] == MINUS_TITLE for row in missing)
    assert not any(cell.startswith("'") for sheet in sheets.values() for row in sheet for cell in row)
    assert "Err:" not in str(sheets) and "#NAME" not in str(sheets)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    top: float
    bottom: float


def pdf_words(pdf: bytes, tmp_path: Path) -> list[Word]:
    path = tmp_path / "export.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    words, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', line)
        if match:
            text = match.group(3).replace("&amp;", "&").replace("&quot;", '"').replace("&lt;", "<")
            words.append(Word(page, text.replace("&gt;", ">"), float(match.group(1)), float(match.group(2))))
    return words


def pdf_info(pdf: bytes, tmp_path: Path, tool: str) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path)], check=True, capture_output=True, text=True).stdout


def test_libreoffice_prints_the_whole_header_above_the_first_row(
    export: Export, office_profile: Path, tmp_path: Path
) -> None:
    (pdf,) = convert(export.data, ".xlsx", "pdf", office_profile).values()
    info = pdf_info(pdf, tmp_path, "pdfinfo")
    assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+ pts \(A4\)", info), info  # A4 landscape
    assert re.search(r"Pages:\s+2\n", info)  # one page per sheet: fitted to the width
    fonts = re.findall(r"^\w+\+(\S+)", pdf_info(pdf, tmp_path, "pdffonts"), re.M)
    assert set(fonts) == {"LiberationSerif", "LiberationSerif-Bold"}  # Times New Roman's twin
    words = pdf_words(pdf, tmp_path)
    for page, (header, first_unit) in enumerate(zip(export.headers, export.first_units, strict=True), 1):
        on_page = [w for w in words if w.page == page]
        title_bottom = on_page[0].bottom  # the title is the first line drawn
        first_row_top = min(w.top for w in on_page if w.text == first_unit.split()[0] and w.top > title_bottom)
        band = Counter(w.text for w in on_page if w.top >= title_bottom and w.bottom <= first_row_top + 0.5)
        expected = Counter(word for text in header for word in text.split())
        assert not expected - band, f"header words cut off or spilling into the first row: {expected - band}"


def test_a_control_character_from_the_directory_does_not_break_the_file(app: Flask) -> None:
    with app.test_request_context():
        build_data_set()
        declare(add_employee("Lê\x07Văn\x1bTám", None, title="Tổ\x0btrưởng"), "none", datetime(2024, 3, 3))
        db.session.commit()
        data = compliance_xlsx(unit_compliance(MARCH), non_compliant_staff(MARCH))
    names = [row[2] for row in load_workbook(io.BytesIO(data)).worksheets[1].iter_rows(min_row=4, values_only=True)]
    # Written as Excel's _x0007_ escapes (openpyxl leaves them as they are; Excel decodes them).
    assert "Lê_x0007_Văn_x001B_Tám" in names


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [("Chờ kích hoạt mức độ 2", 10, 3), ("STT", 6, 1), ("Tỷ lệ mức độ 2 (%)", 14, 2),
     ("Thông báo chờ đề xuất", 10, 3), ("Aaaaaaaaaaaaaaaaaaaa", 6, 4), ("", 10, 1)],
)
def test_header_lines_are_counted_as_the_column_wraps_them(text: str, width: float, lines: int) -> None:
    from intranet.compliance.xlsx import _wrapped_lines

    assert _wrapped_lines(text, width) == lines
