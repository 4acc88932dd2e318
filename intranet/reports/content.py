"""The monthly report as text, table by table: one content for the web page and the DOCX.

Every word of it is here (through Babel) or in the admin's settings; the page and the Word
file only lay it out, so both say the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _

from ..clock import local_today
from ..compliance.labels import COLUMNS, NO_UNIT, WHOLE
from ..compliance.decree30 import decree30_date
from ..compliance.figures import unit_compliance
from ..compliance.results import Figures
from ..formatting import date_vn, number
from ..months import Month
from .models import ReportMonth, ReportSettings
from .queries import month_cases, paper_filers
from .settings import ordered_rows, report_settings, unit_positions

# Printed where a setting or a note is still empty, as on a form to fill in by hand.
PLACEHOLDER = "……"
NATION = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    # Columns aligned right (figures).
    numeric: frozenset[int] = frozenset()
    # The last row is a total, printed once at the end in bold.
    has_total: bool = False
    # Relative column widths, for the Word file (a browser sizes columns by their content).
    weights: tuple[float, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None
    # Headings of the parts of a section ("1. …") are bold too; `level` 2 marks them.
    level: int = 1


@dataclass(frozen=True)
class MonthlyReport:
    month: Month
    issued: date
    parent_line: str
    agency_line: str
    number_line: str
    place_date: str
    kind: str
    title: str
    opening: list[str]
    sections: list[Section]
    recipients_heading: str
    recipients: list[str]
    signer_lines: list[str]
    signer_name: str
    appendix_heading: list[str]
    appendix: Table
    appendix_note: str
    # The settings and notes not filled yet, by their labels: the page asks for them.
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def _or_placeholder(text: str, label: str, missing: list[str]) -> str:
    if text:
        return text
    missing.append(label)
    return PLACEHOLDER


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _figure(value: int | float | None, digits: int = 0, locale: str | None = None) -> str:
    return "—" if value is None else number(value, digits, locale or str(get_locale()))


def monthly_report(month: Month, notes: ReportMonth | None, today: date | None = None) -> MonthlyReport:
    """The report of `month` with the month's notes as the caller read them (the page reads
    them once, for its form and for the report)."""
    settings = report_settings()
    today = today or local_today()
    return build(month, today, settings, notes)


def build(month: Month, today: date, settings: ReportSettings, notes: ReportMonth | None) -> MonthlyReport:
    missing: list[str] = []
    agency = _or_placeholder(settings.agency_name, _("Tên cơ quan"), missing)
    parent = _or_placeholder(settings.parent_agency_name, _("Tên cơ quan cấp trên"), missing)
    province = _or_placeholder(settings.province, _("Tỉnh, thành phố"), missing)
    symbol = _or_placeholder(settings.symbol, _("Ký hiệu văn bản"), missing)
    place = _or_placeholder(settings.place, _("Địa danh"), missing)
    # The registry writes the number on the signed copy; blank space until then, as offices print it.
    report_number = (notes.number if notes and notes.number else "\u00a0" * 6)
    day, month_of_year, year = decree30_date(today)

    table = unit_compliance(month)
    rows = ordered_rows(table.rows, unit_positions())
    filers = paper_filers(month)
    totals: Figures = table.totals
    total_filers = sum(filers.values())
    cases = month_cases(month)
    until = date_vn(month.figures_until)

    opening = _lines(settings.legal_basis) or [_or_placeholder("", _("Căn cứ (văn bản chỉ đạo)"), missing)]
    opening.append(_(
        "%(agency)s báo cáo tình hình kích hoạt và sử dụng tài khoản định danh điện tử mức độ 2 "
        "của công chức, viên chức, người lao động tháng %(month)s (số liệu tính đến ngày %(day)s) như sau:",
        agency=agency, month=month.label, day=until,
    ))

    below = [row for row in rows if row.figures.below_target]
    activation = [
        _(
            "Tổng số công chức, viên chức, người lao động: %(staff)s người; đã kích hoạt tài khoản mức độ 2: "
            "%(level2)s người (%(percent)s%%); đã đăng ký, đang chờ kích hoạt: %(pending)s người; mới có tài khoản "
            "mức độ 1: %(level1)s người; chưa có tài khoản: %(none)s người; chưa kê khai: %(undeclared)s người.",
            staff=_figure(totals.staff), level2=_figure(totals.level2), percent=_figure(totals.percent or 0, 1),
            pending=_figure(totals.pending), level1=_figure(totals.level1), none=_figure(totals.no_account),
            undeclared=_figure(totals.undeclared),
        ),
        _(
            "Số đơn vị có 100%% công chức, viên chức, người lao động đã kích hoạt tài khoản mức độ 2: "
            "%(complete)s/%(units)s đơn vị.",
            complete=len(table.units_complete), units=len(table.units_with_staff),
        ),
    ]
    if below:
        activation.append(_("Các đơn vị chưa đạt: %(units)s.", units="; ".join(
            f"{_unit_name(row)} ({row.figures.level2}/{row.figures.staff})" for row in below
        )))
    if totals.notices:
        use = [_(
            "Trong tháng có %(notices)s thông báo trường hợp nộp hồ sơ giấy trực tiếp đối với thủ tục hành chính "
            "đã cung cấp dịch vụ công trực tuyến, liên quan đến %(people)s công chức, viên chức, người lao động "
            "(%(cases)s hồ sơ, chi tiết tại mục 3).",
            notices=_figure(totals.notices), people=_figure(total_filers), cases=_figure(len(cases)),
        )]
    else:
        use = [_(
            "Trong tháng không có thông báo nào về trường hợp công chức, viên chức, người lao động nộp hồ sơ giấy "
            "trực tiếp đối với thủ tục hành chính đã cung cấp dịch vụ công trực tuyến."
        )]
    use.append(_(
        "Đến ngày %(day)s, còn %(awaiting)s thông báo chờ thủ trưởng đơn vị xem xét, đề xuất đánh giá, xếp loại; "
        "trong tháng có %(decisions)s đề xuất được ghi nhận.",
        day=until, awaiting=_figure(totals.awaiting), decisions=_figure(totals.decisions),
    ))

    notice_words = _("Số %(number)s ngày %(day)s của %(body)s")  # no values: formatted per case
    case_table = Table(
        header=[_("STT"), _("Họ và tên"), _("Đơn vị"), _("Thủ tục hành chính"), _("Mã hồ sơ"),
                _("Ngày tiếp nhận hồ sơ"), _("Thông báo")],
        rows=[
            [str(index), line.employee_name, line.unit_name,
             line.procedure_name + (f" ({line.procedure_code})" if line.procedure_code else ""),
             line.dossier_code, date_vn(line.filed_on),
             # Translated once above, not for each of ~800 cases.
             notice_words % {"number": line.reference_number, "day": date_vn(line.notice_date),
                             "body": line.issuing_body}]
            for index, line in enumerate(cases, start=1)
        ],
        numeric=frozenset({0}),
        weights=(1.3, 3, 3, 3.5, 2.5, 2.2, 3.5),
    )

    difficulties = _lines(notes.difficulties) if notes else []
    recommendations = _lines(notes.recommendations) if notes else []
    sections = [
        Section(_("I. KẾT QUẢ THỰC HIỆN")),
        Section(_("1. Kích hoạt tài khoản định danh điện tử mức độ 2"), [f"- {p}" for p in activation], level=2),
        Section(_("2. Sử dụng tài khoản khi thực hiện thủ tục hành chính"), [f"- {p}" for p in use], level=2),
        Section(
            _("3. Danh sách trường hợp nộp hồ sơ giấy được thông báo trong tháng"),
            [] if cases else [_("Không có trường hợp nào.")],
            case_table if cases else None,
            level=2,
        ),
        Section(_("4. Kết quả theo đơn vị"), [_("Chi tiết tại Phụ lục kèm theo báo cáo này.")], level=2),
        Section(_("II. KHÓ KHĂN, VƯỚNG MẮC"), difficulties or [_or_placeholder("", _("Khó khăn, vướng mắc"), missing)]),
        Section(_("III. KIẾN NGHỊ, ĐỀ XUẤT"), recommendations or [_or_placeholder("", _("Kiến nghị, đề xuất"), missing)]),
    ]

    signer_title = _or_placeholder(settings.signer_title, _("Chức vụ người đứng đầu"), missing).upper()
    if settings.signs_for_head:
        signer_lines = [f"KT. {signer_title}", settings.deputy_title.upper()]
    else:
        signer_lines = [signer_title]

    number_line = _("Số: %(number)s/%(symbol)s", number=report_number, symbol=symbol)
    return MonthlyReport(
        month=month,
        issued=today,
        parent_line=f"{parent} {province}".upper(),
        agency_line=agency.upper(),
        number_line=number_line,
        place_date=_("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s",
                     place=place, day=day, month=month_of_year, year=year),
        kind=_("BÁO CÁO"),
        title=_("Tình hình kích hoạt và sử dụng tài khoản định danh điện tử mức độ 2 của công chức, "
                "viên chức, người lao động tháng %(month)s", month=month.label),
        opening=opening,
        sections=sections,
        recipients_heading=_("Nơi nhận:"),
        recipients=_lines(settings.recipients) or [_or_placeholder("", _("Nơi nhận"), missing)],
        signer_lines=signer_lines,
        signer_name=_or_placeholder(settings.signer_name, _("Họ và tên người ký"), missing),
        appendix_heading=[
            _("Phụ lục"),
            _("KẾT QUẢ THEO ĐƠN VỊ THÁNG %(month)s", month=month.label),
            _("(Kèm theo Báo cáo số %(number)s/%(symbol)s ngày %(day)s tháng %(month)s năm %(year)s của %(agency)s)",
              number=report_number.strip() or "\u00a0" * 6, symbol=symbol, day=day, month=month_of_year,
              year=year, agency=agency),
        ],
        appendix=_unit_table(rows, filers, totals, total_filers),
        appendix_note=_("(*) Đơn vị chưa đạt 100%% công chức, viên chức, người lao động đã kích hoạt tài khoản "
                        "mức độ 2. Số liệu tính đến ngày %(day)s.", day=until),
        missing=missing,
    )


def _unit_name(row) -> str:
    return row.unit.name if row.unit is not None else str(NO_UNIT)


# The appendix's figure columns: the page's own, with the people notified after the notices.
FIGURES = ("staff", "level2", "percent", "pending", "level1", "no_account", "undeclared",
           "filers", "notices", "awaiting", "decisions")


def _unit_table(rows, filers: dict[int | None, int], totals: Figures, total_filers: int) -> Table:
    labels = {name: str(label) for name, label in COLUMNS.items()}
    labels["filers"] = _("Số người có hồ sơ giấy được thông báo")

    locale = str(get_locale())  # once for the table's ~2,400 figures, not once each

    def cells(figures: Figures, people: int) -> list[str]:
        values = {name: figures[name] for name in FIGURES if name not in ("percent", "filers")}
        values["filers"] = people
        return [
            _figure(figures.percent, 1, locale) if name == "percent" else _figure(values[name], 0, locale)
            for name in FIGURES
        ]

    body = [
        [str(index), _unit_name(row) + (" (*)" if row.figures.below_target else ""),
         *cells(row.figures, filers.get(row.unit_id, 0))]
        for index, row in enumerate(rows, start=1)
    ]
    body.append(["", str(WHOLE), *cells(totals, total_filers)])
    return Table(
        header=[_("STT"), labels["name"], *(labels[name] for name in FIGURES)],
        rows=body,
        numeric=frozenset({0, *range(2, 2 + len(FIGURES))}),
        has_total=True,
        weights=(1.3, 5, *(1.6 for _ in FIGURES)),
    )
