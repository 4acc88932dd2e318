"""The summary table's body as HTML, written here rather than in the template: a year of the
whole sub-department is thousands of rows, and Jinja's per-row work (attribute lookups,
filters, escaping through its runtime) took most of the page's time (make bench)."""
from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from .summary import Summary, SummaryNotice


def summary_rows(summary: Summary, notice_label: str, cases_label: str, awaiting: str) -> Markup:
    """The <tr>s of the summary table: one per notice, the person's cells spanning theirs.
    Every value is escaped; the labels are the translated formats ("Số %(ref)s ngày %(date)s").
    What repeats across rows (units, dates, case counts, proposal lines) is written once per
    page: a year has ~7,000 rows but a few hundred such values."""
    # Escaping a format escapes the text around its placeholders, which escaping leaves as
    # they are; each value is escaped before it is put in.
    heading_format = str(escape(notice_label))
    units: dict[str, str] = {}
    titles: dict[str | None, str] = {None: "", "": ""}
    days: dict[date, str] = {}
    case_counts: dict[int, str] = {}
    proposed: dict[tuple[str, str], str] = {}
    awaiting_line = str(escape(awaiting))
    out: list[str] = []
    append = out.append
    for number, person in enumerate(summary.people, start=1):
        span = len(person.notices)
        points = "—" if person.points is None else f"{person.points:+d}"
        title = titles.get(person.title)
        if title is None:
            title = titles[person.title] = f", {escape(person.title)}"
        unit = units.get(person.unit_name)
        if unit is None:
            unit = units[person.unit_name] = str(escape(person.unit_name))
        append(
            f'<tr><td class="num" rowspan="{span}">{number}</td>'
            f'<td rowspan="{span}"><span class="strong">{escape(person.full_name)}</span>{title}'
            f"<br>{unit}</td>"
        )
        for index, notice in enumerate(person.notices):
            day = days.get(notice.notice_date)
            if day is None:
                day = days[notice.notice_date] = notice.notice_date.strftime("%d/%m/%Y")
            cases = case_counts.get(notice.cases)
            if cases is None:
                cases = case_counts[notice.cases] = str(escape(cases_label % {"n": notice.cases}))
            explanation = escape(notice.explanation) if notice.explanation else "—"
            if index:
                append("<tr>")
            append(
                f'<td>{heading_format % {"ref": escape(notice.reference_number), "date": day}}'
                f' ({cases})</td><td class="prewrap">{explanation}</td>'
                f'<td>{_proposed(notice, awaiting_line, proposed)}</td>'
            )
            if not index:
                append(f'<td class="num" rowspan="{span}">{points}</td>')
            append("</tr>\n")
    return Markup("".join(out))


def _proposed(notice: SummaryNotice, awaiting: str, lines: dict[tuple[str, str], str]) -> str:
    """The notice's proposals as one escaped line (`awaiting` if none); a proposal's part is
    written once per period and response, which a year repeats thousands of times."""
    parts = []
    for proposal in notice.proposals:
        key = (proposal.period_label, proposal.response)
        part = lines.get(key)
        if part is None:
            part = lines[key] = str(escape(f"{proposal.period_label}: {proposal.response}"))
        parts.append(part)
    return "; ".join(parts) or awaiting
