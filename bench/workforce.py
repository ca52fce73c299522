"""队伍与阵地 at city scale (issue 21, acceptance 3), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_wf_city .venv/bin/python bench/workforce.py --size city

Needs a migrated database holding the demo city (`manage.py seed_demo --size city`; an empty one is
seeded first, which fills the workers, committees, venues, sites, secretary projects, reports and
roads: workforce/demo_*.py). It reads, except (c), which rewrites the running quarter's values and
scores (the rollup is idempotent) and leaves the period with the set it found. In one run:

a. every workforce.* IndicatorSource and the dashboards' Figures, for every area of the city,
   district, street and community levels in one set-based pass each, this year so far and this
   quarter, timed (median of `--rollups`) with the pass's query count; against a baseline measured
   in the same run: the same figures the naive way, per area with the ORM (`NAIVE`: a few aggregate
   queries per area) for `--sample` areas of each level, extrapolated to the level's areas — each
   sampled area's figures checked equal to the pass's. The committees' shares (one rollup of the
   terms' facts) have no naive version: they are listed without one;
b. the workforce's pages — every list, the staffing page, the committees page, the venues out of
   standard, the sites per district, the secretaries' overview, the area page's cards (社区工作者,
   两委, 党群服务阵地, 书记项目, 街巷长) and the home tiles — at the city, a district, a street and a
   community as the roles that open them: median of `--repeat` after a warm-up and the request's
   queries (bench/pages.py). A page's queries must not grow with the data: the same page at the
   city (every row) and at a community (a few) makes about the same number (bench/funds.py's FLAT_SLACK);
c. the rollup of the running quarter with the set before the workforce (the funds' copy, “…经费
   保障）”) against the same period rolled up with the set holding the workforce's leaves (“…队伍与
   阵地）”, workforce migration 0002): without, with, without again, `--rollups` each; medians and
   the ratio (target ≤ 1.3×), with the time the workforce's sources take inside it.
"""

import argparse
import datetime
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the funds' bench's spans, counting and pages' table; `flat` read by tests/bench/test_workforce_bench.py
from bench.funds import counted, flat, pages_lines, spans  # noqa: E402, F401
from bench.pages import Page, clients, ensure_city, measure, ms, pad  # noqa: E402
from bench.tree import log, setup_django, timed  # noqa: E402

REPEAT = 5
ROLLUPS = 2
SAMPLE = 20
TARGET_RATIO = 1.3
LEVELS = ("city", "district", "street", "community")  # orgs.choices.AreaLevel's values
LOGINS = ("zuzhibu", "chaoyang_zzb", "jiedao", "shequ")
# Pages whose queries differ by 3–4 between levels, by what the level shows, not by its rows (the city
# run of 2026-12-07): the mentor studio list and the projects-late tile read one or two more at the
# city and district. Known and reported, so that a new variation stands out
# (tests/bench/test_workforce_bench.py). The 两委 card and the committees page left the set when they
# came to read the committees' tally (workforce/tallies.py) at every level.
KNOWN_VARYING = {"mentor studio list", "home tile projects late"}
WITH_SET = "队伍与阵地"  # in the name of workforce migration 0002's copy
BEFORE_SET = "党建引领基层治理考核指标（含红色物业、为民服务、双向认领、经费保障）"  # funds 0004's copy


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="队伍与阵地 at city scale (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the demo city (seeded if empty)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="timed requests a page")
    parser.add_argument("--rollups", type=int, default=ROLLUPS, help="timed runs of each source and set's rollup")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="areas of each level for the naive baseline")
    parser.add_argument("--only", default="", help="only the pages whose name contains this text (b)")
    parser.add_argument("--skip", default="", help="letters of the parts to skip: a, b, c")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    return parser.parse_args(argv)


def computes():
    """[(key, compute)] of every workforce source and figure (a figure sharing a source's key is kept
    apart as “figure …”)."""
    from core.registry import registry

    found = [(key, s.compute) for key, s in registry.indicator_sources.items() if key.startswith("workforce.")]
    found += [(f"figure {f.key}", f.compute) for f in registry.figures if f.key.startswith("workforce.")]
    return found


def rate_figures(rollups):
    """Each workforce source and figure for every area of four levels in one pass, year so far and quarter."""
    found = []
    for key, compute in computes():
        for span, start, end in spans():
            compute(LEVELS, start, end)  # warm-up
            _seconds, queries, _result = counted(lambda c=compute, s=start, e=end: c(LEVELS, s, e))
            runs = [timed(lambda c=compute, s=start, e=end: c(LEVELS, s, e)) for _ in range(rollups)]
            found.append(
                {
                    "key": key,
                    "span": span,
                    "source": f"{key} ({span})",
                    "median": statistics.median(s for s, _r in runs),
                    "queries": queries,
                    "areas": len(runs[-1][1]),
                }
            )
    return {"levels": "+".join(LEVELS), "sources": found}


