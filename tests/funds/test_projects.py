"""双向认领 (funds/models_projects.py, projects_flow.py): who sees which demands, resources and
projects; a claim creates the project owned by both sides and tells the other side; a claim of an
item already claimed is refused, and of two at once one wins and the other is told; a resource's
claims are counted against what it offered; a project closes with its evidence; its volunteers'
hours are read from the 双报到 service log."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.guard import CHANGE, DELETE, refusal
from core.models import Notice
from funds import projects_flow as flow
from funds.models import Project, ProjectStatus, ProviderKind
from funds.models_projects import (
    Demand,
    DemandStatus,
    ProjectMilestone,
    ProjectService,
    Resource,
    ResourceStatus,
    project_hours,
)
from funds.permissions import CLAIM_DEMAND, CLAIM_RESOURCE, CLOSE_PROJECT, KEEP_MILESTONES, KEEP_RESOURCES
from orgs.scoping import can

from .projects_cast import *  # noqa: F403  (the cast's fixtures)
from .projects_cast import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, GRID_A1, evidence


def unit_provider(unit):
    return flow.set_provider(Project(), ProviderKind.UNIT, unit=unit)


def titles(queryset):
    return sorted(queryset.values_list("title", flat=True))


class TestWhoSeesWhat:
    def test_a_unit_account_sees_the_open_demands_of_its_members_communities_and_nothing_else(
        self, danwei, demands, resource
    ):
        assert titles(Demand.objects.scoped(danwei)) == ["楼道照明维修", "独居老人助餐"]
        assert titles(Demand.objects.scoped(danwei, CLAIM_DEMAND)) == ["楼道照明维修", "独居老人助餐"]
        assert not Resource.objects.scoped(danwei).exists()
        assert not Project.objects.scoped(danwei).exists()

    def test_a_unit_registered_with_a_community_sees_its_open_demands(self, danwei_b, demands):
        assert titles(Demand.objects.scoped(danwei_b)) == ["健康义诊"]

    def test_the_unit_sees_the_project_it_owns_and_its_demand_not_the_communitys_others(
        self, danwei, community_a1, demands
    ):
        own = flow.claim_demand(demands["a1"], danwei, unit_provider(danwei.reporting_units.get()))
        Project.objects.create(area=demands["a1"].area, title="社区自办项目", started_on=own.started_on)

        assert titles(Project.objects.scoped(danwei)) == ["独居老人助餐"]
        assert titles(Demand.objects.scoped(danwei)) == ["楼道照明维修", "独居老人助餐"]
        assert titles(Project.objects.scoped(community_a1)) == ["独居老人助餐", "社区自办项目"]
        assert can(danwei, KEEP_MILESTONES, own)
        assert not can(danwei, CLOSE_PROJECT, own)

    def test_a_street_sees_its_subtree_and_a_department_sees_none(
        self, street_a, street_b, minzheng, demands, resource
    ):
        assert titles(Demand.objects.scoped(street_a)) == ["儿童课后托管", "楼道照明维修", "独居老人助餐"]
        assert titles(Demand.objects.scoped(street_b)) == ["健康义诊"]
        assert not Demand.objects.scoped(minzheng).exists()
        assert not Resource.objects.scoped(minzheng).exists()

    def test_a_resource_is_read_and_claimed_by_the_areas_it_serves(self, community_a1, street_b, grid_a1, resource):
        assert titles(Resource.objects.scoped(community_a1)) == ["志愿维修服务"]
        assert titles(Resource.objects.scoped(grid_a1, CLAIM_RESOURCE)) == ["志愿维修服务"]
        assert not Resource.objects.scoped(street_b).exists()
        assert not Resource.objects.scoped(community_a1, KEEP_RESOURCES).exists()  # kept by the street


class TestClaimingADemand:
    def test_the_claim_creates_the_project_of_both_sides_and_tells_the_community(self, danwei, community_a1, demands):
        demand = demands["a1_community"]

        project = flow.claim_demand(demand, danwei, unit_provider(danwei.reporting_units.get()))

        demand.refresh_from_db()
        assert (demand.status, demand.by, demand.claimed_at is not None) == (DemandStatus.CLAIMED, danwei, True)
        assert (project.area, project.demand, project.unit.name, project.provider_label) == (
            demand.area,
            demand,
            "市住建局",
            "市住建局",
        )
        assert (project.status, project.claimed_by, project.claim_kind) == (ProjectStatus.RUNNING, danwei, "demand")
        told = Notice.objects.get(recipient=community_a1)
        assert told.title == "需求“楼道照明维修”已被市住建局认领"

    def test_a_claimed_demand_is_refused_and_cannot_be_edited_or_deleted(self, danwei, community_a1, demands):
        demand = demands["a1"]
        flow.claim_demand(demand, danwei, unit_provider(danwei.reporting_units.get()))

        with pytest.raises(ValidationError, match="已认领”，不能再认领"):
            flow.claim_demand(demand, community_a1, unit_provider(danwei.reporting_units.get()))
        demand.refresh_from_db()
        assert refusal(demand, CHANGE) == refusal(demand, DELETE) == "需求“独居老人助餐”已被认领，不能编辑或删除。"
        assert Project.objects.count() == 1

    def test_of_two_claims_at_once_one_wins_and_the_other_is_told(self, danwei, community_a1, organisation, demands):
        demand = demands["a1"]
        seen = demand.status  # both pages showed it open
        flow.claim_demand(demand, danwei, unit_provider(danwei.reporting_units.get()), seen=seen)

        party = flow.set_provider(Project(), ProviderKind.ORGANISATION, organisation=organisation)
        with pytest.raises(ValidationError) as refused:
            flow.claim_demand(demand, community_a1, party, seen=seen, subject=flow.subject_of(demand))

        assert "刚刚已变为“已认领”" in refused.value.messages[0]
        assert "您的“认领”未执行" in refused.value.messages[0]
        assert list(Project.objects.values_list("provider_label", flat=True)) == ["市住建局"]

    def test_a_claim_without_its_provider_is_refused_in_chinese(self, community_a1, demands):
        with pytest.raises(ValidationError) as refused:
            flow.claim_demand(demands["a1"], community_a1, Project(provider_kind=ProviderKind.TEAM))

        assert refused.value.message_dict == {"team": ["请选择五彩志愿服务队。"]}
        assert Demand.objects.get(pk=demands["a1"].pk).status == DemandStatus.OPEN

    def test_a_demand_is_placed_at_a_community_or_a_grid(self, areas):
        demand = Demand(area=areas["220104001"], title="街道层面的需求", people=3)

        with pytest.raises(ValidationError) as refused:
            demand.full_clean()

        assert refused.value.message_dict["area"] == ["需求须发布在社区或网格，“前进街道”是街道/乡镇。"]


class TestClaimingAResource:
    def test_claims_are_counted_against_what_it_offered_and_the_last_uses_it_up(
        self, areas, community_a1, danwei, resource
    ):
        first = flow.claim_resource(resource, community_a1, area=areas[GRID_A1], quantity=Decimal("6"))

        assert (first.resource, first.resource_quantity, first.unit, first.area.code) == (
            resource,
            Decimal("6"),
            resource.unit,
            GRID_A1,
        )
        assert Resource.objects.get(pk=resource.pk).remaining() == Decimal("4")
        assert Notice.objects.get(recipient=danwei).title == "资源“志愿维修服务”已被第1网格认领6人次"

        with pytest.raises(ValidationError) as refused:
            flow.claim_resource(resource, community_a1, area=areas[COMMUNITY_A1], quantity=Decimal("5"))
        assert refused.value.message_dict["quantity"] == ["资源“志愿维修服务”仅剩 4人次，不足本次认领的 5人次。"]

        flow.claim_resource(resource, community_a1, area=areas[COMMUNITY_A1], quantity=Decimal("4"))
        assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.USED_UP
        resource.quantity = Decimal("8")
        with pytest.raises(ValidationError) as refused:
            resource.full_clean()
        assert refused.value.message_dict["quantity"] == ["已被认领 10人次，提供数量不能少于已认领的数量。"]
        assert refusal(resource, DELETE) == "资源“志愿维修服务”已被认领，不能删除；如不再提供，请撤回。"

    def test_of_two_claims_of_the_rest_at_once_the_second_is_told(self, areas, community_a1, street_a, resource):
        flow.claim_resource(resource, street_a, area=areas[COMMUNITY_A2], quantity=Decimal("10"), seen="open")

        with pytest.raises(ValidationError, match="刚刚已变为“已用完”"):
            flow.claim_resource(resource, community_a1, area=areas[COMMUNITY_A1], quantity=Decimal("1"), seen="open")
        assert Project.objects.count() == 1

    def test_a_claim_for_an_area_outside_the_scope_or_not_served_is_refused(
        self, areas, community_a1, street_b, resource
    ):
        with pytest.raises(ValidationError) as refused:
            flow.claim_resource(resource, community_a1, area=areas[COMMUNITY_A2], quantity=Decimal("1"))
        assert refused.value.message_dict["area"] == ["“A2社区”不在您可以认领资源的范围内。"]

        with pytest.raises(ValidationError) as refused:
            flow.claim_resource(resource, street_b, area=areas[COMMUNITY_B1], quantity=Decimal("1"))
        assert refused.value.message_dict["area"] == ["资源“志愿维修服务”不面向“B1社区”。"]
        assert not Project.objects.exists()


class TestTheProject:
    @pytest.fixture
    def project(self, danwei, demands):
        return flow.claim_demand(demands["a1"], danwei, unit_provider(danwei.reporting_units.get()))

    def test_its_hours_are_read_from_the_service_log(self, project, service, units):
        ProjectService.objects.create(project=project, record=service)

        assert project_hours(project) == Decimal("2.5")
        service.hours = Decimal("3")
        service.save()
        assert project_hours(project) == Decimal("3.0")

    def test_it_closes_with_its_evidence_and_is_kept_as_it_ended(self, project, community_a1, danwei):
        with pytest.raises(ValidationError) as refused:
            flow.close_project(project, community_a1, report="已完成", evidence=evidence("病毒.exe"))
        assert "只能上传" in refused.value.message_dict["evidence"][0]
        with pytest.raises(ValidationError) as refused:
            flow.close_project(project, community_a1, report="", evidence=None)
        assert refused.value.message_dict == {
            "report": ["请填写结项情况。"],
            "evidence": ["请上传结项材料（如活动照片、服务记录、验收单）。"],
        }

        closed = flow.close_project(project, community_a1, report="三个月送餐 180 份。", evidence=evidence())

        closed.refresh_from_db()
        assert (closed.status, closed.evidence_name, closed.report) == ("closed", "结项照片.pdf", "三个月送餐 180 份。")
        assert refusal(closed, CHANGE) == "“独居老人助餐”已结项，不能编辑或删除。"
        milestone = ProjectMilestone(project=closed, title="验收", due_on=closed.started_on)
        assert refusal(milestone, CHANGE) == "项目“独居老人助餐”已结项，其节点不能再修改。"
        assert Notice.objects.filter(recipient=danwei, title="项目“独居老人助餐”已结项").exists()

    def test_a_project_a_claim_created_is_stopped_not_deleted_and_its_unit_is_told(self, project, community_a1, danwei):
        assert refusal(project, DELETE) == "“独居老人助餐”由认领产生，不能删除；如不再实施，请终止项目。"

        flow.PROJECTS.take("stop", {"pk": project.pk}, community_a1, reason="老人已入住养老院")

        project.refresh_from_db()
        assert (project.status, project.reason) == (ProjectStatus.STOPPED, "老人已入住养老院")
        told = Notice.objects.get(recipient=danwei, title="项目“独居老人助餐”已终止")
        assert told.body.startswith("原因：老人已入住养老院") and told.url == project.get_absolute_url()
        assert not Notice.objects.filter(recipient=community_a1, title__endswith="已终止").exists()  # who stopped it
