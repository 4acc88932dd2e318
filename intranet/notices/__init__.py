"""One-stop-shop notices about staff, and a person's records (/staff/<id>)."""
from flask import Blueprint

bp = Blueprint("notices", __name__)

from . import views  # noqa: E402,F401  the routes, registered on bp