# --- the naive baseline: per area with the ORM --------------------------------------------------------------


def in_post(area, end):
    from django.db.models import Q

    from orgs.scoping import within
    from workforce.models_workers import Worker

    return Worker.objects.filter(within("area__code", area.code), hired_on__lte=end).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=end)
    )


def naive_certified(area, start, end):
    """workforce.certified_share for one area: its subtree's workers in post on `end`, and those of
    them with a certificate valid that day (two counts)."""
    from django.db.models import Q

    from workforce.models_workers import Certificate

    workers = in_post(area, end)
    total = workers.count()
    if not total:
        return None
    valid = Certificate.objects.filter(obtained_on__lte=end).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=end))
    return (workers.filter(pk__in=valid.values("worker_id")).count(), total)


def naive_workers(area, start, end):
    """The figure workforce.workers for one area: its workers in post on `end`."""
    from django.utils import timezone

    total = in_post(area, end or timezone.localdate()).count()
    return (total, 0) if total else None


def naive_trained(area, start, end):
    """workforce.training_hours for one area: its workers in post, then the hours of each from the
    year's first day to `end` against what is owed by then (two queries)."""
    from django.db.models import Sum

    from workforce.indicators_workers import owed_by
    from workforce.models_workers import TrainingRecord

    ids = list(in_post(area, end).values_list("pk", flat=True))
    if not ids:
        return None
    hours = dict(
        TrainingRecord.objects.filter(worker_id__in=ids, trained_on__range=(datetime.date(end.year, 1, 1), end))
        .values_list("worker_id")
        .annotate(h=Sum("hours"))
    )
    owed = owed_by(end)
    return (sum(1 for pk in ids if (hours.get(pk) or 0) >= owed), len(ids))


def naive_staffed(area, start, end):
    """workforce.staffing for one area: the households of each community under it (their compounds),
    its workers in post, against the standard (two queries)."""
    from django.db.models import Count, Sum

    from orgs.scoping import within
    from property.models import Compound
    from workforce.models_workers import required_workers

    households = dict(
        Compound.objects.filter(within("community__code", area.code))
        .values_list("community_id")
        .annotate(h=Sum("households"))
    )
    households = {pk: h for pk, h in households.items() if h}
    if not households:
        return None
    workers = dict(in_post(area, end).values_list("area_id").annotate(n=Count("pk")))
    codes = dict(area.__class__.objects.filter(pk__in=list(households)).values_list("pk", "code"))
    ok = sum(1 for pk, h in households.items() if workers.get(pk, 0) >= required_workers(h, codes[pk]))
    return (ok, len(households))


def naive_venues(area, start, end):
    """workforce.venue_compliance for one area (the figure's own `live`: one aggregate)."""
    from workforce.indicators_venues import live

    ok, total = live(area)
    return (ok, total) if total else None


def naive_on_track(area, start, end):
    """workforce.projects_on_track for one area: the year's projects under it (not stopped), and
    those not late as of `end` (two counts)."""
    from django.db.models import Exists, OuterRef, Q

    from orgs.scoping import within
    from workforce.indicators_secretaries import counted_on
    from workforce.models_secretaries import SecretaryMilestone, SecretaryProject, SecretaryProjectStatus

    day = counted_on(end)
    projects = SecretaryProject.objects.filter(within("area__code", area.code), year=end.year).exclude(
        status=SecretaryProjectStatus.STOPPED
    )
    total = projects.count()
    if not total:
        return None
    overdue = SecretaryMilestone.objects.filter(project=OuterRef("pk"), due_on__lt=day).filter(
        Q(done_on__isnull=True) | Q(done_on__gt=day)
    )
    late = Q(status=SecretaryProjectStatus.RUNNING) & (Q(ends_on__lt=day) | Exists(overdue))
    return (projects.exclude(late).count(), total)


def naive_review(area, start, end):
    """workforce.review_good_share for one area: its own secretary's review of the year (one aggregate)."""
    from django.db.models import F, Sum

    from workforce.models_secretaries import SecretaryReport

    found = SecretaryReport.objects.filter(area=area, year=end.year).aggregate(
        good=Sum(F("good") + F("fairly_good")), voters=Sum("voters")
    )
    return (found["good"], found["voters"]) if found["voters"] is not None else None


