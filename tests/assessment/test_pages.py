"""The assessment's pages (issue #10, first pages): the city's organisation department opens a
period, runs the rollup and closes it; the dashboards rank children and name the last-placed; a
community sees its siblings' names, scores and ranks, never their breakdowns."""

import datetime

import pytest
from django.urls import reverse

from assessment import approvals
from assessment.approvals import APPROVAL
from assessment.models import Approval, AreaFigure, Entry, Evidence, IndicatorSet, Period, Score, Value
from core.testing import Case, Page, PermissionMatrix, transition_pages
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user
from tests.grids.conftest import holder, id_number  # noqa: F401  (fixtures)
from tests.grids.test_coverage import hand_roster  # noqa: F401  (fixture)

TODAY = datetime.date.today()
DEFAULT_SET = "党建引领基层治理考核指标（默认）"


@pytest.fixture
def scored(hand_roster, city_org):  # noqa: F811
    from assessment.tasks import start_rollup

    period = Period.objects.create(
        kind="quarter", start=TODAY.replace(day=1), end=TODAY, indicator_set=IndicatorSet.objects.get(name=DEFAULT_SET)
    )
    start_rollup(period, city_org)
    return period


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas["220104001001"])


def test_the_city_department_opens_runs_and_closes_a_period(hand_roster, city_org, client_for):  # noqa: F811
    client = client_for(city_org)

    response = client.post(
        reverse("assessment:period_list"),
        {
            "year": TODAY.year,
            "part": f"quarter-{(TODAY.month - 1) // 3 + 1}",
            "indicator_set": IndicatorSet.objects.get(name=DEFAULT_SET).pk,
        },
    )
    period = Period.objects.get()
    assert response["Location"] == reverse("assessment:period_detail", args=[period.pk])
    client.post(reverse("assessment:period_run", args=[period.pk]))
    detail = client.get(reverse("assessment:period_detail", args=[period.pk])).content.decode()
    assert "已写入" in detail and Score.objects.filter(period=period).exists()

    client.post(reverse("assessment:period_close", args=[period.pk]))
    before = list(Score.objects.filter(period=period).values_list("area_id", "points"))
    refused = client.post(reverse("assessment:period_run", args=[period.pk]), follow=True).content.decode()
    assert "不能重新计算" in refused
    assert list(Score.objects.filter(period=period).values_list("area_id", "points")) == before


def test_a_street_cadre_may_not_open_or_run_periods(scored, street_a, client_for):
    client = client_for(street_a)

    assert client.post(reverse("assessment:period_run", args=[scored.pk])).status_code == 404
    assert "开启新的考核周期" not in client.get(reverse("assessment:period_list")).content.decode()


def test_the_district_dashboard_ranks_its_streets_and_names_the_last(scored, city_org, client_for):
    response = client_for(city_org).get(reverse("assessment:dashboard", args=["220104"]))

    children = response.context["children"]
    assert [s.area.code for s in children] == ["220104002", "220104001"]
    assert [s.rank for s in children] == [1, 2] and children[1].last_place
    assert "末位" in response.content.decode()


def test_a_community_sees_its_siblings_ranks_but_not_their_breakdowns(scored, areas, community_a1, client_for):
    client = client_for(community_a1)
    other = make_user("community_a2", Role.COMMUNITY_CADRE, areas["220104001002"])  # noqa: F841

    own = client.get(reverse("assessment:dashboard", args=["220104001001"]))
    assert '<div class="card-header">同级排名</div>' in own.content.decode()  # beside its own grids' ranking
    assert [s.area.code for s in own.context["siblings"]] == [
        s.area.code
        for s in Score.objects.filter(period=scored, area__parent__code="220104001").order_by("rank", "area__code")
    ]
    breakdown = client.get(reverse("assessment:breakdown", args=["220104001001"])).content.decode()
    assert "网格长覆盖率" in breakdown and "有网格长的网格" in breakdown
    assert client.get(reverse("assessment:breakdown", args=["220104001002"])).status_code == 404
    assert client.get(reverse("assessment:dashboard", args=["220104001"])).status_code == 404


