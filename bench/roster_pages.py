"""The roster's pages at city scale (issue #8: coverage and export), run by hand — see
bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_b_import_roster_new .venv/bin/python bench/roster_pages.py

Needs a database holding a city and its roster: the one `bench/import_roster.py --size city`
leaves behind (or `seed_demo --size city`). In one run:

a. the coverage page and its API at every level, one user, against the same pages counting
   every subtree over the areas (the tallies switched off: what the pages did before);
b. what a reader waits for the tallies: after a write (one bucket recounted) and on the first
   view of a day (all recounted; the beat does it at 00:01);
c. the roster export of the largest district, rows and writer, against openpyxl's write-only
   writer;
d. a 50-user mixed load on gunicorn (and a Celery worker for the export jobs), against the
   ceiling of the same load on the login page.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tree import log, percentile, setup_django, timed  # noqa: E402  (helpers of the tree bench)

RUNS = 9  # samples per single-user figure, median kept
LEVELS = ("city", "district", "street", "community", "grid", "building")


def parse_args():
    parser = argparse.ArgumentParser(description="Benchmarks of the roster's pages (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the city in the database")
    parser.add_argument("--users", type=int, default=50, help="virtual users of the load (default: 50)")
    parser.add_argument("--seconds", type=int, default=60, help="length of the mixed load (default: 60)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default: 4)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    return parser.parse_args()


# --- a. and b. coverage ------------------------------------------------------------------------------


def sample_areas():
    """One area of each level, down the middle of the tree, as a cadre of each level would open."""
    from orgs.models import Area

    area = Area.objects.get(level="city")
    found = {"city": area}
    for level in LEVELS[1:]:
        children = list(area.children.order_by("code"))
        area = children[len(children) // 2] if level != "building" else children[0]
        found[level] = area
    return found


def median_seconds(client, url):
    assert client.get(url).status_code == 200, url
    return statistics.median(timed(lambda: client.get(url))[0] for _ in range(RUNS))


def drill_down_queries(area):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grids.coverage import drill_down

    with CaptureQueriesContext(connection) as queries:
        drill_down(area)
    return len(queries.captured_queries)


def measure_coverage(client, areas):
    from grids import coverage

    figures = {}
    for level, area in areas.items():
        page, api = f"/grids/{area.code}/coverage/", f"/api/coverage/{area.code}/"
        coverage.refresh_tallies()
        ours = {"page": median_seconds(client, page), "api": median_seconds(client, api)}
        ours["queries"] = drill_down_queries(area)
        kept = coverage.TALLY_PREFIX_LENGTH
        coverage.TALLY_PREFIX_LENGTH = 0  # no subtree is summed from the tallies: all counted
        try:
            counted = {"page": median_seconds(client, page), "api": median_seconds(client, api)}
            counted["queries"] = drill_down_queries(area)
        finally:
            coverage.TALLY_PREFIX_LENGTH = kept
        figures[level] = {"code": area.code, "ours": ours, "counted": counted}
    return figures


def measure_recounts(client, areas):
    from grids import coverage
    from grids.models import CoverageTally, StaleCoverageTally

    url = f"/grids/{areas['city'].code}/coverage/"
    bucket = areas["street"].code[: coverage.TALLY_PREFIX_LENGTH]

    def after(prepare):
        times = []
        for _ in range(5):
            prepare()
            times.append(timed(lambda: client.get(url))[0])
        return statistics.median(times)

    coverage.refresh_tallies()
    fresh = statistics.median(timed(lambda: client.get(url))[0] for _ in range(5))
    one = after(lambda: StaleCoverageTally.objects.get_or_create(prefix=bucket))
    day = after(lambda: CoverageTally.objects.update(computed_on="2000-01-01"))
    return {"fresh": fresh, "one_bucket": one, "new_day": day, "buckets": CoverageTally.objects.count()}


# --- d. the mixed load ---------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def sessions_and_mixes():
    """(username, session cookie, [(kind, path, weight)]) for each demo login: what each role opens in a day's work."""
    from django.conf import settings
    from django.test import Client

    from orgs.demo import create_demo_users
    from orgs.models import RoleAssignment, User

    settings.ALLOWED_HOSTS = ["*"]
    create_demo_users()
    found = []
    for assignment in RoleAssignment.objects.select_related("user", "area").filter(
        user__username__in=["zuzhibu", "chaoyang_zzb", "jiedao", "shequ", "wangge"]
    ):
        client = Client()
        client.force_login(assignment.user)
        area = assignment.area
        child = area.children.order_by("?").first() or area
        mix = [  # (kind, path, weight): exports are rare, lists and coverage what a day is made of
            ("home", "/", 3),
            ("coverage page", f"/grids/{area.code}/coverage/", 3),
            ("coverage page", f"/grids/{child.code}/coverage/", 2),
            ("coverage api", f"/api/coverage/{area.code}/", 1),
            ("roster list", f"/grids/{area.code}/roster/", 3),
            ("area page", f"/areas/{area.code}/", 2),
            ("roster export", f"/grids/{area.code}/roster/?export=xlsx", 0.5),
        ]
        found.append((assignment.user.username, client.cookies[settings.SESSION_COOKIE_NAME].value, mix))
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    return found


# The virtual users: how many of each login (a city watches, streets and communities work).
CAST = {"zuzhibu": 4, "chaoyang_zzb": 8, "jiedao": 12, "shequ": 14, "wangge": 12}


