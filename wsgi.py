"""The WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
from intranet import create_app
from intranet.serving import settle_worker

app = create_app()
settle_worker()  # the garbage collector, for a long-lived worker (intranet/serving.py)
