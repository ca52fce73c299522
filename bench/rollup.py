"""The assessment at city scale (issue #10): the rollup and the dashboards, run by hand — see
bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_demo_city .venv/bin/python bench/rollup.py --size city

Needs a database seeded with `manage.py seed_demo --size city` (or `small`): when the database named
by DATABASE_URL does not exist, the bench creates it, migrates it and seeds it (about 3 minutes at
city size); `--reset` drops it and does the same. In one run:

a. the city rollup (`assessment.rollup.rollup`) of the open period with the default indicator set,
   twice (the rows of both runs must be identical), against a naive per-area ORM loop — for each
   area of each level a leaf applies to, for each leaf, ORM queries restricted to the area's subtree
   for the numerator and the denominator — run on a seeded random sample of areas of each level and
   extrapolated to all of them; the naive figures must equal the set-based sources' (mismatches: 0);
b. the dashboard and the breakdown page of the city, a district and one of its communities as the
   city's organisation department: median of 9 requests and the request's queries, which must not
   grow with the subtree (the number of areas under each node is printed beside them).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tree import log, setup_django, sql, timed  # noqa: E402  (helpers of the tree bench)

RUNS = 9  # requests per page figure, after one warm-up; the median is kept
SAMPLE = 200  # areas of each level in the naive baseline
SEED = 2201
ROLLUPS = 2
TARGET_SPEEDUP = 100
TARGET_ROLLUP_SECONDS = 30  # "well under a minute"
TARGET_PAGE_SECONDS = 0.1
DEFAULT_SET = "党建引领基层治理考核指标（默认）"  # assessment migration 0002


def parse_args():
    parser = argparse.ArgumentParser(
        description="Benchmarks of the assessment's rollup and dashboards (bench/README.md)."
    )
    parser.add_argument(
        "--size", choices=("small", "city"), default="city", help="the seeded demo city (default: city)"
    )
    parser.add_argument(
        "--reset", action="store_true", help="drop the database of DATABASE_URL, then create, migrate and seed it"
    )
    parser.add_argument(
        "--sample", type=int, default=SAMPLE, help="areas per level of the naive baseline (default 200)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the sample (default 2201)")
    parser.add_argument("--rollups", type=int, default=ROLLUPS, help="timed rollups, at least 2 (default 2)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args()
    args.rollups = max(2, args.rollups)
    return args


# --- the database -------------------------------------------------------------------------------


def ensure_database(reset):
    """Create the database of DATABASE_URL if it does not exist (dropped first with --reset), before
    Django connects to it. Returns True when it was created."""
    import dj_database_url
    import psycopg
    from psycopg import sql as pgsql

    settings = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = settings["NAME"]
    server = {
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **{k: v for k, v in server.items() if v}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reset:
            log(f"--reset: dropping the database {name} …")
            conn.execute(pgsql.SQL("DROP DATABASE {}").format(pgsql.Identifier(name)))
            exists = None
        if not exists:
            log(f"creating the database {name} …")
            conn.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))
    return not exists


def manage(*arguments):
    """manage.py in a child process (its memory is not the bench's), its output on stderr."""
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *arguments], check=True, stdout=sys.stderr)


def ensure_seeded(size, created):
    """Migrate; seed the demo city when the database holds no areas; refuse another city's tree.
    Returns the seconds spent seeding, or None."""
    from grids.models import HeadAssignment
    from orgs import demo
    from orgs.models import Area

    log("manage.py migrate …")
    manage("migrate", "--verbosity", "0")
    expected = len(demo.city_rows(size))
    found = Area.objects.count()
    if found == 0:
        log(f"manage.py seed_demo --size {size} (the tree, roster, party and two quarters of assessment) …")
        started = time.perf_counter()
        manage("seed_demo", "--size", size)
        seconds = time.perf_counter() - started
        log("ANALYZE …")
        sql("ANALYZE")  # untimed; the system server of the dev box may run without autovacuum
        return seconds
    if found != expected:
        sys.exit(
            f"The database holds {found:,} areas, the {size} city has {expected:,}: pass --reset (or another --size)."
        )
    if not HeadAssignment.objects.exists():
        sys.exit("The database holds the tree but no roster: it was not seeded by seed_demo. Pass --reset.")
    if created:
        sql("ANALYZE")
    return None


