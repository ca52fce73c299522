"""Two claims at once (双向认领's race, issue 20 "bad input"): real concurrent transactions, each
claim in a thread of its own with its own connection; the first holds its transaction open after
claiming, the second starts meanwhile and waits on the row's lock; when the first commits, the
second is refused in Chinese with what the item became — one project, never two."""

from decimal import Decimal

import pytest

from funds import projects_flow as flow
from funds.models import Project, ProviderKind
from funds.models_projects import Demand, DemandStatus, Resource, ResourceStatus
from tests.assessment.test_approval_races import race

from .projects_cast import *  # noqa: F403  (the cast's fixtures)
from .projects_cast import COMMUNITY_A1, GRID_A1

pytestmark = pytest.mark.django_db(transaction=True)


def test_of_two_claims_of_a_demand_at_once_one_wins_and_the_other_is_told(danwei, community_a1, demands, units):
    demand = Demand.objects.get(pk=demands["a1"].pk)

    def by_unit():
        flow.claim_demand(
            demand, danwei, flow.set_provider(Project(), ProviderKind.UNIT, unit=units["zhujian"]), seen="open"
        )

    def by_team():
        flow.claim_demand(
            demand,
            community_a1,
            flow.set_provider(Project(), ProviderKind.TEAM, team="red"),
            seen="open",
            subject=flow.subject_of(demand),
        )

    one, two, waited = race(by_unit, by_team)

    assert waited  # the second claim waited on the first's lock
    assert one.done and two.refused
    assert "刚刚已变为“已认领”" in two.refused
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.CLAIMED
    assert list(Project.objects.values_list("provider_label", flat=True)) == ["市住建局"]


def test_of_two_claims_of_the_rest_of_a_resource_at_once_the_second_is_told(areas, community_a1, street_a, resource):
    def first():
        flow.claim_resource(resource, street_a, area=areas[COMMUNITY_A1], quantity=Decimal("10"), seen="open")

    def second():
        flow.claim_resource(resource, community_a1, area=areas[GRID_A1], quantity=Decimal("3"), seen="open")

    one, two, _waited = race(first, second)

    assert one.done and two.refused
    assert "刚刚已变为“已用完”" in two.refused
    assert Resource.objects.get(pk=resource.pk).status == ResourceStatus.USED_UP
    assert Project.objects.count() == 1
