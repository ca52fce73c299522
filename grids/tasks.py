"""Celery tasks of the roster."""

from celery import shared_task


@shared_task(name="grids.refresh_coverage_tallies")
def refresh_coverage_tallies():
    """Recount the coverage tallies just after midnight, when scheduled posts start and ended ones
    stop covering, so that the day's first reader of a city's coverage does not wait for it."""
    from . import coverage

    coverage.refresh_tallies()
