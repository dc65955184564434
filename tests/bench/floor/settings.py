"""Settings of the floor: only what a Django view and one database query need (see ``__init__``)."""

import os

import dj_database_url

SECRET_KEY = "floor-of-the-load-benchmark-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.bench.floor.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
# The connection settings kb uses (kb/settings.py), so the floor pays the same per-request database cost.
DATABASES = {
    "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
}
USE_TZ = True
LOGGING_CONFIG = None
