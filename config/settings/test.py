"""Test profile: tasks run at once, mail stays in memory, passwords hash fast."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                     "QUEUES": ["default"]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False
ALLOWED_HOSTS = ["*"]
LOGGING["loggers"]["peerreview.request"]["level"] = env.str(  # noqa: F405
    "REQUEST_LOG_LEVEL", default="WARNING")

# The fictional demo (load_demo, demo_code); production settings never install it.
INSTALLED_APPS = [*INSTALLED_APPS, "apps.demo"]
