"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import gc

from intranet import create_app

app = create_app()
# What is loaded by now (modules, templates, the app) lives as long as the worker: out of
# the garbage collector's full passes, which walked it all and added up to 80 ms to a
# request at random (make bench).
gc.freeze()
