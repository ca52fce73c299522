"""The daily mix under load (issue #17, acceptance 2), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_load .venv/bin/python bench/load.py --size city

Reuses the demo city in DATABASE_URL (an empty, migrated database is seeded with seed_demo's code
first) and WRITES to it through the portal's forms: party members edited, meetings recorded, heads
of buildings appointed. Give it a copy of the demo (CREATE DATABASE … TEMPLATE …), not a database
others read figures from.

1. The plan, in this process (Django): the daily mix of bench/pages.py for every demo login, each
   page fetched once to check it answers 200 and to find the fragments it loads after it (htmx
   `hx-trigger="load"`), which a browser requests with it; and for each role the records of its own
   scope its forms will write.
2. gunicorn (`-w 4`, DEBUG off, whitenoise as configured) and a Celery worker on a free port,
   against DATABASE_URL.
3. The load, in a child process (locust as a library; gevent stays out of the Django process):
   first the ceiling of a trivial page (`/login/`, GET, no think time), then every virtual user logs
   in through the login form (measured apart: PBKDF2 as Django sets it), then the steady state: the
   roles' share of the users (community 40 %, grid 25 %, street 20 %, district 10 %, city 5 %),
   each user walking a shuffled deck of its role's pages and write flows with 1–3 s of thought
   between actions, for `--duration` seconds. A write flow is the form (GET), the POST with the
   form's own CSRF token and fields, and the page it redirects to.
4. The report: requests a second, p50/p95/p99, errors, and each page's share of the server's time
   (gunicorn's own request times from its access log, steady state only), beside the trivial page's
   ceiling and the logins.
"""

import argparse
import json
import math
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

USERS, DURATION, CEILING_SECONDS, WORKERS = 50, 60, 15, 4
THINK = (1.0, 3.0)
WRITE_SHARE = 0.16  # of the steady state's requests: POSTs through the forms
TRIVIAL = "trivial: login page (GET, no think time)"
LOGIN = "login (POST, PBKDF2)"
LOGIN_PAGE = "login page (GET, before logging in)"
TARGETS = {"per_second": 40, "p95": 0.500, "errors": 0}