def open_period(size):
    """The open period of the default indicator set with the latest end (seed_demo's current quarter)."""
    from django.db.models import Q

    from assessment.choices import PeriodStatus
    from assessment.demo import fill_demo_assessment
    from assessment.models import IndicatorSet, Period

    if not IndicatorSet.objects.filter(name=DEFAULT_SET).exists():
        sys.exit(f"No indicator set named {DEFAULT_SET}: is assessment migration 0002 applied?")
    found = lambda: (  # noqa: E731
        Period.objects.filter(
            Q(indicator_set__name=DEFAULT_SET) | Q(indicator_set__copied_from__name=DEFAULT_SET),  # or its copy
            status=PeriodStatus.OPEN,
        )
        .select_related("indicator_set")
        .order_by("-end", "-pk")
        .first()
    )
    if found() is None:  # a database seeded before the assessment existed: its two quarters
        log(fill_demo_assessment(size))
    period = found()
    if period is None:
        sys.exit("No open period of the default indicator set, and none could be opened.")
    return period


# --- a. the naive baseline: per area, ORM queries on its subtree ----------------------------------


def naive_sources():
    """{source key: function(area, start, end) → (numerator, denominator)}: what each registered
    source (grids/indicators.py, party/indicators.py) computes, written as a naive per-area
    implementation would: ORM queries restricted to one area's subtree."""
    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone

    from core.calendar import months_between
    from grids.choices import HEAD_OF_LEVEL, HEAD_POSTS, PARTY_STATUSES
    from grids.models import HeadAssignment, Person
    from orgs.choices import AreaLevel
    from orgs.models import Area
    from orgs.scoping import within
    from party.choices import REQUIRED_EVERY, REQUIRED_MEETINGS, OrgKind
    from party.models import InServiceMember, Meeting, PartyMember, PartyOrganisation, ServiceRecord

    def head_coverage(covered):
        def compute(area, start, end):
            areas = Area.objects.filter(within("code", area.code), level=covered)
            held = HeadAssignment.objects.covering(end).filter(area=OuterRef("pk"), post=HEAD_OF_LEVEL[covered])
            return areas.filter(Exists(held)).count(), areas.count()

        return compute

    def party_heads(area, start, end):
        posts = HeadAssignment.objects.covering(end).filter(within("area__code", area.code), post__in=list(HEAD_POSTS))
        people = Person.objects.filter(pk__in=posts.values("person_id"))
        member = PartyMember.objects.exclude(id_number="").filter(id_number=OuterRef("id_number"))  # its index
        party = people.filter(Q(political_status__in=PARTY_STATUSES) | (~Q(id_number="") & Exists(member)))
        return party.count(), people.count()

    def grid_branches(area, start, end):
        grids = Area.objects.filter(within("code", area.code), level=AreaLevel.GRID)
        branch = PartyOrganisation.objects.filter(area=OuterRef("pk"), kind=OrgKind.GRID_BRANCH)
        return grids.filter(Exists(branch)).count(), grids.count()

    required = {str(org_kind): [str(kind) for kind in kinds] for org_kind, kinds in REQUIRED_MEETINGS.items()}
    every = {str(kind): n for kind, n in REQUIRED_EVERY.items()}

    def meetings_kept(area, start, end):
        months = max(1, months_between(start, min(end, timezone.localdate())))
        organisations = PartyOrganisation.objects.filter(within("area__code", area.code), kind__in=list(required))
        kinds = list(organisations.values_list("pk", "kind"))
        held = dict(
            ((organisation, kind), n)
            for organisation, kind, n in Meeting.objects.filter(
                organisation__in=organisations.values("pk"), held_on__range=(start, end)
            )
            .order_by()
            .values_list("organisation_id", "kind")
            .annotate(n=Count("pk"))
        )
        kept = sum(
            all(held.get((pk, kind), 0) >= months // every[kind] for kind in required[org_kind])
            for pk, org_kind in kinds
        )
        return kept, len(kinds)

    def in_service_active(area, start, end):
        members = InServiceMember.objects.filter(within("community__code", area.code), reported_on__lte=end)
        served = ServiceRecord.objects.filter(member=OuterRef("pk"), served_on__range=(start, end))
        return members.filter(Exists(served)).count(), members.count()

    return {
        "grids.grid_head_coverage": head_coverage(AreaLevel.GRID),
        "grids.building_head_coverage": head_coverage(AreaLevel.BUILDING),
        "grids.unit_head_coverage": head_coverage(AreaLevel.UNIT),
        "grids.party_heads_share": party_heads,
        "orgs.grid_branches": grid_branches,
        "orgs.meetings_kept": meetings_kept,
        "orgs.in_service_active": in_service_active,
    }


def leaves_of(period):
    """The leaves the rollup computes: (leaf, its source), in the set's order."""
    from core.registry import registry

    leaves = [leaf for leaf in period.indicator_set.indicators.order_by("parent_id", "order", "pk") if leaf.source]
    return [(leaf, registry.indicator_sources[leaf.source]) for leaf in leaves if leaf.levels]


def sample_areas(levels, size, seed):
    """A seeded random sample of `size` areas of each level (all of them when fewer), and the count
    of each level."""
    from orgs.models import Area

    rng = random.Random(seed)
    samples, counts = {}, {}
    for level in levels:
        ids = list(Area.objects.filter(level=level).order_by("code").values_list("pk", flat=True))
        counts[level] = len(ids)
        chosen = sorted(rng.sample(ids, min(size, len(ids))))
        samples[level] = list(Area.objects.filter(pk__in=chosen).order_by("code"))
    return samples, counts


def measure_baseline(period, leaves, sources, sample, seed):
    """The naive loop on the sample, each call timed and checked against what the set-based source
    gave the rollup (`sources`: {(source, level): {"seconds": [one per timed rollup], "result"}})."""
    naive = naive_sources()
    levels = sorted({level for leaf, _source in leaves for level in leaf.levels}, key=level_order)
    samples, counts = sample_areas(levels, sample, seed)
    start, end = period.start, period.end
    rows = []
    for leaf, _source in leaves:
        seconds, expected = (
            statistics.median(sources[leaf.source]["seconds"]),
            sources[leaf.source]["result"],
        )
        row = {
            "leaf": leaf.name,
            "source": leaf.source,
            "level": "+".join(leaf.levels),
            "areas": sum(counts[level] for level in leaf.levels),
            "set_based": seconds,
            "set_based_areas": len(expected),
            "sampled": sum(len(samples[level]) for level in leaf.levels),
            "naive_sample": 0.0,
            "queries_per_area": 0,
            "mismatches": 0,
            "examples": [],
            "naive_extrapolated": 0.0,
        }
        rows.append(row)
        compute = naive.get(leaf.source)
        if compute is None:  # a source registered after this bench was written
            row["naive_sample"] = None
            continue
        row["queries_per_area"] = queries_of(lambda c=compute, a=samples[leaf.levels[0]][0]: c(a, start, end))
        for level in leaf.levels:
            took_level = 0.0
            for area in samples[level]:
                took, got = timed(lambda area=area, compute=compute: compute(area, start, end))
                took_level += took
                want = tuple(expected.get(area.pk, (0, 0)))
                if tuple(got) != want:
                    row["mismatches"] += 1
                    if len(row["examples"]) < 3:
                        row["examples"].append({"area": area.code, "naive": list(got), "set_based": list(want)})
            row["naive_sample"] += took_level
            row["naive_extrapolated"] += took_level / max(1, len(samples[level])) * counts[level]
        row["naive_per_area"] = row["naive_extrapolated"] / max(1, row["areas"])
    return rows, counts


def queries_of(function):
    """The number of SQL queries of one call (untimed)."""
    from django.conf import settings
    from django.db import connection, reset_queries

    settings.DEBUG = True  # connection.queries records only under DEBUG
    reset_queries()
    try:
        function()
        return len(connection.queries)
    finally:
        settings.DEBUG = False


def level_order(level):
    from orgs.choices import AreaLevel

    return [str(lv) for lv in AreaLevel].index(str(level))


# --- a. the rollup ---------------------------------------------------------------------------------


def snapshot(period):
    from assessment.models import Score, Value

    values = set(
        Value.objects.filter(period=period).values_list(
            "indicator_id", "area_id", "numerator", "denominator", "value", "points"
        )
    )
    scores = set(Score.objects.filter(period=period).values_list("area_id", "points", "rank", "siblings", "last_place"))
    return values, scores


def peak_rss_bytes():
    from bench.import_roster import peak_rss_bytes as peak

    return peak()


@contextmanager
def sources_timed(record):
    """Every registered source's `compute` timed within the rollup (one call a leaf, for all its
    levels): record[key] gets the seconds of each call and the result of the last."""
    from dataclasses import replace

    from core.registry import registry

    kept = dict(registry.indicator_sources)

    def wrap(key, source):
        def compute(level, start, end):
            seconds, result = timed(lambda: source.compute(level, start, end))
            entry = record.setdefault(key, {"seconds": [], "result": None})  # all the leaf's levels at once
            entry["seconds"].append(seconds)
            entry["result"] = result
            return result

        return replace(source, compute=compute)

    registry.indicator_sources.update({key: wrap(key, source) for key, source in kept.items()})
    try:
        yield record
    finally:
        registry.indicator_sources.clear()
        registry.indicator_sources.update(kept)


def measure_rollup(period, runs):
    """`runs` timed rollups (commit included) with the time of each source's query inside them,
    then one traced by tracemalloc for its peak Python memory (untimed); the rows of every run are
    compared with the first's. Returns (figures, the sources' times and results)."""
    from assessment.rollup import rollup

    times, snapshots, written, sources, in_sources = [], [], None, {}, []
    rss_before = peak_rss_bytes()
    for n in range(runs):
        log(f"a. rollup, run {n + 1} of {runs} …")
        before = sum(sum(entry["seconds"]) for entry in sources.values())
        with sources_timed(sources):
            seconds, written = timed(lambda: rollup(period))
        times.append(seconds)
        in_sources.append(sum(sum(entry["seconds"]) for entry in sources.values()) - before)
        snapshots.append(snapshot(period))
    log("a. rollup, traced by tracemalloc for its peak memory (untimed) …")
    tracemalloc.start()
    rollup(period)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    snapshots.append(snapshot(period))
    first_values, first_scores = snapshots[0]
    differing_values = sum(len(first_values ^ values) for values, _scores in snapshots[1:])
    differing_scores = sum(len(first_scores ^ scores) for _values, scores in snapshots[1:])
    figures = {
        "runs": times,
        "seconds": statistics.median(times),
        "sources_seconds": in_sources,
        "rest_seconds": statistics.median(t - q for t, q in zip(times, in_sources, strict=True)),
        "values": written[0],
        "scores": written[1],
        "value_rows": len(first_values),
        "score_rows": len(first_scores),
        "last_placed": sum(1 for row in first_scores if row[4]),
        "compared_runs": len(snapshots),
        "differing_values": differing_values,
        "differing_scores": differing_scores,
        "identical": differing_values == 0 and differing_scores == 0,
        "traced_peak": traced_peak,
        "rss_before": rss_before,
        "peak_rss": peak_rss_bytes(),
    }
    return figures, sources


# --- b. the dashboards -----------------------------------------------------------------------------


def dashboard_nodes():
    from orgs import demo
    from orgs.models import Area

    city = Area.objects.get(code=demo.CITY[0])
    district = Area.objects.filter(code=demo.SMALL_DISTRICT).first() or city.children.order_by("code").first()
    community = Area.objects.filter(code__startswith=district.code, level="community").order_by("code").first()
    return {"city": city, "district": district, "community": community}


def page_figures(client, url):
    """Median of RUNS requests after a warm-up, and the queries of one request."""
    from django.conf import settings
    from django.db import connection, reset_queries

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    settings.DEBUG = True  # connection.queries records only under DEBUG
    reset_queries()
    client.get(url)
    queries = list(connection.queries)
    settings.DEBUG = False
    median = statistics.median(timed(lambda: client.get(url))[0] for _ in range(RUNS))
    slowest = max(queries, key=lambda q: float(q["time"]), default={"time": "0", "sql": ""})
    return {
        "median": median,
        "queries": len(queries),
        "query_seconds": sum(float(q["time"]) for q in queries),
        "slowest_query": {"seconds": float(slowest["time"]), "sql": slowest["sql"]},
    }


def measure_pages():
    from django.conf import settings
    from django.test import Client

    from orgs import demo
    from orgs.models import Area, User

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.filter(username="zuzhibu").first()
    if user is None:
        demo.create_demo_users()
        user = User.objects.get(username="zuzhibu")
    client = Client()
    client.force_login(user)
    figures = {}
    for name, area in dashboard_nodes().items():
        log(f"b. dashboard and breakdown of {area.code} …")
        figures[name] = {
            "code": area.code,
            "name": area.name,
            "subtree": Area.objects.filter(code__startswith=area.code).count(),
            "dashboard": page_figures(client, f"/areas/{area.code}/dashboard/"),
            "breakdown": page_figures(client, f"/areas/{area.code}/dashboard/breakdown/"),
        }
    return figures


# --- the run -----------------------------------------------------------------------------------------


def run(args, created):
    from django.db import connection

    seeded = ensure_seeded(args.size, created)
    period = open_period(args.size)
    leaves = leaves_of(period)
    results = {
        "size": args.size,
        "database": connection.settings_dict["NAME"],
        "postgresql": sql("SHOW server_version")[0][0],
        "jit": sql("SHOW jit")[0][0],
        "seed_seconds": seeded,
        "period": str(period),
        "indicator_set": period.indicator_set.name,
        "leaves": len(leaves),
        "sample": args.sample,
        "seed": args.seed,
    }
    figures = results["figures"] = {}
    figures["rollup"], sources = measure_rollup(period, args.rollups)
    log(f"a. naive per-area baseline on {args.sample} areas per level …")
    rows, counts = measure_baseline(period, leaves, sources, args.sample, args.seed)
    figures["baseline"] = rows
    results["areas_by_level"] = counts
    measured = [row for row in rows if row["naive_sample"] is not None]
    naive = sum(row["naive_extrapolated"] for row in measured)
    rollup = figures["rollup"]["seconds"]
    figures["summary"] = {
        "naive_extrapolated": naive,
        "naive_sample": sum(row["naive_sample"] for row in measured),
        "naive_queries_per_call": sorted({row["queries_per_area"] for row in measured}),
        "set_based": statistics.median(figures["rollup"]["sources_seconds"]),
        "speedup": naive / rollup,
        "mismatches": sum(row["mismatches"] for row in measured),
        "without_naive": [row["source"] for row in rows if row["naive_sample"] is None],
    }
    figures["pages"] = measure_pages()
    results["targets"] = {
        "speedup": figures["summary"]["speedup"] >= TARGET_SPEEDUP,
        "rollup_seconds": rollup <= TARGET_ROLLUP_SECONDS,
        "identical": figures["rollup"]["identical"],
        "mismatches": figures["summary"]["mismatches"] == 0,
        "queries_flat": queries_flat(figures["pages"]),
        "city_dashboard": figures["pages"]["city"]["dashboard"]["median"] <= TARGET_PAGE_SECONDS,
    }
    return results


def queries_flat(pages):
    """No page makes more queries for a larger subtree (the city, which has no siblings to rank,
    may make fewer)."""
    nodes = sorted(pages.values(), key=lambda page: page["subtree"])
    return all(
        larger[kind]["queries"] <= smaller[kind]["queries"]
        for kind in ("dashboard", "breakdown")
        for n, smaller in enumerate(nodes)
        for larger in nodes[n + 1 :]
    )


# --- output ------------------------------------------------------------------------------------------


def fmt(seconds):
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def times(ratio):
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2f}×"


