"""The app's settings as production reads them from its environment file, for tests of what
production refuses to start with."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from config import settings_from_env

# What production needs besides the setting a test is about.
SECRET = {"SECRET_KEY": "k" * 40}
DIRECTORY = {"LDAP_URL": "ldaps://dc1.example"}


def production_settings(tmp_path: Path, **env: str) -> dict[str, Any]:
    """`env` read with INTRANET_ENV=production, on a SQLite file of the test's own."""
    settings = settings_from_env({"INTRANET_ENV": "production", **env})
    settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'p.db'}"
    return settings
