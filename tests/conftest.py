"""The cast of every story (STYLE rule 8), on a small tree that looks like Changchun:

    2201 长春市
    └── 220104 朝阳区
        ├── 220104001 前进街道 (street A)
        │   ├── 220104001001 A1社区 (community A1)
        │   │   ├── 220104001001001 第1网格 (grid A1)
        │   │   │   └── 220104001001001001 1栋 → 22010400100100100101 1单元
        │   │   └── 220104001001002 第2网格
        │   └── 220104001002 A2社区
        └── 220104002 桂林街道 (street B)
            └── 220104002001 B1社区 → 220104002001001 第1网格 (grid B1)

- city_org: the city organisation department (org_department at 2201)
- street_a: a cadre of street A (street_cadre at 220104001)
- grid_a1: the worker of grid A1 (grid_worker at 220104001001001)
- street_b: a cadre of street B, the outsider of every street-A story
"""

import os

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import settings as hypothesis_settings

from orgs import tree
from orgs.choices import Role
from orgs.models import Area, RoleAssignment, User

PASSWORD = "correct-horse-battery"

# Property tests: 40 random examples a run; in CI the same examples every run (derandomize), so
# that a red run is reproducible; HYPOTHESIS_PROFILE=thorough explores 500 by hand.
hypothesis_settings.register_profile("default", max_examples=40, deadline=None)
hypothesis_settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True)
hypothesis_settings.register_profile("thorough", max_examples=500, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))

