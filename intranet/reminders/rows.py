"""The preview's list of recipients as HTML, written here rather than in the template: 200
rows of four cells, and Jinja's per-row work (escaping each label again, a filter per row)
was a tenth of the page (the pattern of notices/queue_rows.py)."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .labels import period_label
from .models import Reason
from .send import Item


def recipient_rows(items: list[Item], reasons: Mapping[Reason, str]) -> Markup:
    """The <tr>s of the preview's list: kind of reminder, period, recipient, address (or that
    it is missing). Labels are translated once a page; every value is escaped."""
    kind, period, recipient, email = (str(escape(label)) for label in (
        _("Loại thư"), _("Kỳ"), _("Người nhận"), _("Email"),
    ))
    missing = str(escape(_("(thiếu địa chỉ)")))
    kinds = {reason: str(escape(label)) for reason, label in reasons.items()}
    periods: dict[str, str] = {}  # one or two periods for 200 rows
    out: list[str] = []
    for item in items:
        shown = periods.get(item.period)
        if shown is None:
            shown = periods[item.period] = str(escape(period_label(item.period)))
        address = item.recipient.email
        out.append(
            f'<tr><td data-label="{kind}">{kinds[item.reason]}</td>'
            f'<td data-label="{period}">{shown}</td>'
            f'<td data-label="{recipient}">{escape(item.recipient.full_name)}</td>'
            f'<td data-label="{email}">{escape(address) if address else missing}</td></tr>\n'
        )
    return Markup("".join(out))
