"""WSGI entry point for gunicorn; production defaults (KB_DEBUG=0) unless the environment says otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.environ.setdefault("KB_DEBUG", "0")
application = get_wsgi_application()
