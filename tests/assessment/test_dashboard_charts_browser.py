"""The assessment dashboard's charts (templates/assessment/includes/charts.html, static/js/dashboard.js)
in headless Chromium, behind the portal's real middleware and Content-Security-Policy: a page of
this module's own URLconf extends base.html and includes the partial with a sample `charts` dict.

Each chart draws on a canvas without a CSP violation or a console error, at a desktop's and a
phone's width; a bar and a treemap block follow their links; empty data says 暂无数据; a
[data-sparkline] cell gets its SVG line; for print the charts take their paper size. Screenshots
go to /tmp/charts-shots/ (CHARTS_SHOTS overrides) for a look by eye."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from tests.urls import urlpatterns as portal_urlpatterns

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.urls(__name__)]

SHOTS = Path(os.environ.get("CHARTS_SHOTS") or "/tmp/charts-shots")
CHARTS = ("ranking", "trend", "coverage", "tree")
CSP_VIOLATION = "Content Security Policy"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

PAGE = """{% extends "base.html" %}
{% block title %}长春市 考核排名{% endblock %}
{% block content %}
<div class="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-3">
  <h1 class="h4 mb-0">长春市 考核排名</h1>
  <form method="get" class="d-flex gap-1 align-items-center">
    <label class="small text-nowrap" for="period">考核周期</label>
    <select class="form-select form-select-sm" id="period" name="period"><option>2026年第3季度</option></select>
    <button class="btn btn-sm btn-outline-primary text-nowrap" type="submit">查看</button></form>
</div>
<div class="row row-cols-2 row-cols-md-4 g-2 mb-3 text-center headline">
  <div><div class="card card-body"><div class="fs-4 fw-semibold">84.20</div><div class="small">得分</div></div></div>
  <div><div class="card card-body"><div class="fs-4 fw-semibold">—</div><div class="small">同级排名</div></div></div>
  <div><div class="card card-body"><div class="fs-4 fw-semibold">+1.10</div><div class="small">较上期</div></div></div>
  <div><div class="card card-body"><a class="fs-6 fw-semibold" href="#">得分明细 ›</a></div></div>
