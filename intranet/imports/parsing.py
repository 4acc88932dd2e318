"""From a table's rows to the list's dossiers: the header, the columns, each row's values or
why a cell could not be read.

Title rows above the header, a second header row numbering the columns "(1) (2) (3)", blank
lines and the footer ("Người lập biểu", signatures) are passed over. Only the columns the
import needs are read; the others, personal data included, are never looked at.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from ..vietnamese import normalize
from .columns import BY_FIELD, REQUIRED, field_of, header_key
from .reasons import problem
from .reading import MAX_ROWS, CellError, FileRefused, Formula, Table, Value, cell_ref

HEADER_SEARCH_ROWS = 40
LIMITS = {
    "full_name": 200, "unit_text": 300, "procedure_name": 500, "procedure_code": 50,
    "dossier_code": 100, "receiving_place": 300, "receiving_officer": 200,
}
CHANNELS = {
    "truc tiep": "in_person", "1": "in_person", "nop truc tiep": "in_person",
    "truc tuyen": "online", "2": "online", "nop truc tuyen": "online", "dvc truc tuyen": "online",
    "buu chinh": "post", "3": "post", "buu chinh cong ich": "post", "qua buu chinh": "post",
    "nop qua buu chinh": "post", "dich vu buu chinh": "post",
}
ONLINE_LEVELS = {
    "toan trinh": "full", "dvc toan trinh": "full", "dvctt toan trinh": "full", "muc do 4": "full",
    "mot phan": "partial", "dvc mot phan": "partial", "dvctt mot phan": "partial", "muc do 3": "partial",
}
_NUMBERING = re.compile(r"\(?\d{1,2}\)?")
# A footer starts at a line with no dossier that reads like these (accents and case ignored).
_FOOTER = re.compile(
    r"\b(nguoi lap|lap bieu|thu truong|ky ten|ky ghi ro|ghi ro ho ten|xac nhan cua|tong cong|"
    r"tong so|noi nhan|giam doc|chanh van phong|ngay \w* thang \w* nam)\b"
)
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S",
                 "%Y-%m-%d %H:%M:%S", "%H:%M %d/%m/%Y", "%H:%M:%S %d/%m/%Y")
EXCEL_EPOCH = date(1899, 12, 30)


class MissingColumns(ValueError):
    """Required columns were not recognised: the admin maps them to the file's columns."""

    def __init__(self, missing: list[str], headers: list[tuple[int, str]]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing
        self.headers = headers  # (column index, header text) of the file, for the mapping


@dataclass
class ParsedRow:
    row: int
    full_name: str = ""
    unit_text: str = ""
    procedure_name: str = ""
    procedure_code: str = ""
    dossier_code: str = ""
    received_on: date | None = None
    receiving_place: str = ""
    receiving_officer: str = ""
    channel: str | None = None
    online_level: str | None = None
    problems: list[list[object]] = field(default_factory=list)  # reasons.problem(...)

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["received_on"] = self.received_on.isoformat() if self.received_on else None
        return data


@dataclass
class ParsedList:
    header_row: int
    columns: dict[str, int]  # field -> column index
    rows: list[ParsedRow]


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def header_score(values: list[Value]) -> int:
    """How many distinct fields a row's cells name: the header row names the most."""
    return len({field_of(v) for v in values if isinstance(v, str)} - {None})


def _header_labels(values: list[Value], above: list[Value] | None) -> list[str]:
    """The row's labels; an empty one takes the label above it (a header on two rows)."""
    labels = []
    for index, value in enumerate(values):
        text = _text(value)
        if not text and above is not None and index < len(above):
            text = _text(above[index])
        labels.append(text)
    return labels


def find_header(rows: list[tuple[int, list[Value]]]) -> tuple[int, list[str]] | None:
    best: tuple[int, int, list[str]] | None = None
    previous: list[Value] | None = None
    for number, values in rows:
        labels = _header_labels(values, previous)
        score = header_score(labels)
        if score >= 2 and (best is None or score > best[0]):
            best = (score, number, labels)
        previous = values
    return (best[1], best[2]) if best else None


def map_columns(labels: list[str], chosen: Mapping[str, int] | None = None) -> dict[str, int]:
    """field -> column index, from the headers, then the admin's choices on top."""
    columns: dict[str, int] = {}
    for index, label in enumerate(labels):
        name = field_of(label)
        if name is not None and name not in columns:
            columns[name] = index
    for name, index in (chosen or {}).items():
        if name in BY_FIELD:
            columns[name] = index
    columns.pop("position", None)
    return columns


def _is_numbering(values: list[Value]) -> bool:
    texts = [_text(v) for v in values if _text(v)]
    return bool(texts) and all(_NUMBERING.fullmatch(t) for t in texts)


def _is_footer(values: list[Value]) -> bool:
    return any(_FOOTER.search(header_key(_text(v))) for v in values if isinstance(v, str))


def parse_date(value: Value) -> date | None:
    """A receiving date from an Excel date, an Excel day number or a dd/mm/yyyy text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = _text(value)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _RowReader:
    def __init__(self, number: int, values: list[Value], columns: dict[str, int], today: date) -> None:
        self.parsed = ParsedRow(number)
        self.values = values
        self.columns = columns
        self.today = today
        self.formulas: list[str] = []
        self.broken: set[str] = set()  # columns whose cell holds an Excel error

    def raw(self, name: str) -> Value:
        index = self.columns.get(name)
        return self.values[index] if index is not None and index < len(self.values) else None

    def ref(self, name: str) -> str:
        return cell_ref(self.parsed.row, self.columns[name])

    def problem(self, name: str, code: str, **args: object) -> None:
        self.parsed.problems.append(problem(self.ref(name), code, **args))

    def read(self) -> ParsedRow:
        row = self.parsed
        broken = self.broken
        for name in self.columns:
            value = self.raw(name)
            if isinstance(value, Formula):
                self.formulas.append(self.ref(name))
            elif isinstance(value, CellError):
                self.problem(name, "cell_error", error=str(value))
                broken.add(name)
        if self.formulas:
            return row
        for name, limit in LIMITS.items():
            if name not in self.columns or name in broken:
                continue
            text = _text(self.raw(name))
            if len(text) > limit:
                self.problem(name, "too_long", max=limit)
            else:
                setattr(row, name, text)
        for name, code in (("full_name", "no_name"), ("dossier_code", "no_code"), ("procedure_name", "no_procedure")):
            if not getattr(row, name) and not any(p[0] == self.ref(name) for p in row.problems):
                self.problem(name, code)
        if "received_on" not in broken:
            self._date()
        row.channel = self._choice("channel", CHANNELS, "bad_channel")
        row.online_level = self._choice("online_level", ONLINE_LEVELS, "bad_level")
        return row

    def _date(self) -> None:
        raw = self.raw("received_on")
        if raw is None or _text(raw) == "":
            self.problem("received_on", "no_date")
            return
        day = parse_date(raw)
        if day is None:
            self.problem("received_on", "bad_date", text=_text(raw)[:40])
        elif day > self.today:
            self.problem("received_on", "future_date", date=day.strftime("%d/%m/%Y"))
        elif day.year < 2000:
            self.problem("received_on", "old_date", date=day.strftime("%d/%m/%Y"))
        else:
            self.parsed.received_on = day

    def _choice(self, name: str, choices: dict[str, str], code: str) -> str | None:
        if name not in self.columns or name in self.broken:
            return None
        text = header_key(_text(self.raw(name)))
        if not text:
            return None
        if text not in choices:
            self.problem(name, code)
            return None
        return choices[text]


def parse_list(table: Table, today: date, chosen: Mapping[str, int] | None = None) -> ParsedList:
    """The list's dossier rows; FileRefused or MissingColumns when it cannot be read."""
    rows = table.rows()
    head: list[tuple[int, list[Value]]] = []
    for item in rows:
        head.append(item)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    found = find_header(head)
    if found is None and not chosen:
        if not any(any(v not in (None, "") for v in values) for _, values in head):
            raise FileRefused(422, _l("Tệp trống: không có dòng nào."))
        raise FileRefused(422, _l(
            "Không tìm thấy dòng tiêu đề cột (ví dụ “Họ và tên”, “Mã hồ sơ”, “Ngày tiếp nhận”). "
            "Hãy dùng tệp mẫu hoặc thêm dòng tiêu đề."
        ))
    header_row, labels = found if found else (head[0][0], [_text(v) for v in head[0][1]])
    columns = map_columns(labels, chosen)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise MissingColumns(missing, [(i, label) for i, label in enumerate(labels) if label])

    parsed: list[ParsedRow] = []
    formulas: list[str] = []

    def remaining() -> Iterator[tuple[int, list[Value]]]:
        yield from (item for item in head if item[0] > header_row)
        yield from rows

    for number, values in remaining():
        reader = _RowReader(number, values, columns, today)
        code = _text(reader.raw("dossier_code"))
        has_name = _text(reader.raw("full_name")) != ""
        numbering = bool(_NUMBERING.fullmatch(code)) and _is_numbering(
            [values[i] for i in columns.values() if i < len(values)])
        if not (code or has_name) or numbering:
            if _is_footer(values):
                break
            continue
        if not code and _is_footer(values):
            break
        row = reader.read()
        formulas += reader.formulas
        parsed.append(row)
        if len(parsed) > MAX_ROWS:
            raise FileRefused(413, _l("Danh sách có quá %(max)s dòng; hãy chia thành nhiều tệp.", max="20.000"))
    if formulas:
        raise FileRefused(422, _l(
            "Ô %(cell)s (và %(more)d ô khác) chứa công thức: giá trị của công thức có thể chưa được "
            "tính. Hãy chép và dán đặc biệt dạng giá trị (Paste Values), lưu lại rồi tải lên.",
            cell=formulas[0], more=len(formulas) - 1,
        ))
    if not parsed:
        raise FileRefused(422, _l("Danh sách không có dòng hồ sơ nào dưới dòng tiêu đề."))
    return ParsedList(header_row, columns, parsed)
