"""Every page of the daily mix, one user at a time, as each role at its own level (issue #17,
acceptance 1), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_city .venv/bin/python bench/pages.py --size city

Needs a migrated database holding the demo city (`manage.py seed_demo --size city`); an empty
one is seeded first with seed_demo's own code. It only reads, apart from the logins' sessions.

Each page is requested in-process through Django's test Client (no network, no server) by the
demo login of its role: one warm-up, then the median wall time of `--repeat` requests, then one
more request under CaptureQueriesContext for the number of SQL queries and their summed time
(the SQL share of the page). The baseline, measured in the same run: the login page, GET,
anonymous — the cheapest page the portal serves through the whole middleware stack.

`--profile NAME` writes a pyinstrument HTML profile of one page of the mix instead.
"""

import argparse
import json
import os
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tree import log, setup_django, timed  # noqa: E402  (helpers of the tree bench)

REPEAT = 5
MARK = 0.100  # every page of the mix ≤ 100 ms at the city (issue #17)
MARKS = {"roster list, grid": 0.030}  # the roster list at a grid ≤ 30 ms
# Queries a page of the mix may make, whatever the size of the subtree (asserted on the small demo by
# tests/bench/test_pages_bench.py, printed here): by kind of page, the name before its comma.
QUERY_BUDGET = 20
# the search: one query a registered model (core.search; 16 of them with the workforce) and the request's own
QUERY_BUDGETS = {"home": 40, "dashboard": 27, "search": 30}  # dashboard: 26 at a district with the workforce's figures
TRIVIAL_REPEAT = 21
TRIVIAL = "trivial: login page (anonymous GET)"

# The demo's logins (orgs/demo.py DEMO_USERS, party/demo.py UNIT_ACCOUNT), each at its own level.
ROLES = {
    "zuzhibu": "city org department",
    "chaoyang_zzb": "district org department",
    "jiedao": "street cadre",
    "shequ": "community cadre",
    "wangge": "grid worker",
    "zhujian": "district department",
    "shi_zhujian": "city department",
    "danwei": "reporting unit",
}


@dataclass
class Page:
    name: str
    username: str | None  # None: anonymous
    url: str
    headers: dict = field(default_factory=dict)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Every page of the daily mix, as its role (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"timed requests per page (default {REPEAT})")
    parser.add_argument("--only", default="", help="only the pages whose name contains this text")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--profile", metavar="PAGE", help="write a pyinstrument HTML profile of this page (its name)")
    parser.add_argument(
        "--profile-out",
        default="",
        help="where the profile goes (default: /tmp/bench-pages-….html; a .txt name: a text tree)",
    )
    return parser.parse_args(argv)


# --- the city and the logins ---------------------------------------------------------------------------


def ensure_city(size):
    """The demo city in the database: seeded by seed_demo's code when there is none."""
    from io import StringIO

    from django.core.management import call_command

    from orgs import demo
    from orgs.models import Area

    if not demo.has_areas():
        log(f"no areas: seeding the demo city (--size {size}) …")
        call_command("seed_demo", size=size, stdout=StringIO())
    count = Area.objects.count()
    log(f"{count:,} areas in the database")
    return count


def scope_areas():
    """{username: the area of its role}; the reporting unit's account has none."""
    from orgs.models import RoleAssignment

    found = {}
    for assignment in RoleAssignment.objects.select_related("user", "area").filter(user__username__in=ROLES):
        found.setdefault(assignment.user.username, assignment.area)
    return found


def member_in(area):
    """A party member of an organisation in `area`'s subtree (the city: any), for the edit form."""
    from party.models import PartyMember

    members = PartyMember.objects.order_by("pk")
    if area is not None and area.level != "city":
        members = members.filter(organisation__area__code__startswith=area.code)
    return members.values_list("pk", flat=True).first()


def latest_period():
    from assessment.models import Period

    return Period.objects.order_by("-pk").values_list("pk", flat=True).first()


