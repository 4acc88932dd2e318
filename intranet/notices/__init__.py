"""One-stop-shop notices about staff, and the heads' appraisal decisions on them."""
from flask import Blueprint

bp = Blueprint("notices", __name__)

from . import appraisal_views, views  # noqa: E402,F401  the routes, registered on bp


@bp.app_template_filter("period_label")
def period_label(appraisal) -> str:
    from .periods import period_of

    return period_of(appraisal.period_kind, appraisal.period_year, appraisal.period_number).label()
