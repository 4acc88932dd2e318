"""A head's appraisal proposals about their staff, made on one-stop-shop notices."""
from flask import Blueprint

bp = Blueprint("appraisals", __name__)

from . import summary_views, views  # noqa: E402,F401  the routes, registered on bp


@bp.app_template_filter("category_label")
def category_label(code: str | None) -> str:
    from ..categories import label

    return label(code)


@bp.app_template_filter("category_labels")
def category_labels(stored: str | None) -> str:
    from ..categories import decode, label

    return ", ".join(label(code) for code in decode(stored))


@bp.app_template_filter("period_label")
def period_label(appraisal) -> str:
    from .periods import period_of

    return period_of(appraisal.period_kind, appraisal.period_year, appraisal.period_number).label()
