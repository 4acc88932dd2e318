"""The staff directory (LDAP): sign-in, reading staff entries, and the sync into the database."""
from flask import current_app

from .client import (
    AccountRefused,
    Directory,
    DirectoryPerson,
    DirectorySearchFailed,
    DirectoryUnavailable,
    InvalidCredentials,
    directory_from_config,
)


def current_directory() -> Directory:
    """The app's directory; tests may swap the factory through DIRECTORY_FACTORY."""
    factory = current_app.config.get("DIRECTORY_FACTORY", directory_from_config)
    return factory(current_app.config)


__all__ = [
    "AccountRefused",
    "Directory",
    "DirectorySearchFailed",
    "DirectoryPerson",
    "DirectoryUnavailable",
    "InvalidCredentials",
    "current_directory",
    "directory_from_config",
]
