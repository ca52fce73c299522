"""deploy/jiceng.env.example, the environment file the systemd units share, names every setting the
portal reads from the environment (config/) and gunicorn's (deploy/gunicorn.conf.py), and every one
the README's table documents; and its values, the commented ones too, make a production
configuration that `check --deploy` passes without a warning."""

import os
import re
import secrets
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "deploy" / "jiceng.env.example"
READ_BY_SETTINGS = re.compile(r"""\benv_\w+\(\s*["']([A-Z][A-Z0-9_]*)["']""")
READ_BY_GUNICORN = re.compile(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""")
LINE = re.compile(r"^(# )?([A-Z][A-Z0-9_]*)=(.*)$")
# The example's placeholders, for a run here: a real key (CHANGE-ME is too short, on purpose), and a
# database the checks never connect to.
PLACEHOLDERS = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/jiceng_unused",
    "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5432/jiceng_unused",
    "SECRET_KEY_FILE": "/nonexistent/.secret_key",
}


def example():
    """{name: value} of the example's settings, commented or not (single quotes removed)."""
    found = {}
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if match:
            value = match.group(3)
            found[match.group(2)] = value[1:-1] if value[:1] == value[-1:] == "'" and len(value) > 1 else value
    return found


def read_from_the_environment():
    names = set()
    for path in (ROOT / "config").glob("*.py"):
        if path.name not in ("env.py", "settings_test.py"):
            names |= set(READ_BY_SETTINGS.findall(path.read_text(encoding="utf-8")))
    names |= set(READ_BY_GUNICORN.findall((ROOT / "deploy" / "gunicorn.conf.py").read_text(encoding="utf-8")))
    return names


def documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Production deployment") :]
    section = section[: section.index("\n## ", 1)]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", section, flags=re.MULTILINE)) | set(
        re.findall(r"also `([A-Z][A-Z0-9_]*)`, `([A-Z][A-Z0-9_]*)`", section)[0]
    )


def test_the_example_names_every_setting_read_from_the_environment():
    names = read_from_the_environment()

    assert {"DATABASE_URL", "SECRET_KEY", "DATABASE_REPLICA_URL", "GUNICORN_WORKERS"} <= names
    assert sorted(names - set(example())) == []


def test_the_example_names_every_setting_of_the_readmes_table():
    documented = documented_in_the_readme()

    assert {"DATABASE_URL", "IMPORT_MAX_BYTES", "SECURE_HSTS_PRELOAD"} <= documented
    assert sorted(documented - set(example())) == []


def test_the_examples_values_read_by_the_shell_pass_the_deploy_checks(tmp_path):
    """Every line of the example in force (the commented settings too), but the placeholders: read by
    deploy/jiceng-manage as an operator runs it, and checked as `manage.py upgrade` checks."""
    lines = []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = LINE.match(line)
        if match and match.group(2) in PLACEHOLDERS:
            line = f"{match.group(2)}={PLACEHOLDERS[match.group(2)]}"
        elif match:
            line = line.removeprefix("# ")
        lines.append(line)
    environment = tmp_path / "jiceng.env"
    environment.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = subprocess.run(
        [str(ROOT / "deploy" / "jiceng-manage"), "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": os.environ["PATH"], "JICENG_ENV": str(environment)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
