"""The house rules for the test code that a reader would otherwise have to check by hand."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imported_test_modules(source: str) -> list[str]:
    """The test modules (`test_*`) that `source` imports, at any depth of the file."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [name for name in names if any(part.startswith("test_") for part in name.split("."))]
    return found


def test_the_check_sees_every_way_of_importing_a_test_module() -> None:
    for source in ("from .test_imports import upload", "from tests.test_report import NOTES",
                   "import tests.test_report", "from . import test_imports", "from tests import test_report",
                   "def f():\n    from .test_imports import upload"):
        assert imported_test_modules(source), source
    assert imported_test_modules("from .support.import_pages import upload\nfrom .conftest import make_app") == []


def test_no_test_module_imports_another() -> None:
    """Shared helpers live in tests/support/, shared fixtures in conftest.py."""
    offenders = {
        str(path.relative_to(TESTS)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if (imported := imported_test_modules(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}
