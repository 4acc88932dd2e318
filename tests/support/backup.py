"""deploy/intranet-backup run as its systemd timer runs it, with the environment given."""
from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

BACKUP = Path(__file__).resolve().parents[2] / "deploy" / "intranet-backup"


def run_backup(env: Mapping[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BACKUP)], env=dict(env), capture_output=True, text=True, timeout=timeout)