def daily_mix():
    """The pages of a day's work, each as the role that opens it, at its own level."""
    areas = scope_areas()
    missing = sorted(set(ROLES) - set(areas) - {"danwei"})
    if missing:
        sys.exit(f"demo logins without a role: {', '.join(missing)} (run seed_demo)")
    htmx = {"HX-Request": "true"}
    pages = [Page(f"home, {ROLES[u]}", u, "/") for u in ROLES]
    levels = (("zuzhibu", "city"), ("chaoyang_zzb", "district"), ("jiedao", "street"), ("shequ", "community"))
    for username, level in levels:
        code = areas[username].code
        pages += [
            Page(f"area page, {level}", username, f"/areas/{code}/"),
            Page(f"党建 panel (htmx), {level}", username, f"/areas/{code}/party/summary/", htmx),
            Page(f"coverage panel (htmx), {level}", username, f"/grids/{code}/coverage/summary/", htmx),
            Page(f"roster list, {level}", username, f"/grids/{code}/roster/"),
            Page(f"coverage page, {level}", username, f"/grids/{code}/coverage/"),
            Page(f"dashboard, {level}", username, f"/areas/{code}/dashboard/"),
            Page(f"breakdown, {level}", username, f"/areas/{code}/dashboard/breakdown/"),
            Page(f"party organisations, {level}", username, "/party/organisations/"),
            Page(f"party members, {level}", username, "/party/members/"),
            Page(f"meetings, {level}", username, "/party/meetings/"),
            Page(f"member edit form, {level}", username, f"/party/members/{member_in(areas[username])}/edit/"),
            Page(f"inbox, {level}", username, "/notices/"),
            Page(f"search, {level}", username, "/search/?q=%E5%BC%A0"),  # 张
        ]
    grid = areas["wangge"].code
    pages += [
        Page("roster list, grid", "wangge", f"/grids/{grid}/roster/"),
        Page("coverage page, grid", "wangge", f"/grids/{grid}/coverage/"),
        Page("my grids, grid", "wangge", "/grids/mine/"),
        Page("area page, grid", "wangge", f"/areas/{grid}/"),
        Page("inbox, grid", "wangge", "/notices/"),
        # A functional department reads its own work, not the roster (issue 18): its companies and ranking.
        Page("company list, district department", "zhujian", "/property/companies/"),
        Page("ledger progress, district department", "zhujian", f"/property/ledger/progress/{areas['zhujian'].code}/"),
        Page("ranking, city department", "shi_zhujian", "/property/ranking/"),
        Page("in-service members, reporting unit", "danwei", "/party/in-service/"),
        Page("service records, reporting unit", "danwei", "/party/services/"),
    ]
    for endpoint in ("party-organisations", "people", "service-records", "meetings", "values", "party-members"):
        url = f"/api/{endpoint}/"
        pages.append(Page(f"API {url}, city", "zuzhibu", url, {"Accept": "application/json"}))
    return pages


def kind(name):
    """A page's kind: its name before the comma ("roster list, grid" → "roster list")."""
    return name.split(",")[0]


def query_budget(name):
    return QUERY_BUDGETS.get(kind(name), QUERY_BUDGET)