</div>
{% include "assessment/includes/charts.html" %}
<section class="card mb-3"><div class="card-header">下级排名</div>
<div class="table-responsive"><table class="table table-sm mb-0 ranking"><thead><tr><th>名次</th><th>区划</th>
<th class="text-end">得分</th><th>走势</th></tr></thead><tbody>
{% for name, score, trend in rows %}<tr><td>{{ forloop.counter }}</td><td>{{ name }}</td>
<td class="text-end">{{ score }}</td><td>{% include "assessment/includes/sparkline.html" with values=trend %}</td></tr>
{% endfor %}</tbody></table></div></section>
{% endblock %}
"""

# name, code, score, grids, streets (name, score, grids)
DISTRICTS = [
    (
        "南关区",
        "220102",
        "88.50",
        420,
        [("桃源街道", "91.20", 60), ("永吉街道", "86.00", 48), ("自强街道", "84.30", 52)],
    ),
    (
        "朝阳区",
        "220104",
        "87.10",
        390,
        [("前进街道", "89.00", 70), ("桂林街道", "85.10", 64), ("红旗街道", "86.40", 40)],
    ),
    ("宽城区", "220103", "85.65", 360, [("新发街道", "83.00", 55), ("站前街道", "88.90", 47)]),
    ("绿园区", "220106", "84.00", 330, [("正阳街道", "82.10", 66), ("春城街道", "85.50", 38)]),
    ("二道区", "220105", "81.35", 300, [("东盛街道", "79.80", 50), ("吉林街道", "83.40", 45)]),
    ("长春新区", "220173", "80.90", 180, [("北湖街道", "80.00", 40), ("长德街道", "82.00", 30)]),
    ("双阳区", "220112", "78.20", 150, [("云山街道", "77.00", 35), ("平湖街道", "79.60", 28)]),
    ("长春净月高新技术产业开发区", "220172", "76.40", 120, [("永兴街道", "74.20", 30), ("净月街道", "78.10", 26)]),
    ("九台区", "220113", "72.85", 210, [("九郊街道", "70.40", 44), ("营城街道", "58.00", 36)]),
    ("汽车经济技术开发区", "220174", "65.30", 140, [("东风街道", "63.00", 32), ("锦程街道", "67.90", 30)]),
]


def link(code):
    return f"/charts-test/area/{code}/?period=3"


def sample_charts():
    """The contract of the partial, as the dashboard view will fill it (Decimals included)."""
    return {
        "ranking": {
            "names": [d[0] for d in DISTRICTS],
            "scores": [Decimal(d[2]) for d in DISTRICTS],
            "last": [i >= len(DISTRICTS) - 2 for i in range(len(DISTRICTS))],
            "links": [link(d[1]) for d in DISTRICTS],
        },
        "trend": {
            "periods": ["2025年第3季度", "2025年第4季度", "2026年第1季度", "2026年第2季度", "2026年第3季度"],
            "scores": [Decimal("78.40"), Decimal("80.20"), None, Decimal("83.10"), Decimal("84.20")],
        },
        "coverage": {
            "names": [d[0] for d in DISTRICTS],
            "series": [
                {"name": "网格长", "values": [0.98, 0.96, 0.93, 0.95, 0.9, 0.88, 0.85, 0.8, 0.76, 0.7]},
                {"name": "楼栋长", "values": [0.9, 0.87, 0.85, 0.8, 0.82, 0.7, 0.66, 0.6, 0.55, 0.5]},
                {"name": "单元长", "values": [0.81, 0.78, 0.7, None, 0.66, 0.6, 0.52, 0.45, 0.4, 0.31]},
            ],
        },
        "tree": {
            "name": "长春市",
            "value": Decimal("84.20"),
            "children": [
                {
                    "name": name,
                    "value": Decimal(score),
                    "size": grids,
                    "link": link(code),
                    "children": [
                        {"name": street, "value": Decimal(points), "size": size, "link": link(f"{code}{n:03d}")}
                        for n, (street, points, size) in enumerate(streets, start=1)
                    ],
                }
                for name, code, score, grids, streets in DISTRICTS
            ],
        },
    }


COMMUNITIES = [
    f"{place}社区"
    for place in "东风 西安 长青 红旗 永安 平安 光明 幸福 和平 建设 新华 胜利 团结 民主 繁荣 兴华 福安 朝阳 "
    "春城 湖西 桂林路 北安路 南岭东 重庆路".split()
]


def many_charts():
    """A street of 24 communities and twelve months: the most a chart is asked to hold."""
    n = len(COMMUNITIES)
    scores = [round(95 - i * 1.3 - (i % 3) * 0.4, 2) for i in range(n)]
    return {
        "ranking": {
            "names": COMMUNITIES,
            "scores": scores,
            "last": [i == n - 1 for i in range(n)],
            "links": [link(f"220104001{i:03d}") for i in range(1, n + 1)],
        },
        "trend": {"periods": [f"2025年{m}月" for m in range(1, 13)], "scores": [70 + m * 1.2 for m in range(12)]},
        "coverage": {
            "names": COMMUNITIES,
            "series": [
                {"name": post, "values": [max(0.0, 1 - i * 0.02 - k * 0.1) for i in range(n)]}
                for k, post in enumerate(["网格长", "楼栋长", "单元长"])
            ],
        },
        "tree": {
            "name": "前进街道",
            "value": 82,
            "children": [
                {"name": name, "value": scores[i], "size": 4 + i % 7, "link": link(f"220104001{i + 1:03d}")}
                for i, name in enumerate(COMMUNITIES)
            ],
        },
    }


EMPTY = {
    "ranking": {"names": [], "scores": [], "last": [], "links": []},
    "trend": {"periods": [], "scores": []},
    "coverage": {"names": [], "series": [{"name": "网格长", "values": []}]},
    "tree": {"name": "长春市", "value": None, "children": []},
}

ROWS = [
    ("南关区", "88.50", [Decimal("80.10"), Decimal("82.30"), Decimal("88.50")]),
    ("朝阳区", "87.10", [Decimal("89.00"), None, Decimal("87.10")]),
    ("九台区", "72.85", [Decimal("72.85")]),
]


def charts_page(request, which):
    charts = {"full": sample_charts, "many": many_charts, "empty": lambda: EMPTY, "missing": dict}[which]()
    template = engines["django"].from_string(PAGE)
    return HttpResponse(template.render({"charts": charts, "rows": ROWS}, request))


def followed(request, code):
    return HttpResponse(f'<!doctype html><link rel="icon" href="data:,"><title>{code}</title><p>{code}</p>')


urlpatterns = [
    path("charts-test/area/<str:code>/", followed),
    path("charts-test/<str:which>/", charts_page),
    *portal_urlpatterns,
]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Visit:
    """A page of this module in a fresh browser context, with every console error, page error and
    CSP violation recorded."""

    def __init__(self, browser, base_url, viewport, phone=False):
        self.context = browser.new_context(
            locale="zh-CN", viewport=viewport, device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.page.add_init_script(WATCH_CSP)
        self.base_url = base_url
        self.problems = []
        self.page.on("console", self.console)
        self.page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))

    def console(self, message):
        if message.type == "error" or CSP_VIOLATION in message.text:
            self.problems.append(f"{message.type}: {message.text}")

    def open(self, which):
        self.page.goto(f"{self.base_url}/charts-test/{which}/")
        self.page.wait_for_function(
            f"document.querySelectorAll('[data-chart][data-chart-state]').length === {len(CHARTS)}"
        )
        # Drawn, and past the opening animation, before anything is measured or photographed.
        self.page.wait_for_timeout(1200)
        return self.page

    def option(self, chart):
        return self.page.evaluate(
            "key => echarts.getInstanceByDom(document.querySelector(`[data-chart=${key}]`)).getOption()", chart
        )

    def violations(self):
        return self.page.evaluate("window.__csp") + [p for p in self.problems if CSP_VIOLATION in p]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(transactional_db, live_server, browser):
    visits = []

    def make(viewport=DESKTOP, phone=False):
        visits.append(Visit(browser, live_server.url, viewport, phone))
        return visits[-1]

    yield make
    for v in visits:
        v.close()


def bar_point(visit, index):
    """Page coordinates of a point inside the ranking's bar `index`, whichever way the bars lie."""
    return visit.page.evaluate(
        """index => {
          const el = document.querySelector("[data-chart=ranking]");
          const chart = echarts.getInstanceByDom(el);
          const option = chart.getOption();
          const value = option.series[0].data[index].value - 1;
          const horizontal = option.yAxis[0].type === "category";
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, horizontal ? [value, index] : [index, value]);
          const box = el.getBoundingClientRect();
          return {x: box.left + x, y: box.top + y};
        }""",
        index,
    )


