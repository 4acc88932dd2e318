"""Static file URLs that name their content (?v=<hash>), so browsers may cache them for a year.

nginx serves /static/ with a year's `immutable` cache (deploy/nginx/intranet.conf.in); a
new version of a file gets a new URL, so an upgrade reaches every browser at once.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask

VERSION_LENGTH = 12


@lru_cache(maxsize=256)
def _version(path: Path, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:VERSION_LENGTH]


def file_version(folder: str, filename: str) -> str | None:
    """A short hash of the file's bytes; None when there is no such file under `folder`."""
    root = Path(folder).resolve()
    path = (root / filename).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    stat = path.stat()
    return _version(path, stat.st_mtime_ns, stat.st_size)


def register(app: Flask) -> None:
    @app.url_defaults
    def versioned_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint != "static" or "v" in values or not app.static_folder:
            return
        version = file_version(app.static_folder, values.get("filename", ""))
        if version:
            values["v"] = version
