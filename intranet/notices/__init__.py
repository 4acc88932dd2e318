"""One-stop-shop notices about staff, and a person's records (/staff/<id>)."""
from flask import Blueprint

bp = Blueprint("notices", __name__)

from . import queue_views, views  # noqa: E402,F401  the routes, registered on bp


@bp.app_template_filter("case_channel")
def case_channel(case) -> str:
    """How a case was filed and how far its procedure is online ("Trực tiếp, toàn trình")."""
    from flask_babel import gettext as _

    channels = {"in_person": _("Trực tiếp"), "post": _("Bưu chính")}
    levels = {"full": _("toàn trình"), "partial": _("một phần")}
    parts = [channels.get(case.channel, ""), levels.get(case.online_level, "")]
    return ", ".join(p for p in parts if p) or "—"
