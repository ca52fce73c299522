"""Test settings: the production settings with eager tasks and a fast password hasher."""

import os

os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = True

# The kit's test app: a simple scoped model declared on core (tests/kitapp), tests only.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kitapp"]  # noqa: F405
ROOT_URLCONF = "tests.urls"
