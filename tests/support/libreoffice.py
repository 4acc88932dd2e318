"""The distribution's LibreOffice, headless: open a file the app produced, as a user's office
suite would, and save it as CSV (every sheet) or PDF to check what a person would read."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
# Every sheet, UTF-8 (76), comma-separated, quoted text, cells as shown (not as stored).
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,true,false,false,-1"


def convert(data: bytes, suffix: str, target: str, profile: Path) -> dict[str, bytes]:
    """The files LibreOffice writes for `data` converted to `target`, by name."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / f"export{suffix}"
        source.write_bytes(data)
        out = Path(work) / "out"
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )
        files = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    assert files, f"LibreOffice wrote nothing for {target}"
    return files
