"""WSGI entry point for any production server: `gunicorn wsgi:app`."""

from gangway import create_app

app = create_app()
