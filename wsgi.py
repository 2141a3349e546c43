"""WSGI entry point for another production server (`gangway serve` runs granian itself):
e.g. `granian --interface wsgi wsgi:app` or `gunicorn wsgi:app`."""

from gangway import create_app

app = create_app()
