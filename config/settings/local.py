"""Laptop and demo profile: `make run`.

Debug pages are off by default, so the demo shows the real "page not found" and "you cannot
do this" pages; set DEBUG=true for Django's debug pages while developing."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, STORAGES, env

DEBUG = env.bool("DEBUG", default=False)
# Static files straight from the source folders: no collectstatic step for the demo.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# The fictional demo (load_demo, demo_code); production settings never install it.
INSTALLED_APPS = [*INSTALLED_APPS, "apps.demo"]
