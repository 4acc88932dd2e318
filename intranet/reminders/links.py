"""Absolute links for messages read outside the intranet, built from APP_BASE_URL."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import MapAdapter

from .settings import base_url


class Links:
    """url_for() for an email: the app's routes under the address staff open the intranet at.

    A URL map bound to APP_BASE_URL rather than SERVER_NAME, which would also change how
    Flask matches incoming requests, or a fake request context.
    """

    def __init__(self, app: Flask) -> None:
        parts = urlsplit(base_url(app.config))
        self._adapter: MapAdapter = app.url_map.bind(
            parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
        )

    @staticmethod
    def host_of(config) -> str:
        return urlsplit(base_url(config)).hostname or "localhost"

    def url(self, endpoint: str, **values: Any) -> str:
        return self._adapter.build(endpoint, values, force_external=True)