def clients(usernames):
    """One logged-in test Client per login (force_login: a session, no password hashing)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    found = {None: Client()}
    for user in get_user_model().objects.filter(username__in=usernames):
        found[user.username] = Client()
        found[user.username].force_login(user)
    return found


# --- measuring ---------------------------------------------------------------------------------------------


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def fetch(client, page, widgets=None):
    """(status, bytes); the kit's measure of each home-page widget (core.registry.WidgetCost) is
    appended to `widgets` when given."""
    response = client.get(page.url, headers=page.headers)
    if widgets is not None:
        widgets.append(getattr(response.wsgi_request, "widget_costs", []))
    return response.status_code, len(body(response))


def widget_medians(runs, after=False):
    """[{name, median, queries, shown, after}] of each widget over the runs, in the page's order
    (a lazy widget's place on the page is left out: its cost is that of its own request)."""
    by_name = {}
    for costs in runs:
        for cost in costs:
            if not getattr(cost, "lazy", False):
                by_name.setdefault(cost.name, []).append(cost)
    return [
        {
            "name": name,
            "median": statistics.median(cost.seconds for cost in costs),
            "queries": costs[-1].queries,
            "shown": costs[-1].shown,
            "after": after,
        }
        for name, costs in by_name.items()
    ]


LAZY_WIDGET = re.compile(r'hx-get="(/home/widgets/[^"/]+/)"')


def lazy_widgets(client, page, repeat):
    """The widgets a home page loads after itself (core.registry.Widget.lazy), each requested as
    the browser does, `repeat` times: their medians as the kit measures them."""
    urls = LAZY_WIDGET.findall(body(client.get(page.url, headers=page.headers)).decode())
    runs = []
    for url in urls:
        for _ in range(max(repeat, 1)):
            runs.append(getattr(client.get(url).wsgi_request, "widget_costs", []))
    return widget_medians(runs, after=True)


def measure(client, page, repeat):
    """Warm-up, median of `repeat`, then one request under capture: queries and their time. A
    home page's widgets are measured by the kit on each timed request: their medians too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status, size = fetch(client, page)
    runs = []
    median = statistics.median(timed(lambda: fetch(client, page, runs))[0] for _ in range(repeat)) if repeat else 0.0
    with CaptureQueriesContext(connection) as captured:
        captured_wall, _ = timed(lambda: fetch(client, page))
    queries = captured.captured_queries  # read before any other request (each resets the log)
    sql = sum(float(query["time"]) for query in queries)
    count = len(queries)
    return {
        "widgets": widget_medians(runs) + (lazy_widgets(client, page, repeat) if page.url == "/" else []),
        "name": page.name,
        "role": ROLES.get(page.username, "anonymous"),
        "username": page.username,
        "url": page.url,
        "status": status,
        "bytes": size,
        "median": median,
        "queries": count,
        "sql_share": sql / captured_wall if captured_wall else 0.0,
    }


def run(size, repeat, only=""):
    """{trivial, pages, areas}: the baseline and every page of the mix (statuses included)."""
    areas = ensure_city(size)
    load_start = os.getloadavg()
    trivial_page = Page(TRIVIAL, None, "/login/")
    pages = [page for page in daily_mix() if only in page.name]
    logged = clients({page.username for page in pages} - {None})
    trivial = measure(logged[None], trivial_page, max(4 * repeat, TRIVIAL_REPEAT))  # cheap: more samples, steadier
    results = []
    for page in pages:
        log(f"  {page.name} ({page.url}) …")
        results.append(measure(logged[page.username], page, repeat))
    for result in results:
        result["ratio"] = result["median"] / trivial["median"] if trivial["median"] else 0.0
        result["mark"] = MARKS.get(result["name"], MARK)
        result["over"] = result["median"] > result["mark"]
    results.sort(key=lambda result: -result["median"])
    load = {"start": load_start, "end": os.getloadavg()}
    return {"size": size, "areas": areas, "repeat": repeat, "load": load, "trivial": trivial, "pages": results}


def profile(name, out):
    from pyinstrument import Profiler

    pages = {page.name: page for page in daily_mix()}
    if name not in pages:
        sys.exit(f"no page named {name!r}; the mix: " + "; ".join(pages))
    page = pages[name]
    client = clients([page.username])[page.username]
    fetch(client, page)  # warm-up
    profiler = Profiler(interval=0.0005)
    with profiler:
        fetch(client, page)
    path = Path(out or f"/tmp/bench-pages-{''.join(c if c.isalnum() else '-' for c in page.url).strip('-')}.html")
    # A name ending in .txt gets pyinstrument's text tree (for a terminal), any other its HTML page.
    path.write_text(
        profiler.output_text(unicode=True, show_all=False) if path.suffix == ".txt" else profiler.output_html()
    )
    return path


# --- the report ---------------------------------------------------------------------------------------------


def ms(seconds):
    return f"{seconds * 1000:,.1f}"


def width(text):
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text, columns):
    return text + " " * max(0, columns - width(text))


def table(f):
    t = f["trivial"]
    load = " → ".join(", ".join(f"{x:.2f}" for x in f["load"][when]) for when in ("start", "end"))
    lines = [
        "",
        f"Pages of the daily mix, --size {f['size']} ({f['areas']:,} areas), median of {f['repeat']}"
        f" after one warm-up; load average (1, 5, 15 min) at the start → the end: {load}",
        f"baseline: {t['name']} {ms(t['median'])} ms, {t['queries']} queries, {t['bytes']:,} B",
        "",
        f"{pad('page', 40)} {pad('role', 24)} {'ms':>8} {'queries':>7} {'SQL':>5} {'bytes':>9} {'ratio':>7}  mark",
    ]
    for p in f["pages"]:
        flag = f"> {p['mark'] * 1000:.0f} ms  OVER" if p["over"] else ""
        if p["queries"] > query_budget(p["name"]):
            flag += f"  > {query_budget(p['name'])} queries"
        status = "" if p["status"] == 200 else f"  STATUS {p['status']}"
        lines.append(
            f"{pad(p['name'], 40)} {pad(p['role'], 24)} {ms(p['median']):>8} {p['queries']:>7}"
            f" {p['sql_share'] * 100:4.0f}% {p['bytes']:>9,} {p['ratio']:6.1f}×  {flag}{status}"
        )
    homes = [p for p in f["pages"] if p.get("widgets")]
    if homes:
        lines += [
            "",
            "Home-page widgets, as the kit measures each (context and template), median ms / queries;"
            " a lazy one in its own request, after the page:",
        ]
        for p in sorted(homes, key=lambda p: p["name"]):
            shown = "  ".join(
                f"{w['name']} {ms(w['median'])}/{w['queries']}"
                + ("" if w["shown"] else " (hidden)")
                + (" (after the page)" if w.get("after") else "")
                for w in sorted(p["widgets"], key=lambda w: -w["median"])
            )
            lines.append(f"{pad(p['name'], 40)} {shown}")
    over = sum(1 for p in f["pages"] if p["over"])
    lines += ["", f"{over} of {len(f['pages'])} pages over their mark (100 ms; the roster list at a grid 30 ms)."]
    return "\n".join(lines)


def main():
    args = parse_args()
    setup_django("bench/pages.py", "jiceng_city", "nothing (it reads; it seeds an empty database)")
    if args.profile:
        ensure_city(args.size)
        print(f"profile written to {profile(args.profile, args.profile_out)}")
        return
    figures = run(args.size, args.repeat, args.only)
    print(json.dumps(figures, indent=1, ensure_ascii=False) if args.json else table(figures))


if __name__ == "__main__":
    main()