def hover_every_chart(visit):
    """Shows each chart's tooltip once: ECharts' default tooltip markup would carry style=""."""
    page = visit.page
    for chart in CHARTS:
        el = page.locator(f"[data-chart={chart}]")
        el.scroll_into_view_if_needed()
        if chart == "ranking":
            point = bar_point(visit, 0)
            page.mouse.move(point["x"], point["y"])
        else:
            box = el.bounding_box()
            page.mouse.move(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.5)
        tip = page.locator(f"[data-chart={chart}] .chart-tip")
        tip.first.wait_for(state="visible")
        assert "得分" in tip.first.inner_text() or "%" in tip.first.inner_text(), (chart, tip.first.inner_text())


@pytest.mark.parametrize(
    "viewport,phone,shot", [(DESKTOP, False, "desktop-1366x900.png"), (PHONE, True, "phone-390x844.png")]
)
def test_every_chart_draws_on_a_canvas_without_a_csp_violation_or_a_console_error(visit, viewport, phone, shot):
    v = visit(viewport, phone)
    page = v.open("full")

    for chart in CHARTS:
        el = page.locator(f"[data-chart={chart}]")
        assert el.get_attribute("data-chart-state") == "ready", chart
        canvas = el.locator("canvas")
        assert canvas.count() >= 1, chart
        box = canvas.first.bounding_box()
        assert box["width"] > 100 and box["height"] > 100, (chart, box)
        assert abs(box["width"] - el.bounding_box()["width"]) < 2, (chart, box)  # fills its card
    assert not page.locator("style, [style]").evaluate_all(
        "els => els.filter(e => !e.closest('[data-chart]') && !e.closest('.chart-tip'))"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], scroll_width  # nothing sticks out sideways

    sparklines = page.locator("td .sparkline svg.sparkline-svg")
    assert sparklines.count() == len(ROWS)
    assert sparklines.first.locator("polyline").get_attribute("points").count(",") == 3
    assert "sparkline-up" in sparklines.first.get_attribute("class")
    assert sparklines.nth(2).locator("polyline").count() == 0  # one score: a dot, no line

    ranking = v.option("ranking")
    if phone:  # on its side, first place on top
        assert ranking["yAxis"][0]["type"] == "category" and ranking["yAxis"][0]["inverse"] is True
    else:
        assert ranking["xAxis"][0]["type"] == "category"

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    for chart in CHARTS:  # each card alone, readable at full size
        card = page.locator(f"[data-chart={chart}]").locator("xpath=ancestor::section[1]")
        card.screenshot(path=str(SHOTS / shot.replace(".png", f"-{chart}.png")))
    hover_every_chart(v)
    page.locator("[data-chart=coverage]").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / shot.replace(".png", "-tooltip.png")))

    assert not v.violations(), v.violations()
    assert not v.problems, v.problems


