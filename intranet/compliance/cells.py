"""The figure cells of the compliance table's rows, built in Python.

200 units x 10 figures: as a Jinja macro per row, with a filter call per number, the cells
were most of /compliance's time (a quarter of a million Python calls a page). Here each
row is one call; what is the same in every row (labels, links' tails, the locale's
separators, the words of the badges) is looked up once per page.
"""
from __future__ import annotations

from collections.abc import Sequence

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from ..formatting import number
from ..months import Month
from .labels import FigureColumn
from .results import Figures, MonthPoint


class FigureCells:
    """Renders `<td>` cells for each figure column of a table row, in the page's language."""

    def __init__(self, columns: list[FigureColumn], locale: str) -> None:
        self.columns = [(column.name, column.label, column.link) for column in columns]
        self.locale = locale
        self._words: tuple[Markup, Markup] | None = None

    def words(self) -> tuple[Markup, Markup]:
        # Translated on first use: the context processor builds this for every compliance page.
        if self._words is None:
            # "%%" as the templates write it (one msgid): Jinja's _() formats, Python's does
            # only when given values.
            self._words = (escape(_("Không có ai")), escape(_("chưa đạt 100%%") % {}))
        return self._words

    def percent(self, figures: Figures) -> Markup:
        """The level-2 share, marked "!" below 100% and "✓" at 100% (styles.css): not told by
        colour alone, and "chưa đạt 100%" in words for a screen reader."""
        share = figures.percent
        no_staff, below_target = self.words()
        if share is None:
            return Markup(f'<span class="muted" title="{no_staff}">—</span>')
        text = number(share, 1, self.locale)
        if figures.complete:
            return Markup(f'<span class="badge ok">{text}%</span>')
        return Markup(f'<span class="badge todo">{text}%</span>'
                      f'<span class="visually-hidden"> ({below_target})</span>')

    def shares(self, points: Sequence[MonthPoint]) -> Markup:
        """A chart's line as table cells: each month's level-2 share, "—" with nobody to
        count (the trend page has one such line per unit, twelve months each)."""
        cells = []
        for point in points:
            share = point.percent
            text = "—" if share is None else f"{number(share, 1, self.locale)}%"
            cells.append(f'<td class="num">{text}</td>')
        return Markup("\n".join(cells))

    def __call__(self, figures: Figures, people: str | None = None) -> Markup:
        """The row's cells; with `people` (the unit's page for the month), each count other
        than zero links to the people or notices behind it."""
        base = escape(people) if people else None
        cells = []
        for name, label, link in self.columns:
            if name == "percent":
                inner = self.percent(figures)
            else:
                value = getattr(figures, name)
                # Below a thousand a count has no separator in any language: most cells.
                inner = str(value) if 0 <= value < 1000 else number(value, 0, self.locale)
                if base and value:
                    inner = f'<a href="{base}{link}">{inner}</a>'
            cells.append(f'<td class="num" data-label="{label}">{inner}</td>')
        return Markup("\n".join(cells))


class UnitPages:
    """Each unit's page for a month: url_for once (any URL prefix included), then each unit's
    id put in; url_for for each of 200 rows cost more than the row's cells."""

    def __init__(self, month: Month) -> None:
        self.none = url_for("compliance.unit", unit_id=None, month=month.iso)
        one = url_for("compliance.unit", unit_id=1, month=month.iso)
        path, _sep, self.query = one.partition("?")
        self.prefix = path.removesuffix("1")

    def __call__(self, unit_id: int | None) -> str:
        return self.none if unit_id is None else f"{self.prefix}{unit_id}?{self.query}"