# The day's users by tier (issue #17) and, inside a tier, the demo logins with their weights.
TIERS = {
    "community": (0.40, {"shequ": 19, "danwei": 1}),
    "grid": (0.25, {"wangge": 1}),
    "street": (0.20, {"jiedao": 1}),
    "district": (0.10, {"chaoyang_zzb": 4, "zhujian": 1}),
    "city": (0.05, {"zuzhibu": 2, "shi_zhujian": 1}),
}
HTMX_LOAD = re.compile(r'hx-trigger="(?:load|revealed|intersect)')
HX_GET = re.compile(r'hx-get="([^"]+)"')
ACCESS_LOG_FORMAT = "%({x-bench-phase}i)s %({x-bench-page}i)s %(s)s %(D)s"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="The daily mix under load, with locust (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--users", type=int, default=USERS, help=f"virtual users (default {USERS})")
    parser.add_argument(
        "--duration", type=float, default=DURATION, help=f"seconds of steady state (default {DURATION})"
    )
    parser.add_argument("--think", default="1,3", help="seconds of thought between actions, min,max (default 1,3)")
    parser.add_argument("--ceiling", type=float, default=CEILING_SECONDS, help="seconds of the trivial page's ceiling")
    parser.add_argument(
        "--no-think", type=float, default=0, help="then this many seconds of the same mix without thought (default 0)"
    )
    parser.add_argument("--writes", type=float, default=WRITE_SHARE, help="share of POSTs in the steady state")
    parser.add_argument("--workers", type=int, default=WORKERS, help=f"gunicorn workers (default {WORKERS})")
    parser.add_argument("--no-celery", action="store_true", help="no Celery worker beside gunicorn")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--swarm", metavar="PLAN", help=argparse.SUPPRESS)  # the child process: run the load
    parser.add_argument("--out", metavar="FILE", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- 1. the plan (Django) -----------------------------------------------------------------------------------


def cast(users):
    """{login: virtual users}: the tiers' shares by largest remainder; every login at least one
    user when there are users enough."""
    shares = {
        login: share * weight / sum(weights.values())
        for share, weights in TIERS.values()
        for login, weight in weights.items()
    }
    exact = {login: users * share for login, share in shares.items()}
    counts = {login: math.floor(value) for login, value in exact.items()}
    for login in sorted(exact, key=lambda login: counts[login] - exact[login])[: users - sum(counts.values())]:
        counts[login] += 1
    if users >= len(counts):
        for login in [login for login, n in counts.items() if n == 0]:
            richest = max(counts, key=counts.get)
            counts[richest] -= 1
            counts[login] = 1
    return {login: n for login, n in counts.items() if n}


def fragments_of(html):
    """The URLs a browser requests after the page: elements that hx-get on load."""
    found = []
    for tag in re.findall(r"<[^>]+>", html):
        if HTMX_LOAD.search(tag):
            url = HX_GET.search(tag)
            if url and url.group(1) not in found:
                found.append(url.group(1).replace("&amp;", "&"))
    return found


def scope_records(user, area, rng):
    """The write flows of `user`, on records of its own scope: [(kind, [form URL, …])]."""
    from django.db.models import Count

    from grids.choices import Post
    from grids.permissions import CHANGE_ROSTER
    from orgs.choices import AreaLevel
    from orgs.models import Area
    from orgs.scoping import can_anywhere, within
    from party.models import PartyMember, PartyOrganisation
    from party.permissions import CHANGE_PARTY, RECORD_MEETING

    def sample(values, n=60):
        values = list(values)
        return rng.sample(values, min(n, len(values)))

    flows = []
    if area is None:
        return flows
    if can_anywhere(user, CHANGE_PARTY):
        members = PartyMember.objects.scoped(user, CHANGE_PARTY).order_by("pk").values_list("pk", flat=True)[:3000]
        flows.append(("member edit", [f"/party/members/{pk}/edit/" for pk in sample(members)]))
    if can_anywhere(user, RECORD_MEETING):
        organisations = (
            PartyOrganisation.objects.scoped(user, RECORD_MEETING)
            .annotate(n=Count("members"))
            .filter(n__gte=3, n__lte=60)
            .order_by("pk")
            .values_list("pk", flat=True)[:1000]
        )
        flows.append(
            (
                "meeting record",
                [f"/party/meetings/add/?organisation={pk}&kind=party_day" for pk in sample(organisations)],
            )
        )
    if can_anywhere(user, CHANGE_ROSTER):
        buildings = (
            Area.objects.filter(within("code", area.code), level=AreaLevel.BUILDING)
            .order_by("code")
            .values_list("code", flat=True)[:3000]
        )
        post = Post.BUILDING_HEAD.value
        flows.append(("head appointed", [f"/grids/{code}/appoint/?post={post}" for code in sample(buildings)]))
    return [(kind, urls) for kind, urls in flows if urls]


def build_plan(users, write_share=WRITE_SHARE, seed=2201):
    """The plan of the load (a JSON-able dict): names, and for each login its users, pages (with the
    fragments each loads) and write flows."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from bench import pages as mix

    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(seed)
    counts = cast(users)
    areas = mix.scope_areas()
    daily = [page for page in mix.daily_mix() if page.username in counts]
    clients = mix.clients(set(counts))
    names = [TRIVIAL, LOGIN_PAGE, LOGIN]
    by_url = {(page.username, page.url): page.name for page in daily}
    logins = {}
    for username, n in counts.items():
        own = [page for page in daily if page.username == username]
        entries, followed = [], set()
        for page in own:
            response = clients[username].get(page.url, headers=page.headers)
            if response.status_code != 200:
                sys.exit(
                    f"{page.name} ({page.url}) answers {response.status_code} to {username}: fix it before loading"
                )
            loads = fragments_of(mix.body(response).decode()) if "text/html" in response["Content-Type"] else []
            fragments = []
            for url in loads:
                name = by_url.get((username, url)) or "htmx: " + re.sub(r"\d{4,}", "<code>", url)
                fragments.append({"name": name, "url": url})
                followed.add(url)
            entries.append({"name": page.name, "url": page.url, "headers": page.headers, "fragments": fragments})
        # A fragment the role's pages load is requested with them, not on its own.
        reads = [entry for entry in entries if not (entry["headers"] and entry["url"] in followed)]
        for entry in reads:
            entry["weight"] = 2 if entry["name"].startswith("home") else 1
        user = get_user_model().objects.get(username=username)
        writes = [{"kind": kind, "urls": urls} for kind, urls in scope_records(user, areas.get(username), rng)]
        logins[username] = {"users": n, "reads": reads, "writes": writes}
    # Write actions per read action so that POSTs are `write_share` of all requests: a read action is
    # its page and fragments, a write action three requests (form, POST, the page after).
    writers = sum(login["users"] for login in logins.values() if login["writes"])
    share = min(0.3, write_share * users / writers) if writers else 0
    for login in logins.values():
        reads = [entry for entry in login["reads"] for _ in range(entry["weight"])]
        per_read = sum(1 + len(entry["fragments"]) for entry in reads) / len(reads)
        p = share * per_read / (1 - 3 * share + share * per_read) if login["writes"] else 0  # write actions' share
        login["write_actions"] = round(len(reads) * p / (1 - p)) if p else 0
        for entry in login["reads"]:
            names += [entry["name"]] + [fragment["name"] for fragment in entry["fragments"]]
        for flow in login["writes"]:
            names += [
                f"write: {flow['kind']} (form)",
                f"write: {flow['kind']} (POST)",
                f"write: {flow['kind']} (page after)",
            ]
    from orgs.demo import DEMO_PASSWORD

    users = sum(counts.values())
    return {"names": list(dict.fromkeys(names)), "logins": logins, "users": users, "password": DEMO_PASSWORD}


def expected_names(plan):
    """Every name the mix requests: its pages, their fragments, the steps of the write flows."""
    return set(plan["names"]) - {TRIVIAL}


# --- 2. the server --------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=90):
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def start_server(port, workers, access_log, celery):
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_MANIFEST": "0",  # whitenoise serves static/ through its finders, as `make demo` does
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        # Each worker keeps its connection for the whole run (production: 60 s), so that the CPU of
        # its PostgreSQL backend is still on /proc when the steady state ends and is counted.
        "DB_CONN_MAX_AGE": "3600",
    }
    gunicorn = [
        sys.executable, "-m", "gunicorn", "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
        "--timeout", "120", "--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT,
    ]  # fmt: skip
    processes = [subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    if celery:
        worker = [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "1", "-l", "warning"]
        processes.append(
            subprocess.Popen(worker, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
    return processes


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


# --- 3. the load (child process: locust, gevent) --------------------------------------------------------------


class FormFields(HTMLParser):
    """The POST forms of a page and their fields as a browser submits them untouched: text, hidden
    and date inputs, checked boxes and radios, the selected option (else the first), textareas; and
    every box a user could tick, by name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.form = {"action": a.get("action") or "", "post": (a.get("method") or "").lower() == "post"}
            self.form.update(fields=[], boxes=defaultdict(list))
            self.forms.append(self.form)
        elif self.form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self.form["boxes"][a["name"]].append(a.get("value", "on"))
                if "checked" in a:
                    self.form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.form["fields"].append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "first": None, "chosen": False}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.form["fields"].append((self.select["name"], value))
                self.select["chosen"] = True
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            if not self.select["chosen"] and self.select["first"] is not None:
                self.form["fields"].append((self.select["name"], self.select["first"]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form["fields"].append(tuple(self.textarea))
            self.textarea = None
        elif tag == "form":
            self.form = None


def the_form(html):
    """The page's main POST form (the one with most fields: not the menu bar's logout)."""
    parser = FormFields()
    parser.feed(html)
    posted = [form for form in parser.forms if form["post"] and form["fields"]]
    return max(posted, key=lambda form: len(form["fields"])) if posted else None


def fill(kind, form, rng):
    """The fields of a write flow's POST: the form as shown, with what the user changes."""
    fields = [(name, value) for name, value in form["fields"]]
    if kind == "member edit":  # one figure changed back and forth: a real UPDATE, its history row
        fields = [(n, str(int(v or 0) ^ 1) if n == "households_linked" else v) for n, v in fields]
    elif kind == "meeting record":
        typed = {  # the day as the form offers it: those expected (the boxes) are that day's members
            "place": "党员活动室",
            "host": "支部书记 王芳",
            "recorder": "李明",
            "topic": "学习贯彻党的二十大精神（压测）",
            "minutes": "会议学习了有关文件，讨论了本月工作。",
        }
        fields = [(n, v) for n, v in fields if n not in typed and n != "attendees"]
        fields += list(typed.items()) + [("attendees", value) for value in form["boxes"].get("attendees", [])]
    elif kind == "head appointed":
        typed = {
            "name": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["伟", "芳", "娜", "敏", "静", "磊", "强", "洋"]),
            "phone": "139" + "".join(rng.choice("0123456789") for _ in range(8)),
            "political_status": "masses",
            "note": "压测任命",
        }
        fields = [(n, v) for n, v in fields if n not in typed] + list(typed.items())
    return fields


def swarm(plan_path, out_path):
    """Run the load of the plan (a JSON file) and write every request to `out_path` (JSON)."""
    from gevent import monkey

    monkey.patch_all()
    import gevent
    from locust import FastHttpUser, constant, events, task
    from locust.env import Environment

    plan = json.loads(Path(plan_path).read_text())
    index = {name: str(i) for i, name in enumerate(plan["names"])}
    run = plan["run"]
    state = {
        "phase": "ceiling",
        "think": tuple(run["think"]),
        "logged_in": 0,
        "seen": set(),
        "actions": defaultdict(int),
    }
    records, windows, cpu = [], {}, {}
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    @events.request.add_listener
    def record(request_type, name, response_time, response_length, exception, context, start_time, **kwargs):
        response = kwargs.get("response")
        status = getattr(response, "status_code", 0) or 0
        error = str(exception)[:200] if exception else ""
        records.append([context.get("phase", ""), name, request_type, start_time, response_time / 1000, status, error])
        if not exception:
            state["seen"].add(name)

    class Visitor(FastHttpUser):
        abstract = True
        network_timeout = connection_timeout = 180.0

        def call(self, method, url, name, expect, data=None, headers=None):
            headers = {**(headers or {}), "X-Bench-Page": index[name], "X-Bench-Phase": state["phase"]}
            if data is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                data = urlencode(data)
            context = {"phase": state["phase"]}
            with self.client.request(
                method, url, name=name, data=data, headers=headers, catch_response=True, allow_redirects=False,
                context=context,
            ) as response:  # fmt: skip
                if response.status_code == expect:
                    response.success()
                elif response.status_code == 200 and expect == 302:
                    errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)<', response.text or "")
                    errors += re.findall(r'class="alert alert-danger"[^>]*>\s*(?:<div>)?([^<]+)<', response.text or "")
                    response.failure(f"form shown again: {'; '.join(e.strip() for e in errors)[:150] or '?'}")
                else:
                    response.failure(f"status {response.status_code}")
                return response

    class Trivial(Visitor):
        wait_time = constant(0)

        @task
        def page(self):
            self.call("GET", "/login/", TRIVIAL, 200)

    def cadre(username, spec):
        class Cadre(Visitor):
            fixed_count = spec["users"]

            def wait_time(self):
                low, high = state["think"]
                return self.rng.uniform(low, high)

            def on_start(self):
                self.rng = random.Random(f"{username}-{id(self)}")
                page = self.call("GET", "/login/", LOGIN_PAGE, 200)
                token = csrf.search(page.text or "")
                data = {"username": username, "password": plan["password"], "next": ""}
                data["csrfmiddlewaretoken"] = token.group(1) if token else ""
                self.call("POST", "/login/", LOGIN, 302, data=data)
                state["logged_in"] += 1
                self.deck = []

            @task
            def act(self):
                if not self.deck:
                    self.deck = [("read", entry) for entry in spec["reads"] for _ in range(entry["weight"])]
                    for n in range(spec["write_actions"]):
                        self.deck.append(("write", spec["writes"][n % len(spec["writes"])]))
                    self.rng.shuffle(self.deck)
                action, entry = self.deck.pop()
                state["actions"][state["phase"]] += 1
                if action == "read":
                    self.call("GET", entry["url"], entry["name"], 200, headers=entry["headers"])
                    for fragment in entry["fragments"]:
                        self.call("GET", fragment["url"], fragment["name"], 200, headers={"HX-Request": "true"})
                else:
                    self.write(entry)

            def write(self, flow):
                kind, url = flow["kind"], self.rng.choice(flow["urls"])
                page = self.call("GET", url, f"write: {kind} (form)", 200)
                form = the_form(page.text or "") if page.status_code == 200 else None
                if form is None:
                    return
                gevent.sleep(self.wait_time())  # the form is filled in
                target = form["action"] or url
                done = self.call("POST", target, f"write: {kind} (POST)", 302, data=fill(kind, form, self.rng))
                if done.status_code == 302 and done.headers.get("Location"):
                    self.call("GET", done.headers["Location"], f"write: {kind} (page after)", 200)

        Cadre.__name__ = f"Cadre_{username}"
        return Cadre

    def sample_cpu(label):
        cpu[label] = {"time": time.time(), **processor_seconds(run.get("server_pid"), run.get("database"))}

    host = run["base"]
    if run["ceiling"] > 0:
        env = Environment(user_classes=[Trivial], host=host, events=events)
        runner = env.create_local_runner()
        runner.start(plan["users"], spawn_rate=plan["users"])
        windows["ceiling"] = [time.time()]
        gevent.sleep(run["ceiling"])
        windows["ceiling"].append(time.time())
        runner.quit()
    state["phase"] = "login"
    classes = [cadre(username, spec) for username, spec in plan["logins"].items()]
    env = Environment(user_classes=classes, host=host, events=events)
    runner = env.create_local_runner()
    windows["login"] = [time.time()]
    runner.start(plan["users"], spawn_rate=plan["users"])
    deadline = time.time() + 600
    while state["logged_in"] < plan["users"] and time.time() < deadline:
        gevent.sleep(0.2)
    windows["login"].append(time.time())
    state["phase"] = "steady"
    sample_cpu("steady_start")
    windows["steady"] = [time.time()]
    if run.get("until_covered"):  # the test: until every page of the mix was requested (or the time is up)
        wanted = set(run["wanted"])
        deadline = time.time() + run["duration"]
        while time.time() < deadline and not wanted <= state["seen"]:
            gevent.sleep(0.5)
    else:
        gevent.sleep(run["duration"])
    windows["steady"].append(time.time())
    sample_cpu("steady_end")
    if run.get("no_think", 0) > 0:
        state["phase"], state["think"] = "no-think", (0, 0)
        windows["no-think"] = [time.time()]
        gevent.sleep(run["no_think"])
        windows["no-think"].append(time.time())
    runner.quit()
    result = {"records": records, "windows": windows, "cpu": cpu, "actions": dict(state["actions"])}
    Path(out_path).write_text(json.dumps(result, ensure_ascii=False))


