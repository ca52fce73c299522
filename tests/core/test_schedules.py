"""Apps register their schedules through the registry (core.registry.add_schedule, from their own
apps.py) rather than by hand in config/settings.py, and `celery beat` runs every one of them."""

import subprocess
import sys
from pathlib import Path

import pytest
from celery import beat
from celery.schedules import crontab
from django.conf import settings

from config.celery import app
from core.registry import Registry, registry

REGISTERED = {
    "redispatch-pending-imports": "core.redispatch_pending_jobs",
    "beat-heartbeat": "core.beat_heartbeat",
    "forget-old-form-tokens": "core.forget_old_form_tokens",
    "due-notices": "core.send_due_notices",
    "refresh-coverage-tallies": "grids.refresh_coverage_tallies",
    "nightly-rollups": "assessment.nightly_rollups",
    "quarter-end-rollup": "assessment.quarter_end_rollup",
}


def test_no_schedule_is_written_into_the_settings_by_hand():
    assert not hasattr(settings, "CELERY_BEAT_SCHEDULE")


def test_each_app_registers_its_schedules_and_each_names_a_task_of_the_worker():
    app.loader.import_default_modules()

    assert {name: entry["task"] for name, entry in registry.schedules.items()} == REGISTERED
    assert all(entry["task"] in app.tasks for entry in registry.schedules.values())


def test_beats_scheduler_holds_every_registered_entry(tmp_path):
    scheduler = beat.PersistentScheduler(app=app, schedule_filename=str(tmp_path / "beat-schedule"), lazy=False)
    try:
        entries = {name: entry.task for name, entry in scheduler.schedule.items() if not name.startswith("celery.")}
        assert entries == REGISTERED
        assert scheduler.schedule["refresh-coverage-tallies"].schedule == crontab(hour=0, minute=1)
    finally:
        scheduler.close()


def test_a_fresh_beat_process_sees_the_schedules_the_apps_register(tmp_path):
    """`celery beat` builds its scheduler after its loader has set Django up (not in pytest's
    process, where Django is set up already): the registry must be filled by then."""
    script = (
        "from celery import beat\n"
        "from config.celery import app\n"
        "app.loader.init_worker()\n"  # what celery beat does first (Beat.init_loader)
        f"s = beat.PersistentScheduler(app=app, schedule_filename={str(tmp_path / 's')!r}, lazy=False)\n"
        "print(' '.join(sorted(n for n in s.schedule if not n.startswith('celery.'))))\n"
        "s.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == sorted(REGISTERED)


def test_a_schedule_registered_twice_is_refused():
    fresh = Registry()
    fresh.add_schedule("nightly", "assessment.nightly_rollups", crontab(hour=1, minute=30))

    with pytest.raises(ValueError, match="nightly"):
        fresh.add_schedule("nightly", "assessment.nightly_rollups", 60.0)
