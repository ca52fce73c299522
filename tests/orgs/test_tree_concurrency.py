"""Two OS processes inserting under the same parent at the same moment leave the tree clean
(issue 2, acceptance 4): tree writes are serialised by an advisory lock per tree."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from orgs import tree
from orgs.models import Area

PROJECT = Path(__file__).resolve().parents[2]
PARENT = "220104001"  # street A
INSERTS_PER_PROCESS = 100

# Each process inserts its codes in a shuffled order, so that inserts land left and right of
# the other process's areas and every insert shifts some of them.
WRITER = """
import json, os, random, sys, time

import django

django.setup()
from orgs.models import Area

parent_code, first, count, barrier = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
codes = [f"{parent_code}{n:03d}" for n in range(first, first + count)]
random.Random(first).shuffle(codes)
parent = Area.objects.get(code=parent_code)
print("ready", flush=True)
while not os.path.exists(barrier):
    time.sleep(0.001)
started = time.time()
for code in codes:
    Area(code=code, name=f"社区{code[-3:]}", level="community", parent=parent).save()
print(json.dumps({"started": started, "finished": time.time()}), flush=True)
"""


def subprocess_database_url():
    """A libpq URL for the test database, from the settings Django is connected with."""
    settings = connection.settings_dict
    options = settings.get("OPTIONS", {})
    host = settings.get("HOST") or options.get("host", "")
    port = settings.get("PORT") or options.get("port", "")
    user = quote(settings.get("USER") or "", safe="")
    password = settings.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    query = urlencode({k: v for k, v in (("host", host), ("port", port)) if v})
    return f"postgresql://{credentials}@/{quote(settings['NAME'], safe='')}" + (f"?{query}" if query else "")


def start_writer(first, barrier):
    env = {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "PYTHONPATH": str(PROJECT),
    }
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, PARENT, str(first), str(INSERTS_PER_PROCESS), str(barrier)],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_processes_inserting_under_the_same_parent_leave_the_tree_clean(areas, tmp_path):
    barrier = tmp_path / "go"
    writers = [start_writer(100, barrier), start_writer(200, barrier)]
    try:
        for writer in writers:  # both have set up Django and connected: start them together
            line = writer.stdout.readline()
            assert line.strip() == "ready", writer.stderr.read()
        barrier.touch()
        timings = []
        for writer in writers:
            out, err = writer.communicate(timeout=300)
            assert writer.returncode == 0, err
            timings.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()

    # The two runs overlapped in time: the lock, not luck, kept them apart.
    assert max(t["started"] for t in timings) < min(t["finished"] for t in timings)

    report = tree.check()
    assert report.ok, report.problems
    expected = {f"{PARENT}{n:03d}" for n in range(100, 300)}
    inserted = set(Area.objects.filter(code__in=expected).values_list("code", flat=True))
    assert inserted == expected
    assert report.areas == 12 + 2 * INSERTS_PER_PROCESS
    children = list(Area.objects.get(code=PARENT).children.order_by("lft").values_list("code", flat=True))
    assert children == sorted(children)
    assert len(children) == 2 + 2 * INSERTS_PER_PROCESS
