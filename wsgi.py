"""WSGI entry point: ``gunicorn wsgi:app``."""

from campaign.app import create_app

app = create_app()
