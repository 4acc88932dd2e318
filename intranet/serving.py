"""How a worker process settles once the app is loaded (wsgi.py; the bench does the same).

What is loaded by then (modules, templates, the app) lives as long as the worker: frozen out
of the garbage collector's passes, which walked it all and added up to 80 ms to a request at
random. What the worker builds afterwards and keeps (compiled SQL, kept figures, ~50,000
objects once every page has been served) is still walked by each full pass: 10 ms at
province scale, and with Python's default of a full pass every 10 passes of the middle
generation, one came every 15-20 requests and was most of the p95 of the pages it landed
on (make bench). One full pass every 100 costs ~30 ms about every 200 requests instead.
"""
from __future__ import annotations

import gc

FULL_PASS_EVERY = 100  # passes of the middle generation (Python's default: 10)


def settle_worker() -> None:
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_EVERY)