TREE = [
    ("2201", "长春市", "city", None),
    ("220104", "朝阳区", "district", "2201"),
    ("220104001", "前进街道", "street", "220104"),
    ("220104001001", "A1社区", "community", "220104001"),
    ("220104001001001", "第1网格", "grid", "220104001001"),
    ("220104001001001001", "1栋", "building", "220104001001001"),
    ("22010400100100100101", "1单元", "unit", "220104001001001001"),
    ("220104001001002", "第2网格", "grid", "220104001001"),
    ("220104001002", "A2社区", "community", "220104001"),
    ("220104002", "桂林街道", "street", "220104"),
    ("220104002001", "B1社区", "community", "220104002"),
    ("220104002001001", "第1网格", "grid", "220104002001"),
]


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's setup of the test database, made as a copy of a migrated template where one
    matches the migrations (tests/template_db.py): a minute and a half less for each test process.
    A test that asks for a second database (the replica's) gets a copy of the same template."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests import template_db

    assert django_db_use_migrations, "the suite runs on migrated databases (data migrations, triggers)"
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    others = {
        alias for alias in aliases if alias != "default" and not connections[alias].settings_dict["TEST"].get("MIRROR")
    }
    keepdb = django_db_keepdb and not django_db_createdb
    test_name = connections["default"].creation._get_test_db_name()
    setup = dict(verbosity=request.config.option.verbose, interactive=False, serialized_aliases=serialized_aliases)
    also = [connections[alias].creation._get_test_db_name() for alias in sorted(others)]
    with django_db_blocker.unblock():
        with template_db.migrated_once(test_name, recreate=not keepdb, also=also) as copied:
            db_cfg = setup_databases(aliases=set(aliases) - others, keepdb=keepdb or copied, **setup)
        if others:  # copies of the template: nothing to migrate
            db_cfg += setup_databases(aliases=others, keepdb=True, **setup)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            connections.close_all()
            template_db.disconnect_others(test_name)
            teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_folder(tmp_path_factory):
    """Uploaded and generated files (evidence, photos, the demo's) never land in the checkout."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


DEFAULT_SET = "党建引领基层治理考核指标（默认）"


def restore_default_set():
    """The default indicator set of the data migrations (assessment 0002, 0005), loaded again
    when missing: a transactional test (the browser's, the worker's) empties every table when it
    ends, data migrations' rows included, and a test that runs after it — in whatever order, in
    whichever pytest-xdist process — must still find the set."""
    import importlib

    from django.apps import apps

    from assessment.models import IndicatorSet

    found = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if found is None:
        importlib.import_module("assessment.migrations.0002_default_indicator_set").create(apps, None)
        importlib.import_module("assessment.migrations.0005_default_set_groups_and_entered_leaves").forwards(apps, None)
        found = IndicatorSet.objects.get(name=DEFAULT_SET)
    return found


@pytest.fixture
def default_set():
    """The default indicator set, as the data migrations wrote it (`restore_default_set`)."""
    return restore_default_set()


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    """The small demo city (`seed_demo`), seeded once for the tests of a module that ask for it,
    and the text seed_demo printed. It lives in a transaction rolled back when the module ends;
    each test runs in a savepoint inside it (pytest-django's `django_db`), so what a test writes
    is undone after it. Only for `django_db` tests without `transaction=True`; and since a module
    fixture lasts to the module's end, a module that asks for it must not also hold tests that
    need an empty database."""
    from io import StringIO

    from django.core.management import call_command

    with django_db_blocker.unblock(), transaction.atomic():
        restore_default_set()  # the demo scores its quarters on it
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def areas(db):
    """The small tree above, by code."""
    with transaction.atomic():
        tree.bulk_load([tree.AreaRow(*row) for row in TREE])
    return {area.code: area for area in Area.objects.all()}


def make_user(username, role, area, **extra):
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        RoleAssignment.objects.create(user=user, area=area, role=role)
    return user


@pytest.fixture
def city_org(areas):
    return make_user("city_org", Role.ORG_DEPARTMENT, areas["2201"], last_name="市委", first_name="组织部")


@pytest.fixture
def street_a(areas):
    return make_user("street_a", Role.STREET_CADRE, areas["220104001"], phone="13912345678")


@pytest.fixture
def grid_a1(areas):
    return make_user("grid_a1", Role.GRID_WORKER, areas["220104001001001"])


@pytest.fixture
def street_b(areas):
    return make_user("street_b", Role.STREET_CADRE, areas["220104002"])


@pytest.fixture
def grant_personal_data():
    """grant_personal_data(user): the permission to see phone and ID numbers whole."""
    from django.contrib.auth.models import Permission

    def grant(user):
        user.user_permissions.add(Permission.objects.get(content_type__app_label="core", codename="view_personal_data"))

    return grant


@pytest.fixture
def client_for():
    """A logged-in test client for a user: client_for(street_a).get(...)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def tree_snapshot():
    """What an out-of-scope write must leave untouched: snapshot() before, compare after.

    Every area with its code, name, level, parent and MPTT columns, and every role assignment.
    """

    def snapshot():
        return {
            "areas": list(
                Area.objects.order_by("pk").values_list("pk", "code", "name", "level", "parent_id", "lft", "rght")
            ),
            "roles": list(RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "area_id", "role")),
        }

    return snapshot


@pytest.fixture
def redis_url():
    """The Redis of the worker tests (REDIS_URL or db 15 on localhost); skipped when it does
    not answer, unless REQUIRE_REDIS=1."""
    from tests import helpers

    return helpers.redis_url()


@pytest.fixture
def browser(chromium_path, monkeypatch):
    """Debian's chromium driven by Playwright, for the browser tests (against `live_server`)."""
    from playwright.sync_api import sync_playwright

    from tests.helpers import CHROMIUM_ARGS

    # Playwright's sync API keeps an event loop on this thread; the test's own ORM calls
    # (fixtures, teardown) are synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def chromium_path():
    """Debian's chromium (CHROMIUM_PATH); skipped without it, unless REQUIRE_BROWSER=1."""
    from tests import helpers

    return helpers.chromium_path()


def pytest_generate_tests(metafunc):
    """The permission matrices (core/testing.py) run each of their tests once per declared page."""
    from core.testing import parametrize_matrix

    parametrize_matrix(metafunc)


@pytest.fixture
def any_code_width(settings):
    """Codes of any width at any level (AREA_CODE_WIDTHS=off): the stories of the tree's prefix
    rules, which widths alone would make impossible."""
    settings.AREA_CODE_WIDTHS = {}
