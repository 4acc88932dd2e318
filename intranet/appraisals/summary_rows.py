"""The summary table's body as HTML, written here rather than in the template: a year of the
whole sub-department is thousands of rows, and Jinja's per-row work (attribute lookups,
filters, escaping through its runtime) took most of the page's time (make bench)."""
from __future__ import annotations

from markupsafe import Markup, escape

from .summary import Summary


def summary_rows(summary: Summary, notice_label: str, cases_label: str, awaiting: str) -> Markup:
    """The <tr>s of the summary table: one per notice, the person's cells spanning theirs.
    Every value is escaped; the labels are the translated formats ("Số %(ref)s ngày %(date)s")."""
    out: list[str] = []
    for number, person in enumerate(summary.people, start=1):
        span = len(person.notices)
        points = "—" if person.points is None else f"{person.points:+d}"
        title = f", {escape(person.title)}" if person.title else ""
        for index, notice in enumerate(person.notices):
            heading = notice_label % {"ref": notice.reference_number, "date": notice.notice_date.strftime("%d/%m/%Y")}
            cases = cases_label % {"n": notice.cases}
            explanation = escape(notice.explanation) if notice.explanation else "—"
            proposed = escape(notice.proposed(awaiting))
            if index == 0:
                out.append(
                    f'<tr><td class="num" rowspan="{span}">{number}</td>'
                    f'<td rowspan="{span}"><span class="strong">{escape(person.full_name)}</span>{title}'
                    f"<br>{escape(person.unit_name)}</td>"
                )
            else:
                out.append("<tr>")
            out.append(f'<td>{escape(heading)} ({escape(cases)})</td><td class="prewrap">{explanation}</td>'
                       f"<td>{proposed}</td>")
            if index == 0:
                out.append(f'<td class="num" rowspan="{span}">{points}</td>')
            out.append("</tr>\n")
    return Markup("".join(out))