NAIVE = (
    ("workforce.certified_share", naive_certified),
    ("workforce.training_hours", naive_trained),
    ("workforce.staffing", naive_staffed),
    ("workforce.venue_compliance", naive_venues),
    ("workforce.projects_on_track", naive_on_track),
    ("workforce.review_good_share", naive_review),
    ("figure workforce.workers", naive_workers),
)


def naive_figures(sample, passes):
    """Each NAIVE figure per area with the ORM for `sample` areas of each level (random, fixed seed),
    each span: seconds and queries extrapolated to every area of the four levels, the ratio to the
    set-based pass (`passes`: rate_figures' sources), and whether every sampled area's figures equal
    the pass's."""
    import random

    from orgs.models import Area

    rng = random.Random(2021)
    by_level = {level: list(Area.objects.filter(level=level).order_by("code")) for level in LEVELS}
    chosen = {level: rng.sample(areas, min(sample, len(areas))) for level, areas in by_level.items()}
    set_based = {(p["key"], p["span"]): p for p in passes["sources"]}
    compute_of = dict(computes())
    found = []
    for key, naive in NAIVE:
        if key not in compute_of:
            continue
        for span, start, end in spans():
            exact = compute_of[key](LEVELS, start, end)
            seconds = queries = 0.0
            wrong = []
            for level, areas in chosen.items():
                if not areas:
                    continue
                took, count, results = counted(lambda a=areas, f=naive, s=start, e=end: [f(area, s, e) for area in a])
                seconds += took / len(areas) * len(by_level[level])
                queries += count / len(areas) * len(by_level[level])
                expected = [tuple(exact[area.pk]) if area.pk in exact else None for area in areas]
                wrong += [(a.code, r, x) for a, r, x in zip(areas, results, expected, strict=True) if r != x]
            passed = set_based[(key, span)]
            found.append(
                {
                    "source": f"{key} ({span})",
                    "sampled": sum(len(a) for a in chosen.values()),
                    "areas": sum(len(a) for a in by_level.values()),
                    "naive": seconds,
                    "naive_queries": round(queries),
                    "pass": passed["median"],
                    "pass_queries": passed["queries"],
                    "ratio": seconds / passed["median"] if passed["median"] else 0.0,
                    "same": not wrong,
                    "wrong": [str(w) for w in wrong[:3]],
                }
            )
    covered = {key for key, _naive in NAIVE}
    without = sorted(key for key in compute_of if key not in covered)
    return found, without


# --- b. the pages ---------------------------------------------------------------------------------------------

LISTS = (
    ("worker list", "/workforce/workers/"),
    ("worker change list", "/workforce/worker-changes/"),
    ("training list", "/workforce/trainings/"),
    ("certificate list", "/workforce/certificates/"),
    ("rating list", "/workforce/ratings/"),
    ("committee term list", "/workforce/committee-terms/"),
    ("committee member list", "/workforce/committee-members/"),
    ("mentor studio list", "/workforce/mentor-studios/"),
    ("studio session list", "/workforce/studio-sessions/"),
    ("mentor pair list", "/workforce/mentor-pairs/"),
    ("venue list", "/workforce/venues/"),
    ("demonstration site list", "/workforce/sites/"),
    ("secretary project list", "/workforce/secretary-projects/"),
    ("secretary project list late", "/workforce/secretary-projects/?late=true"),
    ("milestone list", "/workforce/secretary-milestones/"),
    ("secretary report list", "/workforce/secretary-reports/"),
    ("road list", "/workforce/roads/"),
)
PAGES = (
    ("staffing", "/workforce/staffing/"),
    ("venues short", "/workforce/venues/short/"),
    ("sites per district", "/workforce/sites/districts/"),
    ("secretaries overview", "/workforce/secretaries/"),
)
CARDS = (  # the area page's workforce cards (htmx fragments), by the levels that show them
    ("area card 社区工作者", "/areas/{code}/workforce/", LEVELS),
    ("area card 两委", "/areas/{code}/committees/", LEVELS),
    ("area card 阵地", "/areas/{code}/venues/", LEVELS),
    ("area card 书记项目", "/areas/{code}/secretaries/", LEVELS),
    ("area card 街巷长", "/areas/{code}/roads/", ("city", "district", "street")),
)
TILES = (  # home widgets: (name, widget, the levels whose role sees it)
    ("home tile training short", "workforce_training_short", ("street", "community")),
    ("home tile certificates expiring", "workforce_certificates_expiring", ("street", "community")),
    ("home tile elections due", "workforce_elections_due", LEVELS),
    ("home tile venues short", "workforce_venues_short", ("street", "community")),
    ("home tile projects late", "workforce_secretary_projects_late", LEVELS),
)
ROLE_LEVELS = (("zuzhibu", "city"), ("chaoyang_zzb", "district"), ("jiedao", "street"), ("shequ", "community"))