def processor_seconds(server_pid, database):
    """CPU seconds so far of gunicorn's workers (children of its master) and of the PostgreSQL
    backends of `database` on this machine, and of the whole machine (busy, all cores)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            seconds = (int(fields[11]) + int(fields[12])) / tick
            if server_pid and int(fields[1]) == server_pid:
                found["gunicorn"] += seconds
            elif database:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                if command.startswith("postgres:") and f" {database} " in command:
                    found["postgres"] += seconds
        except (OSError, ValueError, IndexError):
            continue
    first = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(v) for v in first]
    found["machine_busy"] = (sum(values) - values[3] - values[4]) / tick  # all but idle and iowait
    return found


def run_swarm(plan, base, *, duration, think=THINK, ceiling=CEILING_SECONDS, no_think=0, server_pid=None,
              database="", until_covered=False):  # fmt: skip
    """The child process that runs the load; returns what it recorded."""
    with tempfile.TemporaryDirectory() as scratch:
        plan_path, out_path = Path(scratch) / "plan.json", Path(scratch) / "out.json"
        run = {"base": base, "duration": duration, "think": list(think), "ceiling": ceiling, "no_think": no_think}
        run.update(server_pid=server_pid, database=database, until_covered=until_covered)
        run["wanted"] = sorted(expected_names(plan))
        plan_path.write_text(json.dumps({**plan, "run": run}, ensure_ascii=False))
        command = [sys.executable, str(Path(__file__).resolve()), "--swarm", str(plan_path), "--out", str(out_path)]
        subprocess.run(command, check=True, cwd=ROOT, timeout=duration + ceiling + no_think + 900)
        return json.loads(out_path.read_text())


# --- 4. the figures -------------------------------------------------------------------------------------------


def percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


def within_window(records, phase, window):
    start, end = window
    return [r for r in records if r[0] == phase and r[3] >= start and r[3] + r[4] <= end]


def phase_figures(records, phase, window):
    rows = within_window(records, phase, window)
    seconds = window[1] - window[0]
    times = [r[4] for r in rows]
    errors = [r for r in rows if r[6]]
    messages = defaultdict(int)
    for r in errors:
        messages[f"{r[1]}: {r[6]}"] += 1
    return {
        "seconds": seconds,
        "requests": len(rows),
        "per_second": len(rows) / seconds if seconds else 0.0,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "errors": len(errors),
        "error_messages": sorted(messages.items(), key=lambda item: -item[1])[:10],
        "posts": sum(1 for r in rows if r[2] == "POST"),
    }


def by_page(records, phase, window):
    pages = defaultdict(list)
    for r in within_window(records, phase, window):
        pages[r[1]].append(r[4])
    return {name: {"requests": len(t), "p50": percentile(t, 50), "p95": percentile(t, 95)} for name, t in pages.items()}


def server_times(access_log, names, phase):
    """{page: [seconds inside gunicorn's worker, one a request]} of the phase, from the access log."""
    spent = defaultdict(list)
    for line in Path(access_log).read_text().splitlines():
        parts = line.split()
        if len(parts) != 4 or parts[0] != phase or not parts[1].isdigit():
            continue
        name = names[int(parts[1])] if int(parts[1]) < len(names) else parts[1]
        spent[name].append(int(parts[3]) / 1e6)
    return dict(spent)


def summarise(plan, result, access_log=None):
    records, windows = result["records"], result["windows"]
    figures = {"users": plan["users"], "cast": {u: s["users"] for u, s in plan["logins"].items()}}
    if "ceiling" in windows:
        figures["ceiling"] = phase_figures(records, "ceiling", windows["ceiling"])
    logins = [r for r in records if r[1] == LOGIN]
    figures["logins"] = {
        "requests": len(logins),
        "p50": percentile([r[4] for r in logins], 50),
        "p95": percentile([r[4] for r in logins], 95),
        "errors": sum(1 for r in logins if r[6]),
        "seconds": windows["login"][1] - windows["login"][0],
    }
    steady = figures["steady"] = phase_figures(records, "steady", windows["steady"])
    steady["actions"] = result["actions"].get("steady", 0)
    steady["post_share"] = steady["posts"] / steady["requests"] if steady["requests"] else 0.0
    figures["pages"] = by_page(records, "steady", windows["steady"])
    if "no-think" in windows:
        figures["no_think"] = phase_figures(records, "no-think", windows["no-think"])
    figures["requested"] = sorted({r[1] for r in records if r[0] in ("steady", "login") and not r[6]})
    figures["missing"] = sorted(expected_names(plan) - set(figures["requested"]))
    cpu = result.get("cpu", {})
    if "steady_start" in cpu and steady["requests"]:
        start, end = cpu["steady_start"], cpu["steady_end"]
        figures["cpu_per_request"] = {
            key: (end[key] - start[key]) / steady["requests"] for key in ("gunicorn", "postgres", "machine_busy")
        }
        figures["cpu_cores"] = {
            key: (end[key] - start[key]) / (end["time"] - start["time"]) for key in start if key != "time"
        }
    if access_log:
        times = server_times(access_log, plan["names"], "steady")
        total = sum(sum(spent) for spent in times.values()) or 1
        figures["server"] = {
            name: {
                "requests": len(spent),
                "seconds": sum(spent),
                "share": sum(spent) / total,
                "p50": percentile(spent, 50),
            }
            for name, spent in times.items()
        }
        every = [t for spent in times.values() for t in spent]
        steady.update(server_p50=percentile(every, 50), server_p95=percentile(every, 95))
        kinds = defaultdict(float)
        for name, spent in times.items():
            kinds[name.split(",")[0].split(" (")[0]] += sum(spent)
        figures["server_by_kind"] = {kind: seconds / total for kind, seconds in kinds.items()}
    return figures


def ms(seconds):
    return f"{seconds * 1000:,.0f}"


def table(f):
    s = f["steady"]
    lines = [
        "",
        f"The daily mix under load: {f['users']} users ({', '.join(f'{u} {n}' for u, n in f['cast'].items())}),"
        f" think {f['think'][0]:g}–{f['think'][1]:g} s, gunicorn -w {f['workers']},"
        f" --size {f['size']} ({f['areas']:,} areas);"
        f" load average at the start → the end: {f['load'][0]:.2f} → {f['load'][1]:.2f}",
    ]
    if "ceiling" in f:
        c = f["ceiling"]
        lines.append(
            f"ceiling of a trivial page (GET /login/, {f['users']} users, no think, {c['seconds']:.0f} s):"
            f" {c['per_second']:.1f} req/s, p50 {ms(c['p50'])} ms, p95 {ms(c['p95'])} ms, {c['errors']} errors"
        )
    g = f["logins"]
    lines.append(
        f"logins (apart, before the steady state): {g['requests']} in {g['seconds']:.1f} s,"
        f" p50 {ms(g['p50'])} ms, p95 {ms(g['p95'])} ms, {g['errors']} errors"
    )
    rpa = s["requests"] / s["actions"] if s["actions"] else 0
    bound = f["users"] * rpa / (sum(f["think"]) / 2) if sum(f["think"]) else float("inf")
    marks = [
        "" if s["per_second"] >= TARGETS["per_second"] else f"  (target ≥ {TARGETS['per_second']})",
        "" if s["p95"] <= TARGETS["p95"] else f"  (target ≤ {ms(TARGETS['p95'])} ms)",
        "" if s["errors"] <= TARGETS["errors"] else "  (target 0)",
    ]
    lines += [
        "",
        f"STEADY STATE, {s['seconds']:.0f} s: {s['per_second']:.1f} requests/s{marks[0]} ({s['requests']:,} requests,"
        f" {s['actions']:,} actions, {rpa:.2f} requests an action; POSTs {s['post_share'] * 100:.1f} %)",
        f"  p50 {ms(s['p50'])} ms, p95 {ms(s['p95'])} ms{marks[1]}, p99 {ms(s['p99'])} ms;"
        f" errors {s['errors']}{marks[2]}",
        f"  with this think time {f['users']} users cannot ask for more than ~{bound:.0f} requests/s (zero latency)",
    ]
    if "server_p50" in s:
        lines.append(
            f"  inside gunicorn's workers (no queueing): p50 {ms(s['server_p50'])} ms, p95 {ms(s['server_p95'])} ms"
        )
    if "ceiling" in f and f["ceiling"]["per_second"]:
        lines.append(
            f"  the mix's rate is {s['per_second'] / f['ceiling']['per_second'] * 100:.1f} %"
            " of the trivial page's ceiling"
        )
    if "cpu_per_request" in f:
        c, cores = f["cpu_per_request"], f["cpu_cores"]
        lines.append(
            f"  CPU a request: gunicorn {ms(c['gunicorn'])} ms, PostgreSQL {ms(c['postgres'])} ms,"
            f" whole machine {ms(c['machine_busy'])} ms (cores busy: gunicorn {cores['gunicorn']:.2f},"
            f" PostgreSQL {cores['postgres']:.2f}, machine {cores['machine_busy']:.2f})"
        )
    if "no_think" in f:
        n = f["no_think"]
        lines.append(
            f"the same mix without thought ({n['seconds']:.0f} s): {n['per_second']:.1f} req/s,"
            f" p50 {ms(n['p50'])} ms, p95 {ms(n['p95'])} ms, {n['errors']} errors"
        )
    for message, count in s["error_messages"]:
        lines.append(f"  ERROR ×{count}: {message}")
    if "server_by_kind" in f:
        lines += ["", "Share of the server's time (gunicorn workers, steady state), by kind of page:"]
        for kind, share in sorted(f["server_by_kind"].items(), key=lambda item: -item[1]):
            lines.append(f"  {share * 100:5.1f} %  {kind}")
    lines += [
        "",
        "Page by page: requests, share of the server's time, median inside the worker, p50/p95 at the client",
        f"{'page':<56} {'reqs':>5} {'server':>7} {'worker':>7} {'p50 ms':>7} {'p95 ms':>7}",
    ]
    server = f.get("server", {})
    for name, p in sorted(f["pages"].items(), key=lambda item: -server.get(item[0], {}).get("share", 0)):
        share, worker = server.get(name, {}).get("share", 0), server.get(name, {}).get("p50", 0)
        lines.append(
            f"{name[:56]:<56} {p['requests']:>5} {share * 100:6.1f}% {ms(worker):>7}"
            f" {ms(p['p50']):>7} {ms(p['p95']):>7}"
        )
    if f["missing"]:
        lines.append(f"\nnot requested in this steady state (a role's few users): {', '.join(f['missing'])}")
    return "\n".join(lines)


def main():
    args = parse_args()
    if args.swarm:
        swarm(args.swarm, args.out)
        return
    from bench.tree import setup_django

    setup_django("bench/load.py", "jiceng_load", "a copy of the demo city (it writes through the forms)")
    from django.db import connection

    from bench.pages import ensure_city

    think = tuple(float(x) for x in args.think.split(","))
    areas = ensure_city(args.size)
    log("the plan: every page of the mix once, the records the forms will write …")
    plan = build_plan(args.users, args.writes)
    connection.close()
    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        access_log = Path(scratch) / "access.log"
        processes = start_server(port, args.workers, access_log, celery=not args.no_celery)
        try:
            wait_for(f"http://127.0.0.1:{port}/login/")
            load_start = os.getloadavg()[0]
            log(f"the load: ceiling {args.ceiling:g} s, logins, steady state {args.duration:g} s …")
            result = run_swarm(
                plan, f"http://127.0.0.1:{port}", duration=args.duration, think=think, ceiling=args.ceiling,
                no_think=args.no_think, server_pid=processes[0].pid, database=connection.settings_dict["NAME"],
            )  # fmt: skip
        finally:
            stop(processes)
        figures = summarise(plan, result, access_log)
    figures.update(
        size=args.size, areas=areas, think=think, workers=args.workers, load=(load_start, os.getloadavg()[0])
    )
    print(json.dumps(figures, indent=1, ensure_ascii=False) if args.json else table(figures))


if __name__ == "__main__":
    main()