def run_load(base, users, seconds, pick):
    """`users` threads, each requesting `pick(rng)` → (kind, path, cookie) until `seconds` pass.
    Returns [(kind, seconds, status)]."""
    results, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def user(n):
        rng = random.Random(n)
        opener = urllib.request.build_opener(NoRedirect)
        while time.monotonic() < deadline:
            kind, path, cookie = pick(rng, n)
            request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
            started = time.perf_counter()
            try:
                with opener.open(request, timeout=120) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            with lock:
                results.append((kind, time.perf_counter() - started, status))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 (to the export job's page) is the answer, not followed


def summarise(results, seconds):
    by_kind = defaultdict(list)
    for kind, spent, status in results:
        by_kind[kind].append((spent, status))
    summary = {
        "requests": len(results),
        "per_second": len(results) / seconds,
        "p50": percentile([s for _, s, _ in results], 50),
        "p95": percentile([s for _, s, _ in results], 95),
        "errors": sum(1 for _, _, status in results if status not in (200, 302)),
        "kinds": {},
    }
    total = sum(s for _, s, _ in results) or 1
    for kind, rows in sorted(by_kind.items()):
        times = [s for s, _ in rows]
        summary["kinds"][kind] = {
            "requests": len(rows),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "share": sum(times) / total,
            "statuses": sorted({status for _, status in rows}),
        }
    return summary


def measure_load(args):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    }
    logins = sessions_and_mixes()
    cookie_name = "sessionid"
    pool = [(c, mix) for username, c, mix in logins for _ in range(CAST.get(username, 0))]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-l", "warning"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    try:
        wait_for(base + "/login/")
        log(f"d. ceiling: {args.users} users on the login page, 15 s …")
        ceiling = summarise(run_load(base, args.users, 15, lambda rng, n: ("login page", "/login/", "")), 15)

        def pick(rng, n):
            cookie, mix = pool[n % len(pool)]
            kind, path, _weight = rng.choices(mix, weights=[weight for *_, weight in mix])[0]
            return kind, path, f"{cookie_name}={cookie}"

        log(f"d. mixed load: {args.users} users, {args.seconds} s …")
        mixed = summarise(run_load(base, args.users, args.seconds, pick), args.seconds)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
    return {"ceiling": ceiling, "mixed": mixed, "workers": args.workers, "users": args.users}


# --- the run -----------------------------------------------------------------------------------------


def run(args):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.import_roster import measure_export

    settings.ALLOWED_HOSTS = ["*"]
    admin = get_user_model().objects.filter(is_superuser=True).first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench_admin", password=None)
    client = Client()
    client.force_login(admin)
    areas = sample_areas()
    figures = {"size": args.size}
    log("a. coverage page and API at every level, tallied and counted …")
    figures["coverage"] = measure_coverage(client, areas)
    log("b. the tallies' recounts …")
    figures["recounts"] = measure_recounts(client, areas)
    log("c. export of the largest district …")
    figures["export"] = measure_export()
    figures["load"] = measure_load(args)
    return figures


def ms(seconds):
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def table(f):
    lines = ["", f"Roster pages, --size {f['size']}", ""]
    lines.append(f"{'figure':58} {'ours':>10} {'baseline':>10} {'ratio':>7}  target")
    for level, c in f["coverage"].items():
        for kind in ("page", "api"):
            ours, base = c["ours"][kind], c["counted"][kind]
            ok = "met" if ours <= 0.100 else "MISSED"
            lines.append(
                f"a. coverage {kind:4} {level:9} {c['code']:20} ({c['ours']['queries']} queries)"
                f"{ms(ours):>10} {ms(base):>10} {ours / base:6.2f}×  ≤ 100 ms {ok}"
            )
    r = f["recounts"]
    lines.append(f"b. city page, tallies fresh ({r['buckets']} buckets)               {ms(r['fresh']):>10}")
    lines.append(f"b. city page, first view after a write (1 bucket recounted)  {ms(r['one_bucket']):>10}")
    lines.append(f"b. city page, first view of a day (all recounted)            {ms(r['new_day']):>10}")
    e = f["export"]
    ok = "met" if e["ours"]["seconds"] <= 1.5 else "MISSED"
    lines.append(
        f"c. export district {e['code']} ({e['rows']:,} rows): rows {ms(e['rows_seconds'])} + write"
        f" {ms(e['ours']['write'])} {ms(e['ours']['seconds']):>10} {ms(e['openpyxl']['seconds']):>10}"
        f" {e['ours']['seconds'] / e['openpyxl']['seconds']:6.2f}×  ≤ 1.5 s {ok}"
    )
    load = f["load"]
    m, c = load["mixed"], load["ceiling"]
    lines.append(
        f"d. {load['users']} users, gunicorn -w {load['workers']}: mixed {m['per_second']:.1f} req/s,"
        f" p50 {ms(m['p50'])}, p95 {ms(m['p95'])}, {m['errors']} errors; login page {c['per_second']:.1f} req/s"
        f" (ratio {m['per_second'] / c['per_second']:.2f})"
    )
    for kind, k in m["kinds"].items():
        lines.append(
            f"   {kind:16} {k['requests']:6} requests  p50 {ms(k['p50']):>10}  p95 {ms(k['p95']):>10}"
            f"  {k['share'] * 100:4.0f} % of the time  statuses {k['statuses']}"
        )
    return "\n".join(lines)


def main():
    args = parse_args()
    setup_django("bench/roster_pages.py", "jiceng_b_import_roster_new", "nothing (it reads; the load logs in)")
    figures = run(args)
    print(json.dumps(figures, indent=1, default=str) if args.json else table(figures))


if __name__ == "__main__":
    main()
