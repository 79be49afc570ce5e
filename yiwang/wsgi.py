"""WSGI entry point for production servers (gunicorn, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
application = get_wsgi_application()

# A worker does not start on a database the checks refuse (a role naming an unknown permission code):
# SystemCheckError names each problem, and the server reports it as the worker's failure to boot.
from yiwang.core.checks import check_database_before_serving  # noqa: E402  (needs the apps loaded)

check_database_before_serving()
