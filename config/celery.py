"""Celery wiring (Read the Docs style): settings under the CELERY_ namespace; beat's schedule is
the registry's (core.registry.add_schedule, filled by each app's ready(): `celery beat` sets
Django up before it builds its scheduler, and Celery reads this very dict then)."""

import os

from celery import Celery

from core.registry import registry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jiceng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = registry.schedules
app.autodiscover_tasks()