class TestAssessmentMatrix(PermissionMatrix):
    pages = [
        Page("assessment:period_list", lambda o: reverse("assessment:period_list"), insider="street_a"),
        Page(
            "assessment:period_detail",
            lambda o: reverse("assessment:period_detail", args=[o["period"].pk]),
            insider="street_a",
        ),
        Page(
            "assessment:period_run",
            lambda o: reverse("assessment:period_run", args=[o["period"].pk]),
            method="post",
            insider="city_org",
            outsider="street_a",
            ok=302,
        ),
        Page(
            "assessment:period_close",
            lambda o: reverse("assessment:period_close", args=[o["period"].pk]),
            insider="city_org",
            outsider="street_a",
        ),
        Page(
            "assessment:period_delete",
            lambda o: reverse("assessment:period_delete", args=[o["period"].pk]),
            insider="city_org",
            outsider="street_a",
        ),
        Page(
            "assessment:rollup_progress",
            lambda o: reverse("assessment:rollup_progress", args=[o["period"].rollups.first().pk]),
            insider="city_org",
            outsider="street_a",
        ),
        Page(
            "assessment:dashboard",
            lambda o: reverse("assessment:dashboard", args=["220104001"]),
            insider="street_a",
            outsider="street_b",
            # While the period runs, three tiles are read again as their own pages show them now
            # (issue 15, 5): the coverage through its tallies, recounted on the day's first read.
            max_queries=30,
        ),
        Page(
            "assessment:breakdown",
            lambda o: reverse("assessment:breakdown", args=["220104001"]),
            insider="street_a",
            outsider="street_b",
            max_queries=20,
        ),
    ]

    pages += [
        Page("indicator-list", lambda o: "/api/indicators/", insider="street_a", api=True, max_queries=10),
        Page("period-list", lambda o: "/api/periods/", insider="street_a", api=True, max_queries=10),
        Page("period-detail", lambda o: f"/api/periods/{o['period'].pk}/", insider="street_a", api=True),
        Page(
            "indicator-detail",
            lambda o: f"/api/indicators/{o['period'].indicator_set.indicators.first().pk}/",
            insider="street_a",
            api=True,
        ),
        Page("score-list", lambda o: "/api/scores/", insider="street_a", api=True, max_queries=10),
        Page(
            "score-detail",
            lambda o: f"/api/scores/{Score.objects.get(period=o['period'], area__code='220104002').pk}/",
            insider="street_b",
            outsider="street_a",
            api=True,
        ),
        Page("value-list", lambda o: "/api/values/", insider="street_a", api=True, max_queries=10),
        Page(
            "value-detail",
            lambda o: f"/api/values/{Value.objects.filter(period=o['period'], area__code='220104002').first().pk}/",
            insider="street_b",
            outsider="street_a",
            api=True,
        ),
        Page(
            "period-detail",
            lambda o: f"/api/periods/{o['period'].pk}/",
            method="delete",
            insider="city_org",
            api=True,
            ok=405,
        ),
    ]

    pages += [
        Page("assessment:set_list", lambda o: reverse("assessment:set_list"), insider="street_a"),
        Page(
            "assessment:set_detail", lambda o: reverse("assessment:set_detail", args=[o["copy"].pk]), insider="street_a"
        ),
        Page(
            "assessment:set_edit",
            lambda o: reverse("assessment:set_edit", args=[o["copy"].pk]),
            insider="city_org",
            outsider="street_a",
        ),
        Page(
            "assessment:dashboard_export",
            lambda o: reverse("assessment:dashboard_export", args=["220104001"]),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "assessment:entry",
            lambda o: reverse("assessment:entry", args=["220104001"]),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "assessment:entry_edit",
            lambda o: reverse("assessment:entry_edit", args=["220104001001", o["entry"].indicator_id]),
            insider="community_a1",
            outsider="street_b",
        ),
        Page(
            "assessment:evidence",
            lambda o: reverse("assessment:evidence", args=[o["evidence"].pk]),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "assessment:evidence_delete",
            lambda o: reverse("assessment:evidence_delete", args=[o["evidence"].pk]),
            method="post",
            insider="community_a1",
            outsider="street_b",
            ok=302,
            state=lambda o: list(Evidence.objects.values_list("pk", flat=True)),
        ),
        Page("entry-list", lambda o: "/api/entries/", insider="street_a", api=True, max_queries=10),
        Page(
            "entry-detail",
            lambda o: f"/api/entries/{o['entry'].pk}/",
            insider="street_a",
            outsider="street_b",
            api=True,
        ),
        Page("approval-list", lambda o: "/api/approvals/", insider="street_a", api=True, max_queries=10),
        Page(
            "approval-detail",
            lambda o: f"/api/approvals/{o['approval'].pk}/",
            insider="street_b",
            outsider="street_a",
            api=True,
        ),
        Page("figure-list", lambda o: "/api/figures/", insider="street_a", api=True, max_queries=10),
        Page(
            "figure-detail",
            lambda o: (
                f"/api/figures/{AreaFigure.objects.filter(period=o['period'], area__code='220104002').first().pk}/"
            ),
            insider="street_b",
            outsider="street_a",
            api=True,
        ),
    ]

    # 上报, 验收, 退回 (approvals.APPROVAL): the confirmation, the step and its API action of each.
    pages += transition_pages(
        APPROVAL,
        page_name="assessment:entry_{name}",
        api_name="approvalstep-{name}",
        api_url=lambda t: f"/api/approval-steps/{t.name}/",
        state=lambda o: sorted(Approval.objects.values_list("area__code", "status", "reason")),
        cases={
            "submit": Case(  # A1 has entered everything, with its evidence
                lambda o: reverse("assessment:entry_submit", args=["220104001001"]) + f"?period={o['period'].pk}",
                insider="community_a1",
                outsider="street_b",
                data=lambda o: {"period": o["period"].pk, "state": ""},
                api_data=lambda o: {"period": o["period"].pk, "area": "220104001001"},
            ),
            "accept": Case(  # street B stands submitted
                lambda o: reverse("assessment:entry_accept", args=["220104002"]) + f"?period={o['period'].pk}",
                insider="city_org",
                outsider="street_a",  # a street does not accept
                data=lambda o: {"period": o["period"].pk, "state": "submitted"},
                api_data=lambda o: {"period": o["period"].pk, "area": "220104002", "state": "submitted"},
            ),
            "return": Case(  # A2 stands submitted, its street has not
                lambda o: reverse("assessment:entry_return", args=["220104001002"]) + f"?period={o['period'].pk}",
                insider="street_a",
                outsider="street_b",
                data=lambda o: {"period": o["period"].pk, "reason": "台账不全"},
                api_data=lambda o: {"period": o["period"].pk, "area": "220104001002", "reason": "台账不全"},
            ),
        },
    )

    @pytest.fixture
    def objects(self, scored, community_a1, settings, tmp_path):
        from django.core.files.base import ContentFile

        from assessment.set_views import copy_set

        settings.MEDIA_ROOT = tmp_path
        leaf = scored.indicator_set.indicators.filter(method="entered").first()
        entry = Entry.objects.create(
            period=scored,
            indicator=leaf,
            area=Area.objects.get(code="220104001001"),
            numerator=3,
            denominator=4,
            entered_by=community_a1,
        )
        evidence = Evidence(entry=entry, name="台账.pdf", size=9, uploaded_by=community_a1)
        evidence.file.save("台账.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
        evidence.save()
        for other in approvals.entered_leaves(scored, "community"):  # the rest of A1's, for its submission
            if other.pk != leaf.pk:
                more = Entry.objects.create(
                    period=scored, indicator=other, area=entry.area, numerator=1, denominator=2, entered_by=community_a1
                )
                Evidence.objects.create(entry=more, file="evidence/a1.pdf", name="台账.pdf", size=9)
        street_b = Area.objects.get(code="220104002")  # a submission beside the community's open entry
        approval = Approval.objects.create(period=scored, area=street_b, status="submitted", by=community_a1)
        Approval.objects.create(period=scored, area=Area.objects.get(code="220104001002"), status="submitted")
        return {
            "period": scored,
            "copy": copy_set(scored.indicator_set, "复制的指标体系"),
            "entry": entry,
            "evidence": evidence,
            "approval": approval,
        }


def test_the_api_serves_only_the_scores_and_values_of_the_callers_scope(scored, street_a, client_for):
    client = client_for(street_a)

    scores = client.get(f"/api/scores/?period={scored.pk}", HTTP_ACCEPT="application/json").json()["results"]
    values = client.get(f"/api/values/?period={scored.pk}", HTTP_ACCEPT="application/json").json()["results"]

    assert scores and all(s["area"].startswith("220104001") for s in scores)
    assert values and all(v["area"].startswith("220104001") for v in values)


def test_the_api_narrows_scores_to_a_period(scored, street_a, client_for):
    empty = Period.objects.create(
        kind="year", start=TODAY.replace(month=1, day=1), end=TODAY, indicator_set=scored.indicator_set
    )
    client = client_for(street_a)

    assert client.get(f"/api/scores/?period={empty.pk}", HTTP_ACCEPT="application/json").json()["results"] == []
    assert client.get(f"/api/scores/?period={scored.pk}", HTTP_ACCEPT="application/json").json()["results"]
