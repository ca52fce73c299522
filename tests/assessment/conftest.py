import importlib

import pytest
from django.apps import apps

from assessment.models import IndicatorSet

DEFAULT_SET = "党建引领基层治理考核指标（默认）"


@pytest.fixture
def default_set():
    """The default indicator set of the data migrations (0002, 0005). A transactional test (the
    browser's, the worker's) empties every table when it ends, data migrations' rows included:
    one that runs after another loads the set again, as the migrations wrote it."""
    found = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if found is None:
        importlib.import_module("assessment.migrations.0002_default_indicator_set").create(apps, None)
        importlib.import_module("assessment.migrations.0005_default_set_groups_and_entered_leaves").forwards(apps, None)
        found = IndicatorSet.objects.get(name=DEFAULT_SET)
    return found
