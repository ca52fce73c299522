# ruff: noqa: F811  (pytest fixtures imported by name)
"""What a dashboard's figures are and when they were computed (issue 15, 5 and 6): every dashboard,
breakdown and home card states its rollup's time; where the live pages now differ (an appointment
after the rollup), the tile says what they show; the three heads' coverage is counted as the
coverage page counts it (a head appointed from a later day covers neither); and the children's rows
add up to the area's figures with the area's own (直属) row."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import AreaFigure, Period
from assessment.rollup import rollup
from grids import coverage
from grids.choices import Post
from orgs.models import Area
from party.choices import OrgKind
from party.models import PartyMember, PartyOrganisation
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import G_A2, hand_roster  # noqa: F401  (fixture)

TODAY = datetime.date.today()
STREET_A = "220104001"


def running_period(default_set, end=None):
    return Period.objects.create(
        kind="quarter", start=TODAY.replace(day=1), end=end or TODAY, indicator_set=default_set
    )


def combined(area_code):
    found = coverage.coverage(Area.objects.get(code=area_code))
    levels = [found.level(level) for level in coverage.COVERED_LEVELS]
    return sum(c.covered for c in levels), sum(c.total for c in levels)


def tile(response, key):
    return next(t for t in response.context["tiles"] if t.key == key)


def test_the_dashboard_the_breakdown_and_the_home_card_state_the_rollups_time(
    hand_roster,
    default_set,
    city_org,
    client_for,  # noqa: F811
):
    period = running_period(default_set)
    rollup(period)
    period.refresh_from_db()
    when = timezone.localtime(period.rolled_up_at).strftime("%Y-%m-%d %H:%M")
    client = client_for(city_org)

    for url in (
        reverse("assessment:dashboard", args=[STREET_A]),
        reverse("assessment:breakdown", args=[STREET_A]),
        reverse("home"),
    ):
        assert f"{when} 汇总计算" in client.get(url).content.decode(), url


def test_an_appointment_after_the_rollup_is_named_where_the_coverage_page_differs(
    hand_roster,
    holder,
    default_set,
    city_org,
    client_for,  # noqa: F811
):
    period = running_period(default_set)
    rollup(period)
    client = client_for(city_org)
    url = reverse("assessment:dashboard", args=[STREET_A])
    before = client.get(url)
    assert tile(before, "grids.heads_coverage").now is None and "现为" not in before.content.decode()
    rolled = (tile(before, "grids.heads_coverage").numerator, tile(before, "grids.heads_coverage").denominator)
    assert rolled == combined(STREET_A)  # the same measure as the coverage page

    holder(G_A2, Post.GRID_HEAD, "新网格长", phone="13900000099", start_date=TODAY)

    after = client.get(url)
    now = combined(STREET_A)
    assert now == (rolled[0] + 1, rolled[1])
    assert tile(after, "grids.heads_coverage").now == now
    page = after.content.decode()
    assert f"现为 {now[0]}/{now[1]}" in page and "标“现为”的数字与其页面上的实时数字不同" in page
    assert reverse("grids:coverage", args=[STREET_A]) in page  # the tile leads to the page that shows it live


def test_a_head_appointed_from_a_later_day_covers_neither_on_the_dashboard_nor_on_the_coverage_page(
    hand_roster,
    holder,
    default_set,
    city_org,
    client_for,  # noqa: F811
):
    period = running_period(default_set, end=TODAY + datetime.timedelta(days=30))
    holder(G_A2, Post.GRID_HEAD, "待到任", phone="13900000098", start_date=TODAY + datetime.timedelta(days=7))

    rollup(period)

    stored = AreaFigure.objects.get(period=period, area__code=STREET_A, key="grids.heads_coverage")
    assert (stored.numerator, stored.denominator) == combined(STREET_A)
    response = client_for(city_org).get(reverse("assessment:dashboard", args=[STREET_A]))
    assert "现为" not in response.content.decode()


@pytest.fixture
def direct_organisation(hand_roster):  # noqa: F811
    """The district's own party organisation (区直属), with two members, beside a street's."""
    district = PartyOrganisation.objects.create(
        name="朝阳区直属机关党委", kind=OrgKind.BRANCH, area=Area.objects.get(code="220104")
    )
    street = PartyOrganisation.objects.create(
        name="前进街道党工委", kind=OrgKind.STREET_COMMITTEE, area=Area.objects.get(code=STREET_A)
    )
    for name in ("直属甲", "直属乙"):
        PartyMember.objects.create(name=name, organisation=district)
    PartyMember.objects.create(name="街道丙", organisation=street)
    return district


def test_the_district_rows_add_up_with_its_own_direct_row(direct_organisation, default_set, city_org, client_for):
    period = running_period(default_set)
    rollup(period)

    response = client_for(city_org).get(reverse("assessment:dashboard", args=["220104"]))

    rows = response.context["figure_rows"]
    direct = next(row for row in rows if row.label == "朝阳区直属")
    assert direct.figures["orgs.organisations"] == (1, 0) and direct.figures["orgs.members"] == (2, 0)
    total = next(row for row in rows if row.total)
    for key in ("orgs.organisations", "orgs.members", "grids.grids"):
        children = sum(score.figures.get(key, (0, 0))[0] for score in response.context["children"])
        others = sum(row.figures[key][0] for row in rows if not row.total)
        assert children + others == total.figures[key][0] == tile(response, key).numerator, key
    page = response.content.decode()
    assert "<tfoot" in page and "朝阳区直属" in page and "合计" in page


def test_the_export_carries_the_direct_row_and_the_total(direct_organisation, default_set, city_org, client_for):
    import io

    import openpyxl

    period = running_period(default_set)
    rollup(period)

    response = client_for(city_org).get(reverse("assessment:dashboard_export", args=["220104"]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "朝阳区直属" in names and names[-1] == "合计"