@pytest.mark.parametrize(
    "viewport,phone,shot", [(DESKTOP, False, "many-1366x900.png"), (PHONE, True, "many-390x844.png")]
)
def test_two_dozen_children_and_twelve_periods_still_fit(visit, viewport, phone, shot):
    v = visit(viewport, phone)
    page = v.open("many")

    for chart in CHARTS:
        box = page.locator(f"[data-chart={chart}] canvas").first.bounding_box()
        assert box["width"] > 100 and box["height"] > 100, (chart, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if phone:  # bars on their side, the charts as tall as their rows need
        assert "chart-rows-xl" in page.locator("[data-chart=ranking]").get_attribute("class")
        assert "chart-rows-xl" in page.locator("[data-chart=coverage]").get_attribute("class")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    for chart in CHARTS:
        card = page.locator(f"[data-chart={chart}]").locator("xpath=ancestor::section[1]")
        card.screenshot(path=str(SHOTS / shot.replace(".png", f"-{chart}.png")))
    assert not v.violations(), v.violations()
    assert not v.problems, v.problems


def test_the_ranking_colours_the_last_placed_red_and_a_bar_follows_its_link(visit, live_server):
    v = visit()
    page = v.open("full")

    data = v.option("ranking")["series"][0]["data"]
    assert [d["link"] for d in data] == sample_charts()["ranking"]["links"]
    assert [d["itemStyle"]["color"] for d in data[-3:]] == ["#3b82c4", "#dc3545", "#dc3545"]
    assert data[0]["value"] == 88.5  # the Decimal's string became a number

    point = bar_point(v, 2)
    page.mouse.click(point["x"], point["y"])

    page.wait_for_url(f"{live_server.url}/charts-test/area/220103/?period=3")
    assert not v.problems, v.problems


def test_a_treemap_block_follows_its_link_and_the_tree_carries_every_link(visit, live_server):
    v = visit()
    page = v.open("full")

    nodes = v.option("tree")["series"][0]["data"]
    assert [n["link"] for n in nodes] == [link(d[1]) for d in DISTRICTS]
    assert nodes[0]["children"][0]["link"] == link("220102001")
    assert nodes[0]["value"] == [420, 88.5]  # area by grids, colour by score

    tree = page.locator("[data-chart=tree]")
    tree.scroll_into_view_if_needed()
    box = tree.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.5)

    page.wait_for_url(f"{live_server.url}/charts-test/area/**")
    assert not v.problems, v.problems


