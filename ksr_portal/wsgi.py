"""
WSGI config for ksr_portal project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ksr_portal.settings")

application = get_wsgi_application()
settings.SECRET_KEY  # noqa: B018 - an app server must not start without its signing key