def pages():
    from bench.pages import scope_areas

    areas = scope_areas()
    found = []
    for username, level in ROLE_LEVELS:
        code = areas[username].code
        found += [Page(f"{name}, {level}", username, url) for name, url in LISTS + PAGES]
        found.append(Page(f"committees page, {level}", username, f"/workforce/committees/{code}/"))
        found += [
            Page(f"{name}, {level}", username, url.format(code=code), {"HX-Request": "true"})
            for name, url, levels in CARDS
            if level in levels
        ]
        found += [
            Page(f"{name}, {level}", username, f"/home/widgets/{widget}/")
            for name, widget, levels in TILES
            if level in levels
        ]
    return found


def page_figures(repeat, only=""):
    logged = clients(set(LOGINS))
    results = []
    for page in pages():
        if only and only not in page.name:
            continue
        log(f"  {page.name} ({page.url}) …")
        results.append(measure(logged[page.username], page, repeat))
    return results


def row_counts():
    from workforce.models_committees import CommitteeMember, CommitteeTerm
    from workforce.models_secretaries import Road, SecretaryMilestone, SecretaryProject, SecretaryReport
    from workforce.models_venues import DemonstrationSite, Venue
    from workforce.models_workers import Certificate, TrainingRecord, Worker, WorkerChange

    models = {
        "workers": Worker,
        "changes": WorkerChange,
        "trainings": TrainingRecord,
        "certificates": Certificate,
        "terms": CommitteeTerm,
        "members": CommitteeMember,
        "venues": Venue,
        "sites": DemonstrationSite,
        "projects": SecretaryProject,
        "milestones": SecretaryMilestone,
        "reports": SecretaryReport,
        "roads": Road,
    }
    return {name: model.objects.count() for name, model in models.items()}


# --- c. the rollup with and without the workforce's leaves -----------------------------------------------------


def rollup_period():
    """The open period with the latest end whose set holds the workforce's leaves, or None."""
    from assessment.choices import PeriodStatus
    from assessment.models import Period

    return (
        Period.objects.filter(indicator_set__name__contains=WITH_SET, status=PeriodStatus.OPEN)
        .select_related("indicator_set__copied_from")
        .order_by("-end", "-pk")
        .first()
    )


def rollup_figures(rollups):
    """The running quarter rolled up with the set before the workforce (the funds' copy) and with the
    workforce's copy — without, with, without again — and the workforce's sources as the rollup calls
    them (each leaf's levels, one call). The period is left with the set it had, rolled up once more."""
    from assessment.models import IndicatorSet
    from assessment.rollup import rollup
    from core.registry import registry

    period = rollup_period()
    if period is None:
        return None
    with_workforce = period.indicator_set
    # the set the workforce's leaves were added to: the funds' copy (its `copied_from` is the default set)
    without = IndicatorSet.objects.filter(name=BEFORE_SET).first() or with_workforce.copied_from
    leaves = [leaf for leaf in with_workforce.indicators.all() if (leaf.source or "").startswith("workforce.")]
    sources = []
    for leaf in leaves:
        compute = registry.indicator_sources[leaf.source].compute
        compute(leaf.levels, period.start, period.end)  # warm-up
        runs = [timed(lambda c=compute, lf=leaf: c(lf.levels, period.start, period.end)) for _ in range(rollups)]
        sources.append(
            {
                "source": leaf.source,
                "levels": "+".join(leaf.levels),
                "median": statistics.median(seconds for seconds, _result in runs),
                "areas": len(runs[-1][1]),
            }
        )
    times = {}
    try:
        for label, indicator_set in (("without", without), ("with", with_workforce), ("without", without)):
            period.indicator_set = indicator_set
            period.save(update_fields=["indicator_set"])
            if rollups > 1:  # warm-up: the first rollup after a change of set writes every row anew
                rollup(period)
            for n in range(rollups):
                log(f"  c. rollup {label} the workforce, run {n + 1} of {rollups} …")
                times.setdefault(label, []).append(timed(lambda: rollup(period))[0])
    finally:
        period.indicator_set = with_workforce  # as it was: the dashboards show the workforce
        period.save(update_fields=["indicator_set"])
        rollup(period)
    median = {label: statistics.median(values) for label, values in times.items()}
    return {
        "period": str(period),
        "set_with": with_workforce.name,
        "set_without": without.name,
        "leaves": len(leaves),
        "sources": sources,
        "sources_total": sum(s["median"] for s in sources),
        "without_runs": times["without"],
        "with_runs": times["with"],
        "rollup_without": median["without"],
        "rollup_with": median["with"],
        "ratio": median["with"] / median["without"],
    }