@pytest.mark.parametrize("which", ["empty", "missing"])
def test_a_chart_without_data_says_so(visit, which):
    v = visit()
    page = v.open(which)

    for chart in CHARTS:
        el = page.locator(f"[data-chart={chart}]")
        assert el.get_attribute("data-chart-state") == "empty", chart
        assert el.inner_text().strip() == "暂无数据", chart
        assert el.locator("canvas").count() == 0, chart
    assert not page.locator(".dashboard-charts .card-footer").first.is_visible()  # no legend for nothing
    if which == "empty":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "empty-1366x900.png"), full_page=True)
    assert not v.violations(), v.violations()
    assert not v.problems, v.problems


def test_for_print_the_charts_take_their_paper_size_and_the_page_drops_its_controls(visit):
    a4 = {"width": 794, "height": 1123}  # A4 at 96 dpi
    v = visit(DESKTOP)
    page = v.open("full")
    width = "key => echarts.getInstanceByDom(document.querySelector(`[data-chart=${key}]`)).getWidth()"

    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    print_width = round(170 * 96 / 25.4)
    assert [page.evaluate(width, chart) for chart in CHARTS] == [print_width] * len(CHARTS)

    page.set_viewport_size(a4)
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    for chart in CHARTS:
        el = page.locator(f"[data-chart={chart}]")
        assert abs(page.evaluate(width, chart) - el.bounding_box()["width"]) < 2, chart
        assert abs(el.bounding_box()["width"] - print_width) < 2, chart
    assert not page.locator("nav.navbar-portal").is_visible()
    assert not page.locator("main form").is_visible()
    assert page.locator(".headline .card").first.is_visible()
    assert page.locator("table.ranking").is_visible()

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "print-a4.png"), full_page=True)
    page.pdf(path=str(SHOTS / "report.pdf"), format="A4", print_background=True)

    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.set_viewport_size(DESKTOP)
    page.wait_for_timeout(300)
    ranking = page.locator("[data-chart=ranking]")
    assert abs(page.evaluate(width, "ranking") - ranking.bounding_box()["width"]) < 2
    assert not v.violations(), v.violations()
    assert not v.problems, v.problems


def luminance(colour):
    """WCAG relative luminance of "#rrggbb", "rgb(r,g,b)" or "rgba(r,g,b,a)" (its alpha ignored)."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [float(c) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def behind(label, block):
    """The colour behind a label's text: its own background laid over the block, or the block."""
    chip = label.get("backgroundColor")
    if not chip or chip == "transparent":
        return block
    parts = [float(c) for c in chip[chip.index("(") + 1 : chip.index(")")].split(",")]
    alpha = parts[3] if len(parts) == 4 else 1
    base = [float(c) for c in block[block.index("(") + 1 : block.index(")")].split(",")[:3]]
    return "rgb({})".format(",".join(str(alpha * c + (1 - alpha) * b) for c, b in zip(parts[:3], base, strict=True)))


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("viewport,phone", [(DESKTOP, False), (PHONE, True)])
def test_the_treemaps_labels_are_readable_on_every_colour_of_the_scale(visit, viewport, phone):
    """Issue 15, 32: labels of 11 px, white on yellow and orange. Every block's label is at least
    13 px and its text stands out from what lies behind it by WCAG AA's 4.5:1."""
    v = visit(viewport, phone)
    v.open("full")
    series = v.option("tree")["series"][0]

    def blocks(nodes):
        for node in nodes:
            yield node
            yield from blocks(node.get("children", []))

    checked = 0
    for node in blocks(series["data"]):
        label = {**series["label"], **node.get("label", {})}
        colour = node["itemStyle"]["color"]
        assert label["fontSize"] >= 13, (node["name"], label["fontSize"])
        ratio = contrast(label["color"], behind(label, colour))
        assert ratio >= 4.5, (node["name"], colour, label["color"], round(ratio, 2))
        checked += 1
    assert checked == len(DISTRICTS) + sum(len(d[4]) for d in DISTRICTS)
    assert series["upperLabel"]["fontSize"] >= 13
