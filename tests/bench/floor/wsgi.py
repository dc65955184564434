"""``gunicorn -c deploy/gunicorn.conf.py tests.bench.floor.wsgi:application``"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.floor.settings")
application = get_wsgi_application()
