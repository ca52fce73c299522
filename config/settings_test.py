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

# A second database for the replica's test (tests/core/test_replica_reads.py): its own test database
# (test_<name>_replica), a copy of the migrated template like the default's (tests/conftest.py),
# made only when a test asks for it. Reads go to it only where a test turns the replica reads on.
if "replica" not in DATABASES:  # noqa: F405
    _primary = DATABASES["default"]  # noqa: F405
    DATABASES["replica"] = {  # noqa: F405
        **_primary,
        "NAME": f"{_primary['NAME']}_replica",
        "OPTIONS": dict(_primary.get("OPTIONS", {})),
        "TEST": {"DEPENDENCIES": []},  # made apart from the default's (tests/conftest.py)
    }
DATABASE_REPLICA_READS = False
