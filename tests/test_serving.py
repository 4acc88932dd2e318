"""A worker as wsgi.py leaves it (intranet/serving.py): the app loaded, then frozen out of the
garbage collector's passes, and its full passes made rarer."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from intranet.serving import FULL_PASS_EVERY

ROOT = Path(__file__).resolve().parent.parent
SETTLED = "import gc, wsgi; print(gc.get_freeze_count() > 10000, gc.get_threshold())"


def test_a_worker_keeps_what_it_loaded_out_of_the_collectors_passes(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    result = subprocess.run([sys.executable, "-c", SETTLED], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    frozen, threshold = result.stdout.strip().split(" ", 1)
    assert frozen == "True"
    assert threshold.endswith(f", {FULL_PASS_EVERY})")
