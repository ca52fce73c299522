"""The files of deploy/ that an office copies pass the checks of the programs that read them:
nginx's site (`nginx -t`, with a throwaway self-signed certificate in place of the office's),
the systemd units (`systemd-analyze verify`, with the code's path where the units expect it) and
gunicorn's settings (`gunicorn --check-config`). Where nginx or systemd-analyze is not installed
the test says so and is skipped (CI installs both: .ci/run). And the site agrees with the portal:
it admits the largest upload the portal accepts, waits for a request as long as gunicorn, and
serves no uploaded file."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "jiceng.conf"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALLED_AT = "/srv/jiceng"  # where the units and the site expect the code


def program(name):
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.skip(f"{name} is not installed here (CI installs it: .ci/run)")
    return found


def run(*command, cwd=None):
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)


def self_signed_certificate(folder):
    openssl = program("openssl")
    certificate, key = folder / "jiceng.crt", folder / "jiceng.key"
    made = run(
        openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=jiceng.example.gov.cn",
        "-keyout", str(key), "-out", str(certificate),
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return certificate, key


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = program("nginx")
    certificate, key = self_signed_certificate(tmp_path)
    site = (
        SITE.read_text(encoding="utf-8")
        .replace("/etc/jiceng/tls/jiceng.crt", str(certificate))
        .replace("/etc/jiceng/tls/jiceng.key", str(key))
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "jiceng.conf").write_text(site, encoding="utf-8")
    wrapper = tmp_path / "nginx.conf"  # what /etc/nginx/nginx.conf is around sites-enabled/
    wrapper.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/jiceng.conf;\n}}\n",
        encoding="utf-8",
    )

    checked = run(nginx, "-t", "-c", str(wrapper), "-p", str(tmp_path), "-e", str(tmp_path / "error.log"))

    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = program("systemd-analyze")
    for unit in UNITS:  # the code where the units look for it: this checkout, its virtualenv
        (tmp_path / unit.name).write_text(unit.read_text(encoding="utf-8").replace(INSTALLED_AT, str(ROOT)))

    verified = run(analyze, "verify", *sorted(str(path) for path in tmp_path.glob("*.service")))

    assert [unit.name for unit in UNITS] == ["jiceng-beat.service", "jiceng-web.service", "jiceng-worker.service"]
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr + verified.stdout == ""  # a misspelt setting is only a warning: none


def test_the_units_share_one_environment_file_and_run_from_the_installed_code():
    for unit in UNITS:
        text = unit.read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/jiceng/jiceng.env" in text, unit.name
        assert re.search(rf"^ExecStart={INSTALLED_AT}/\.venv/bin/", text, flags=re.MULTILINE), unit.name


def test_gunicorns_settings_pass_its_check(tmp_path):
    checked = run(
        sys.executable, "-m", "gunicorn", "--check-config", "--config", str(DEPLOY / "gunicorn.conf.py"), "config.wsgi",
        cwd=ROOT,
    )  # fmt: skip

    assert checked.returncode == 0, checked.stderr + checked.stdout


def directive(name):
    """The values of an nginx directive in the site, in order."""
    return re.findall(rf"^\s*{name}\s+([^;]+);", SITE.read_text(encoding="utf-8"), flags=re.MULTILINE)


def test_the_site_admits_the_largest_upload_and_waits_as_long_as_gunicorn():
    gunicorn = (DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8")
    gunicorn_timeout = int(re.search(r'GUNICORN_TIMEOUT"\) or (\d+)', gunicorn).group(1))

    assert directive("client_max_body_size") == ["64m"]
    assert 64 * 1024 * 1024 == settings.IMPORT_MAX_BYTES  # the default the site is written for
    assert directive("proxy_read_timeout") == [f"{gunicorn_timeout}s"]


def test_the_site_serves_static_files_and_no_uploaded_file():
    text = SITE.read_text(encoding="utf-8")
    media = re.search(r"location /media/ \{([^}]*)\}", text).group(1)

    assert directive("alias") == [f"{INSTALLED_AT}/staticfiles/"]
    assert "return 404" in media and "alias" not in media and "root" not in media
    assert directive("return") == ["301 https://$host$request_uri", "404"]
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in text
    assert "X-Forwarded-Proto $scheme" in text
