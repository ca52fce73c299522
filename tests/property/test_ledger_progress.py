"""台账进度: how many remain, closed this quarter and overdue, per area and per child, against a
hand-built ledger; the burn-down from the entries' history toward zero on 31 December; the page,
its export and its scope."""

import datetime
import io

import openpyxl
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import StateChange
from property.choices import LedgerStatus, ManagementMode
from property.ledger import close_with
from property.ledger_summary import burndown, burndown_series, quarter_start, summary, week_dates
from property.models import Compound, LedgerEntry
from tests.helpers import with_lazy_parts

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, DISTRICT, STREET_A, STREET_B

LedgerEntryEvent = apps.get_model("property", "LedgerEntryEvent")


def bare(areas, name, community, deadline=None):
    compound = Compound.objects.create(name=name, community=areas[community], mode=ManagementMode.NONE)
    entry = compound.ledger_entries.get()
    if deadline:
        entry.deadline = deadline
        entry.save()
    return entry


def close(entry, user, moved_to=None):
    """Close in one step (社区代管 with evidence); `moved_to`: when the step was taken."""
    close_with(entry, user, mode=ManagementMode.COMMUNITY, evidence=SimpleUploadedFile("协议.pdf", b"%PDF-1.4 x"))
    if moved_to:
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(LedgerEntry), object_id=entry.pk
        ).update(at=moved_to)


def hand_built(areas, user):
    """Street A: one overdue, one on time, one closed this quarter (community A2), one closed last
    quarter; street B: one on time."""
    today = timezone.localdate()
    bare(areas, "逾期小区", COMMUNITY_A1, deadline=today - datetime.timedelta(days=3))
    bare(areas, "按期小区", COMMUNITY_A1)
    close(bare(areas, "本季销号", COMMUNITY_A2), user)
    long_ago = timezone.make_aware(datetime.datetime.combine(quarter_start(today), datetime.time())) - (
        datetime.timedelta(days=10)
    )
    close(bare(areas, "上季销号", COMMUNITY_A1), user, moved_to=long_ago)
    bare(areas, "桂林无物业", COMMUNITY_B1)


def test_the_counts_of_an_area_and_of_its_children(areas, street_a):
    hand_built(areas, street_a)

    total, children = summary(areas[DISTRICT])

    assert (total.remain, total.closed_this_quarter, total.overdue) == (3, 1, 1)
    by_code = {child.code: (f.remain, f.closed_this_quarter, f.overdue) for child, f in children}
    assert by_code[STREET_A] == (2, 1, 1)
    assert by_code[STREET_B] == (1, 0, 0)
    street, communities = summary(areas[STREET_A])
    assert (street.remain, street.closed_this_quarter, street.overdue) == (2, 1, 1)
    assert {c.code: f.remain for c, f in communities} == {COMMUNITY_A1: 2, COMMUNITY_A2: 0}


def test_the_burn_down_series_from_hand_built_events():
    today = datetime.date(2026, 3, 1)
    events = [
        (1, datetime.date(2025, 12, 1), LedgerStatus.OPEN),  # on the ledger since last year
        (2, datetime.date(2026, 1, 10), LedgerStatus.OPEN),
        (1, datetime.date(2026, 2, 1), LedgerStatus.CLOSED),
        (2, datetime.date(2026, 2, 20), LedgerStatus.CLOSED),
        (2, datetime.date(2026, 2, 25), LedgerStatus.OPEN),  # reopened
    ]

    series = burndown_series(events, 2026, today)

    at = dict(zip(series["dates"], series["open"], strict=True))
    assert series["dates"][0] == "2026-01-01" and series["dates"][-1] == "2026-12-31"
    assert (at["2026-01-01"], at["2026-01-05"], at["2026-01-12"], at["2026-02-02"]) == (1, 1, 2, 1)
    assert at["2026-02-23"] == 0 and at["2026-03-01"] == 1  # today's point, after the reopening
    assert at["2026-03-02"] is None and at["2026-12-31"] is None  # the future is not drawn
    ideal = dict(zip(series["dates"], series["ideal"], strict=True))
    assert ideal["2026-01-01"] == 1 and ideal["2026-12-31"] == 0
    assert 0 < ideal["2026-07-06"] < 1


def test_week_dates_are_mondays_between_the_years_ends():
    days = week_dates(2026, datetime.date(2026, 6, 1))
    assert days[0] == datetime.date(2026, 1, 1) and days[-1] == datetime.date(2026, 12, 31)
    assert all(d.weekday() == 0 for d in days[1:-1]) and len(days) == 54


def test_the_burn_down_of_an_area_reads_the_entries_history(areas, street_a):
    today = timezone.localdate()
    entry = bare(areas, "年初无物业", COMMUNITY_A1)
    other = bare(areas, "他街无物业", COMMUNITY_B1)
    start = timezone.make_aware(datetime.datetime(today.year, 1, 1, 9))
    LedgerEntryEvent.objects.filter(pgh_obj_id__in=[entry.pk, other.pk]).update(pgh_created_at=start)

    before = burndown(areas[STREET_A], today)
    close(entry, street_a)
    after = burndown(areas[STREET_A], today)

    assert before["open"][0] == 1 and before["open"][before["dates"].index(today.isoformat())] == 1
    assert after["open"][0] == 1 and after["open"][after["dates"].index(today.isoformat())] == 0
    assert after["ideal"][0] == 1 and after["ideal"][-1] == 0


def test_the_page_shows_the_figures_the_children_and_the_chart_data(areas, street_a, client_for):
    hand_built(areas, street_a)

    page = client_for(street_a).get(reverse("property:ledger_progress", args=[STREET_A]))

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-figure="remain">2<' in html and 'data-figure="overdue">1<' in html
    assert 'data-figure="closed_this_quarter">1<' in html
    assert reverse("property:ledger_progress", args=[COMMUNITY_A1]) in html  # drill-down
    assert 'id="dashboard-charts"' in html and '"burndown"' in html and 'data-chart="burndown"' in html
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    # the children's counts under their headers: both right-aligned
    assert html.count('<th class="text-end"') == 3 and '<td class="text-end">' in html


def test_the_export_holds_the_area_and_its_children(areas, street_a, client_for):
    hand_built(areas, street_a)

    response = client_for(street_a).get(reverse("property:ledger_progress", args=[STREET_A]) + "?export=xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["区划代码", "区划", "层级", "待销号", "本季度销号", "已逾期"]
    assert [str(r[0]) for r in rows[1:]] == [STREET_A, COMMUNITY_A1, COMMUNITY_A2]
    assert [int(v) for v in rows[1][3:]] == [2, 1, 1]


def test_the_menu_leads_to_the_users_own_area_and_the_panel_links_it(areas, street_a, client_for):
    client = client_for(street_a)

    home = client.get(reverse("property:ledger_progress_home"))
    area_page = with_lazy_parts(client, reverse("orgs:area_detail", args=[STREET_A]))

    assert home.status_code == 302 and home["Location"] == reverse("property:ledger_progress", args=[STREET_A])
    assert reverse("property:ledger_progress", args=[STREET_A]) in area_page
    assert "台账进度" in client.get("/").content.decode()


def test_another_street_and_a_grid_are_not_found(areas, street_b, client_for):
    client = client_for(street_b)
    assert client.get(reverse("property:ledger_progress", args=[STREET_A])).status_code == 404
    assert client.get(reverse("property:ledger_progress", args=[STREET_A]) + "?export=csv").status_code == 404
