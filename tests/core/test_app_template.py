"""The app skeleton (core/app_template, `manage.py startapp --template core/app_template <name>`)
renders an app like tests/kitapp — an AreaRecord with a name, a phone and a date, declared in a
few lines — that installs, serves its pages and its API, and declares its pages, API, export and
import in at most fifteen lines (issue 16 §5, acceptance 1)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from orgs.models import AreaRecord
from tests.kitapp.models import ServicePoint

TEMPLATE = Path(settings.BASE_DIR) / "core" / "app_template"
KITAPP = Path(settings.BASE_DIR) / "tests" / "kitapp"
MOST_DECLARED_LINES = 15


def declared_lines(source):
    """The lines that declare something: not blank, not a comment, not a docstring, not an import."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            skipped.update(range(node.lineno, node.end_lineno + 1))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                skipped.update(range(body[0].lineno, body[0].end_lineno + 1))
    return [
        line.strip()
        for number, line in enumerate(source.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#") and number not in skipped
    ]


def declaration(source):
    """The ModelPages class's declared attributes: {name: value as written, the model's name aside}."""
    tree = ast.parse(source)
    pages = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    assert [ast.unparse(base) for base in pages.bases] == ["ModelPages"]
    return {node.targets[0].id: ast.unparse(node.value) for node in pages.body if isinstance(node, ast.Assign)}


def model_fields(source):
    """{field: field class} of the models.py's one model, and its bases."""
    tree = ast.parse(source)
    model = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    fields = {
        node.targets[0].id: ast.unparse(node.value.func).rsplit(".", 1)[-1]
        for node in model.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
    }
    return [ast.unparse(base) for base in model.bases], fields


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The skeleton rendered for an app named `pointsapp`, as a developer would start one."""
    root = tmp_path_factory.mktemp("apps")
    (root / "pointsapp").mkdir()
    call_command("startapp", "pointsapp", str(root / "pointsapp"), template=str(TEMPLATE), verbosity=0)
    return root


def test_the_skeleton_renders_python_that_compiles(rendered):
    files = sorted(path.relative_to(rendered / "pointsapp").as_posix() for path in rendered.rglob("*.py"))

    assert files == [
        "__init__.py",
        "apps.py",
        "declarations.py",
        "migrations/__init__.py",
        "models.py",
        "permissions.py",
        "urls.py",
    ]
    for path in rendered.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
        assert "{{" not in path.read_text() and "{%" not in path.read_text()


def test_the_declarations_take_at_most_fifteen_lines_in_the_skeleton_and_in_kitapp(rendered):
    skeleton = declared_lines((rendered / "pointsapp" / "declarations.py").read_text())
    kitapp = declared_lines((KITAPP / "declarations.py").read_text())

    assert len(skeleton) <= MOST_DECLARED_LINES, skeleton
    assert len(kitapp) <= MOST_DECLARED_LINES, kitapp
    assert len(skeleton) == len(kitapp)


def test_the_line_counter_skips_docstrings_comments_and_imports():
    source = (
        '"""Doc\nstring."""\n\nfrom a import (\n    b,\n)\n\n\nclass X(Y):\n    """Doc."""\n\n    # note\n    z = 1\n'
    )

    assert declared_lines(source) == ["class X(Y):", "z = 1"]


def test_kitapp_is_the_skeletons_rendered_example(rendered):
    skeleton = declaration((rendered / "pointsapp" / "declarations.py").read_text())
    kitapp = declaration((KITAPP / "declarations.py").read_text())
    bases, fields = model_fields((rendered / "pointsapp" / "models.py").read_text())

    assert list(skeleton) == list(kitapp)  # the same facts, in the same order
    for name in ("fields", "filters", "import_id_fields"):
        assert skeleton[name] == kitapp[name]
    assert bases == ["AreaRecord"] and issubclass(ServicePoint, AreaRecord)
    assert fields == {
        field.name: type(field).__name__ for field in ServicePoint._meta.local_fields if field.name in fields
    }
    assert set(fields) == {field.name for field in ServicePoint._meta.local_fields} - {"id", "area"}


CHECK = """
import django
django.setup()
from django.core.management import call_command
from django.urls import reverse
from pointsapp.declarations import PointsappRecordPages as pages
call_command("check")
call_command("makemigrations", "pointsapp", "--dry-run", verbosity=1)
print(reverse("pointsapp:pointsapprecord_list"), reverse("pointsapprecord-list"))
print(pages.table.headers(), sorted(pages.form.base_fields), pages.serializer.Meta.personal_fields)
"""


def test_the_rendered_app_installs_and_serves_its_pages_and_api(rendered):
    (rendered / "pointsapp_settings.py").write_text(
        'from config.settings_test import *  # noqa\nINSTALLED_APPS = [*INSTALLED_APPS, "pointsapp"]\n'
        'ROOT_URLCONF = "pointsapp_urls"\n'
    )
    (rendered / "pointsapp_urls.py").write_text(
        "from django.urls import include, path\nfrom tests.urls import urlpatterns as portal\n"
        'urlpatterns = [*portal, path("", include("pointsapp.urls"))]\n'
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pointsapp_settings",
        "PYTHONPATH": os.pathsep.join([str(rendered), str(settings.BASE_DIR)]),
    }

    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Create model PointsappRecord" in result.stdout
    assert "/pointsapp/ /api/pointsapp/" in result.stdout
    assert (
        "['区划代码', '名称', '联系电话', '开放日期'] ['area', 'name', 'opened', 'phone'] ('phone',)" in result.stdout
    )