def measured(repeat, rollups, sample, only="", skip=""):
    found = {"repeat": repeat, "rows": row_counts()}
    if "a" not in skip:
        log("workforce a. the sources and figures, set-based …")
        found["rates"] = rate_figures(rollups)
        log(f"workforce a. the naive baseline ({sample} areas a level) …")
        found["naive"], found["without_naive"] = naive_figures(sample, found["rates"])
    if "b" not in skip:
        log("workforce b. the pages …")
        found["pages"] = page_figures(repeat, only)
    if "c" not in skip:
        log("workforce c. the rollup with and without the workforce …")
        found["rollup"] = rollup_figures(rollups)
    return found


def run(size, repeat, rollups, sample=SAMPLE, only="", skip=""):
    areas = ensure_city(size)
    return {"size": size, "areas": areas, **measured(repeat, rollups, sample, only, skip)}


def source_lines(f):
    rows = f["rows"]
    found = [
        f"a. the workforce's sources and figures, every area of {f['rates']['levels']}, one set-based pass each"
        f" ({', '.join(f'{n:,} {name}' for name, n in rows.items())}):",
        f"   {pad('source (span)', 48)} {'ms':>9} {'q':>3}  {'areas':>7}",
    ]
    for source in f["rates"]["sources"]:
        found.append(
            f"   {pad(source['source'], 48)} {ms(source['median']):>9} {source['queries']:>3}  {source['areas']:>7,}"
        )
    found += [
        "",
        "   baseline, the naive way: per area with the ORM, sampled by level and extrapolated to every area",
        f"   {pad('source (span)', 48)} {'naive s':>9} {'naive q':>9} {'pass ms':>9} {'q':>3} {'ratio':>9}  same",
    ]
    for n in f["naive"]:
        found.append(
            f"   {pad(n['source'], 48)} {n['naive']:>9.2f} {n['naive_queries']:>9,} {ms(n['pass']):>9}"
            f" {n['pass_queries']:>3} {n['ratio']:>8,.0f}×  {'yes' if n['same'] else 'NO ' + '; '.join(n['wrong'])}"
            f" ({n['sampled']} of {n['areas']:,} areas)"
        )
    if f["without_naive"]:
        found.append(f"   no naive version: {', '.join(f['without_naive'])}")
    return found


def page_lines(f):
    return [
        f"b. the workforce's pages, median of {f['repeat']} after a warm-up",
        *pages_lines(f["pages"], 44),
    ]


def rollup_lines(f):
    r = f["rollup"]
    if r is None:
        return ["c. the rollup: no open period with the workforce's set (seed_demo makes one)"]
    found = [
        f"c. the rollup of {r['period']}, median of {len(r['with_runs'])} (after a warm-up) each",
        f"   the workforce's {r['leaves']} leaves' sources, as the rollup calls them:",
    ]
    for s in r["sources"]:
        found.append(f"     {pad(s['source'], 40)} {ms(s['median']):>9}  {s['levels']} ({s['areas']:,} areas)")
    found += [
        f"     {pad('together', 40)} {ms(r['sources_total']):>9}",
        f"   before the workforce ({r['set_without']}): {r['rollup_without']:.2f} s"
        f"  (runs {', '.join(f'{s:.2f}' for s in r['without_runs'])})",
        f"   with it ({r['set_with']}): {r['rollup_with']:.2f} s"
        f"  (runs {', '.join(f'{s:.2f}' for s in r['with_runs'])})",
        f"   ratio {r['ratio']:.2f}× (target ≤ {TARGET_RATIO}×): {'met' if r['ratio'] <= TARGET_RATIO else 'MISSED'}",
    ]
    return found


def table(f):
    found = ["", f"队伍与阵地, --size {f['size']} ({f['areas']:,} areas)", ""]
    if "rates" in f:
        found += [*source_lines(f), ""]
    if "pages" in f:
        found += [*page_lines(f), ""]
    if "rollup" in f:
        found += rollup_lines(f)
    return "\n".join(found)


def main():
    args = parse_args()
    setup_django("bench/workforce.py", "jiceng_wf_city", "the running quarter's values and scores (c)")
    figures = run(args.size, args.repeat, args.rollups, args.sample, args.only, args.skip)
    print(json.dumps(figures, indent=1, ensure_ascii=False, default=str) if args.json else table(figures))


if __name__ == "__main__":
    main()
