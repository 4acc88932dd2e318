"""`python -m scripts.peak_rss OUT MODULE ARGS...`: run MODULE as `python -m` would, then write
this process's own peak RSS in KiB to OUT.

The peak is /proc's VmHWM, the high-water mark of the memory the process has had since it
started the program. The kernel's ru_maxrss (os.wait4) is not: a child keeps the peak of the
process it was forked from, so a command started by `make bench`, whose own process holds
the province's data by then, reported that process's size (317 MB) instead of its own.
"""
from __future__ import annotations

import atexit
import runpy
import sys
from pathlib import Path


def high_water_mark_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


def main() -> None:
    out, module, *args = sys.argv[1:]
    atexit.register(lambda: Path(out).write_text(str(high_water_mark_kib())))
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