def state(ok):
    return "met" if ok else "MISSED"


def table(r):
    f = r["figures"]
    a, s, targets = f["rollup"], f["summary"], r["targets"]
    counts = ", ".join(f"{n:,} {level}" for level, n in r["areas_by_level"].items())
    lines = [
        "",
        f"Assessment rollup and dashboards, --size {r['size']} (database {r['database']}, PostgreSQL"
        f" {r['postgresql']}, jit {r['jit']})",
        f"period {r['period']}, set {r['indicator_set']}: {r['leaves']} computed leaves; assessed areas: {counts}",
    ]
    if r["seed_seconds"] is not None:
        lines.append(f"(database seeded by this run in {r['seed_seconds']:.0f} s)")
    lines += [
        "",
        f"a. ROLLUP  assessment.rollup.rollup(period): {fmt(a['seconds'])} (median of {len(a['runs'])}:"
        f" {', '.join(fmt(t) for t in a['runs'])}), {a['values']:,} values and {a['scores']:,} scores written,"
        f" {a['last_placed']:,} last-placed",
        f"   of which the sources' queries {fmt(s['set_based'])} (a query a leaf, below), and the rest —"
        f" points, figures, writing the values, scores level by level, ranks, commit — {fmt(a['rest_seconds'])}",
        f"   peak Python memory of one rollup {a['traced_peak'] / 1048576:,.1f} MiB (tracemalloc, a separate"
        f" untimed run); the bench's peak RSS {a['peak_rss'] / 1048576:,.0f} MiB"
        f" ({a['rss_before'] / 1048576:,.0f} MiB before the rollups)",
        f"   {a['compared_runs']} runs compared, (indicator, area, numerator, denominator, value, points) ×"
        f" {a['value_rows']:,} and (area, points, rank, siblings, last_place) × {a['score_rows']:,}:"
        f" {'identical' if a['identical'] else 'DIFFERENT'} ({a['differing_values']} value rows,"
        f" {a['differing_scores']} score rows differ)",
        "",
        f"   BASELINE: per area, per leaf, ORM queries on the area's subtree"
        f" ({'–'.join(map(str, s['naive_queries_per_call']))} a call), on a seeded sample"
        f" (--seed {r['seed']}) of {r['sample']} areas per level, extrapolated:",
        "",
        f"   {'leaf':<24} {'source':<30} {'levels':<22} {'areas':>6} {'sample':>6} {'per area':>9}"
        f" {'naive, all':>11} {'in rollup':>10} {'ratio':>7} {'mismatch':>8}",
    ]
    for row in f["baseline"]:
        if row["naive_sample"] is None:
            lines.append(
                f"   {_fit(row['leaf'], 24)} {row['source']:<30} {row['level']:<22} {row['areas']:>6,}"
                f" {'—':>6} {'—':>9} {'—':>11} {fmt(row['set_based']):>10}   (no naive version in the bench)"
            )
            continue
        lines.append(
            f"   {_fit(row['leaf'], 24)} {row['source']:<30} {row['level']:<22} {row['areas']:>6,}"
            f" {row['sampled']:>6} {row['naive_per_area'] * 1000:>6.2f} ms {fmt(row['naive_extrapolated']):>11}"
            f" {fmt(row['set_based']):>10} {times(row['naive_extrapolated'] / row['set_based']):>7}"
            f" {row['mismatches']:>8}"
        )
        for example in row["examples"]:
            lines.append(
                f"      mismatch at {example['area']}: naive {example['naive']}, set-based {example['set_based']}"
            )
    lines += [
        "",
        f"   naive loop, all areas (extrapolated): {fmt(s['naive_extrapolated'])} (the sample took"
        f" {fmt(s['naive_sample'])}); naive ≠ set-based: {s['mismatches']} (must be 0: {state(targets['mismatches'])})",
        f"   → naive loop / rollup = {times(s['speedup'])} (target ≥ {TARGET_SPEEDUP}×:"
        f" {state(targets['speedup'])}); the rollup of the whole city {fmt(a['seconds'])} (target well under a"
        f" minute, ≤ {TARGET_ROLLUP_SECONDS} s: {state(targets['rollup_seconds'])})",
        "     (the baseline only reads the figures; the rollup also writes every value and score)",
    ]
    slowest = max(f["baseline"], key=lambda row: row["set_based"])
    lines.append(
        f"   slowest source in the rollup: {slowest['source']} for its levels {slowest['level']},"
        f" {fmt(slowest['set_based'])} ({slowest['set_based'] / a['seconds']:.0%} of the rollup)"
    )
    if s["without_naive"]:
        lines.append(f"   not in the baseline (no naive version here): {', '.join(sorted(set(s['without_naive'])))}")
    lines += [
        "",
        f"b. DASHBOARDS as the city's organisation department (zuzhibu), test client,"
        f" median of {RUNS} after a warm-up:",
        "",
        f"   {'node':<10} {'code':<14} {'areas under it':>14}   {'dashboard':>10} {'queries':>7}"
        f"   {'breakdown':>10} {'queries':>7}   slowest query (dashboard)",
    ]
    for name, p in f["pages"].items():
        d, b = p["dashboard"], p["breakdown"]
        lines.append(
            f"   {name:<10} {p['code']:<14} {p['subtree']:>14,}   {fmt(d['median']):>10} {d['queries']:>7}"
            f"   {fmt(b['median']):>10} {b['queries']:>7}   {fmt(d['slowest_query']['seconds'])}"
        )
    city = f["pages"]["city"]["dashboard"]["median"]
    lines += [
        "",
        f"   queries flat in the size of the subtree (never more for a larger one): {state(targets['queries_flat'])};"
        f" city dashboard {fmt(city)}"
        f" (target ≤ {TARGET_PAGE_SECONDS * 1000:.0f} ms: {state(targets['city_dashboard'])})",
    ]
    return "\n".join(lines)


def _fit(text, width):
    """Left-justify Chinese text in `width` columns (a CJK character is two)."""
    from bench.tree import _pad, _width

    while _width(text) > width:
        text = text[:-1]
    return _pad(text, width)


def main():
    args = parse_args()
    # DATABASE_URL or nothing: the bench rewrites the open period's rows and may drop its database.
    setup_django("bench/rollup.py", "jiceng_demo_city", "the open period's values and scores")
    created = ensure_database(args.reset)  # before Django's first connection to it
    started = time.perf_counter()
    results = run(args, created)
    results["seconds"] = time.perf_counter() - started
    print(json.dumps(results, ensure_ascii=False, indent=1, default=str) if args.json else table(results))


if __name__ == "__main__":
    main()
