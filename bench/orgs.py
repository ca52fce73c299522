"""Benchmarks of the party side (issue #9, acceptance 4), run by hand — see bench/README.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiceng_demo_city .venv/bin/python bench/orgs.py --size city

Needs a database seeded with `manage.py seed_demo --size city` (or `small`). In one run:

a. the area page's 党建 panel (party.queries.area_figures) and the whole area page at the
   city, a district and a community: median latency and query count;
b. the member import: a 10,000-row sheet as a branch secretary keeps it, imported by ours
   (core.importing.execute of PartyMemberImporter: read, plan, write) and by django-import-export's
   default per-row path (a plain ModelResource, import_data) on the same rows, each inside a
   transaction rolled back afterwards; then ours again onto the rows it wrote (re-import, all
   unchanged). Target: ours ≥ 10× faster, peak memory under 1 GiB.
"""

import argparse
import io
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.tree import log, setup_django, timed  # noqa: E402  (helpers of the tree bench)

RUNS = 9
SHEET_ROWS = 10_000


def parse_args():
    parser = argparse.ArgumentParser(description="Benchmarks of the party side (bench/README.md).")
    parser.add_argument("--size", choices=("small", "city"), default="city", help="the seeded demo city")
    parser.add_argument("--rows", type=int, default=SHEET_ROWS, help="rows of the member sheet (default 10,000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    return parser.parse_args()


class Rollback(Exception):
    pass


def rolled_back(function):
    """Run `function` in a transaction that is rolled back; returns its result."""
    from django.db import transaction

    result = []
    try:
        with transaction.atomic():
            result.append(function())
            raise Rollback
    except Rollback:
        pass
    return result[0]


# --- a. the area panel --------------------------------------------------------------------------------


def nodes():
    from orgs.models import Area

    city = Area.objects.get(level="city")
    district = Area.objects.filter(level="district", party_organisations__isnull=False).order_by("code").first()
    district = district or Area.objects.filter(parent=city).order_by("code").first()
    community = Area.objects.filter(level="community", code__startswith=district.code).order_by("code").first()
    return {"city": city, "district": district, "community": community}


def measure_panel(user, client):
    from django.conf import settings
    from django.db import connection, reset_queries

    from party.queries import area_figures

    figures = {}
    for name, area in nodes().items():
        area_figures(area, user)
        settings.DEBUG = True  # count the queries of one call (connection.queries)
        reset_queries()
        shown = area_figures(area, user)
        count = len(connection.queries)
        settings.DEBUG = False
        panel = statistics.median(timed(lambda area=area: area_figures(area, user))[0] for _ in range(RUNS))
        url = f"/areas/{area.code}/"
        assert client.get(url).status_code == 200
        page = statistics.median(timed(lambda url=url: client.get(url))[0] for _ in range(RUNS))
        figures[name] = {
            "code": area.code,
            "panel": panel,
            "queries": count,
            "page": page,
            "figures": shown,
        }
    return figures


# --- c. the list pages ----------------------------------------------------------------------------------

LISTS = (
    "/party/organisations/",
    "/party/members/",
    "/party/meetings/",
    "/party/units/",
    "/party/registrations/",
    "/party/in-service/",
    "/party/services/",
    "/",
)


def measure_pages(client, user):
    """Every party list (and the home page with its widgets) as the city's organisation department,
    and the district's organisation chart and schedule: median latency and the request's queries."""
    from django.conf import settings
    from django.db import connection, reset_queries

    district = nodes()["district"].code
    urls = [*LISTS, f"/areas/{district}/party/chart/", f"/areas/{district}/party/schedule/"]
    figures = {}
    for url in urls:
        assert client.get(url).status_code == 200, url
        settings.DEBUG = True
        reset_queries()
        client.get(url)
        count = len(connection.queries)
        settings.DEBUG = False
        figures[url] = {
            "median": statistics.median(timed(lambda url=url: client.get(url))[0] for _ in range(5)),
            "queries": count,
        }
    return figures


# --- b. the member import -----------------------------------------------------------------------------


def member_sheet(rows):
    """A branch secretary's sheet (the member list's columns) of `rows` new members in one grid
    branch, with valid ID numbers that are not yet on record."""
    import random

    from openpyxl import Workbook

    from core.identity import with_check_character
    from party.models import PartyOrganisation
    from party.tables import PartyMemberTable

    branch = PartyOrganisation.objects.filter(kind="grid_branch").order_by("pk").first()
    headers = PartyMemberTable.headers()
    rng = random.Random(11)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("党员")
    sheet.append(headers)
    for n in range(rows):
        body = f"220199{1950 + n // 365 % 50}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"[:17]
        body = body[:14] + f"{n // 36500 % 10}{n % 100:02d}"
        number = with_check_character(body)
        row = {
            "姓名": f"试{rng.choice('伟芳娜敏静丽强磊军洋')}{n:05d}",
            "性别": "男" if int(body[16]) % 2 else "女",
            "出生日期": f"{body[6:10]}-{body[10:12]}-{body[12:14]}",
            "民族": "汉族",
            "学历": rng.choice(["大学本科", "大学专科", "中专/高中"]),
            "联系电话": f"166{n:08d}",
            "身份证号": number,
            "党员类别": "预备党员" if n % 12 == 0 else "正式党员",
            "入党日期": f"{2000 + n % 24}-07-01",
            "转正日期": "" if n % 12 == 0 else f"{2001 + n % 24}-07-01",
            "所在党组织": branch.name,
            "流动党员": "否",
            "流向": "",
            "党员中心户": "是" if n % 20 == 0 else "否",
            "联系户数": "12" if n % 20 == 0 else "0",
            "居住区划代码": "",
        }
        sheet.append([row[h] for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), branch


def baseline_resource(branch):
    """django-import-export's default path: a ModelResource, one row at a time (get the instance,
    clean, save), the organisation by name."""
    from import_export import fields, resources, widgets

    from party.models import PartyMember, PartyOrganisation

    class MemberResource(resources.ModelResource):
        name = fields.Field("name", "姓名")
        gender = fields.Field("gender", "性别")
        birth_date = fields.Field("birth_date", "出生日期", widget=widgets.DateWidget("%Y-%m-%d"))
        ethnicity = fields.Field("ethnicity", "民族")
        phone = fields.Field("phone", "联系电话")
        id_number = fields.Field("id_number", "身份证号")
        joined_on = fields.Field("joined_on", "入党日期", widget=widgets.DateWidget("%Y-%m-%d"))
        organisation = fields.Field(
            "organisation", "所在党组织", widget=widgets.ForeignKeyWidget(PartyOrganisation, "name")
        )
        households_linked = fields.Field("households_linked", "联系户数", widget=widgets.IntegerWidget())

        class Meta:
            model = PartyMember
            fields = (
                "name",
                "gender",
                "birth_date",
                "ethnicity",
                "phone",
                "id_number",
                "joined_on",
                "organisation",
                "households_linked",
            )
            import_id_fields = ("id_number",)

        def before_import_row(self, row, **kwargs):
            row["性别"] = {"男": "male", "女": "female"}.get(row["性别"], "")

    return MemberResource()


def measure_import(data, branch):
    import tablib

    from core import importing
    from party.importers import PartyMemberImporter
    from party.models import PartyMember

    figures = {}
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds, plan = timed(
        lambda: rolled_back(lambda: importing.execute(PartyMemberImporter(importing.CommandLineUser()), data))
    )
    figures["ours"] = {"seconds": seconds, "new": len(plan.new), "rejected": len(plan.rejected)}
    figures["ours"]["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    def import_twice():
        importing.execute(PartyMemberImporter(importing.CommandLineUser()), data)
        return timed(lambda: importing.execute(PartyMemberImporter(importing.CommandLineUser()), data))

    again, plan = rolled_back(import_twice)
    figures["again"] = {"seconds": again, "unchanged": plan.unchanged, "new": len(plan.new)}

    dataset = tablib.Dataset().load(data, format="xlsx")
    baseline = baseline_resource(branch)
    seconds, result = timed(lambda: rolled_back(lambda: baseline.import_data(dataset, dry_run=False)))
    figures["baseline"] = {"seconds": seconds, "errors": len(result.invalid_rows) + len(list(result.row_errors()))}

    def immediate():  # the same, spared the deferred-check queue that every row's trigger rescans
        from orgs import tree

        with tree.immediate_constraints():
            return baseline.import_data(dataset, dry_run=False)

    seconds, result = timed(lambda: rolled_back(immediate))
    figures["baseline_immediate"] = {"seconds": seconds}
    figures["rows"] = len(dataset)
    figures["rss_before"] = before * 1024
    assert not PartyMember.objects.filter(name__startswith="试", organisation=branch).exists()  # rolled back
    return figures


def run(args):
    from django.conf import settings
    from django.test import Client

    from orgs.models import User

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username="zuzhibu")
    client = Client()
    client.force_login(user)
    figures = {"size": args.size}
    log("a. the area panel at the city, a district and a community …")
    figures["panel"] = measure_panel(user, client)
    log("c. the list pages …")
    figures["pages"] = measure_pages(client, user)
    log(f"b. the member import, {args.rows:,} rows: ours, again, django-import-export …")
    data, branch = member_sheet(args.rows)
    figures["import"] = measure_import(data, branch)
    return figures


def table(f):
    lines = ["", f"Party side, --size {f['size']}", ""]
    for name, p in f["panel"].items():
        figures = p["figures"]
        lines.append(
            f"a. {name:9} {p['code']:14} panel {p['panel'] * 1000:7.1f} ms, {p['queries']} queries;"
            f" whole area page {p['page'] * 1000:7.1f} ms  ({figures['organisations']:,} organisations,"
            f" {figures['members']:,} members, {figures['in_service']:,} in service, {figures['behind']:,} behind)"
        )
    for url, page in f["pages"].items():
        lines.append(f"c. {url:40} {page['median'] * 1000:8.1f} ms, {page['queries']} queries")
    i = f["import"]
    ours, base = i["ours"]["seconds"], i["baseline"]["seconds"]
    ratio = base / ours
    lines.append(
        f"b. member import, {i['rows']:,} rows: ours {ours:.2f} s ({i['rows'] / ours:,.0f} rows/s,"
        f" {i['ours']['new']:,} new, {i['ours']['rejected']} rejected),"
        f" peak RSS {i['ours']['peak_rss'] / 1048576:,.0f} MiB"
    )
    lines.append(
        f"   django-import-export per row: {base:.2f} s ({i['rows'] / base:,.0f} rows/s,"
        f" {i['baseline']['errors']} errors) → ours {ratio:.1f}× faster"
        f" (target ≥ 10×: {'met' if ratio >= 10 else 'MISSED'});"
        f" memory {'met' if i['ours']['peak_rss'] < 1 << 30 else 'MISSED'} (< 1 GiB)"
    )
    fair = i["baseline_immediate"]["seconds"]
    lines.append(
        f"   django-import-export per row, foreign keys checked per statement: {fair:.2f} s"
        f" ({i['rows'] / fair:,.0f} rows/s) → ours {fair / ours:.1f}× faster"
    )
    lines.append(
        f"   re-import of the same sheet: {i['again']['seconds']:.2f} s, {i['again']['unchanged']:,} unchanged,"
        f" {i['again']['new']} new"
    )
    return "\n".join(lines)


def main():
    args = parse_args()
    setup_django("bench/orgs.py", "jiceng_demo_city", "nothing it keeps (its imports are rolled back)")
    started = time.perf_counter()
    figures = run(args)
    figures["seconds"] = time.perf_counter() - started
    print(json.dumps(figures, indent=1, default=str) if args.json else table(figures))


if __name__ == "__main__":
    main()
