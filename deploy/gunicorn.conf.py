"""gunicorn's settings for the intranet: `gunicorn --config deploy/gunicorn.conf.py wsgi:app`.

Read from the environment (the systemd unit's EnvironmentFile), so one file serves every host:
GUNICORN_BIND (address:port, space-separated for several), WEB_CONCURRENCY (workers),
GUNICORN_TIMEOUT (seconds a request may take before its worker is replaced).
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

chdir = str(Path(__file__).resolve().parent.parent)  # where wsgi.py and config.py live
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split()
# Sync workers: each request has a process to itself, so a slow export holds one worker and
# nothing else; two to four per core suits this app (make load).
workers = int(os.environ.get("WEB_CONCURRENCY", "").strip() or 2 * (os.cpu_count() or 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "").strip() or 60)
# On stop (SIGTERM) a worker finishes its request; nginx sends new ones to the other instance.
graceful_timeout = 30
proc_name = "intranet"
# systemd (or nginx's view of the instances) is how this server is managed: no control socket
# in the service user's home, which two instances on one host would also fight over.
control_socket_disable = True
# Both logs to stderr: journald keeps and rotates them (journalctl -u intranet).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# Behind nginx the first field is X-Forwarded-For: its last address is the client as nginx
# saw it (anything before it is what the client claimed); the second is nginx's.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'


def on_starting(server: Any) -> None:
    """Tell the app how many workers really run (`--workers` on the command line included).

    The app refuses per-process rate limits (memory://) in production with more than one
    worker (intranet/rate_limits.py); the workers inherit this environment.
    """
    os.environ["WEB_CONCURRENCY"] = str(server.cfg.workers)


def post_worker_init(worker: Any) -> None:
    """The app's warnings and errors go to the journal with gunicorn's own lines.

    Without a handler on the root logger, libraries that give theirs a NullHandler (the
    limiter's "falling back to in-memory storage" when Redis is down) would say nothing.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
