"""A city-level role over the only tree is the whole city (orgs.scoping.Scope.whole): its lists
need no join to the areas, a city's lists walk their own order. It must reach exactly what the
code prefix reaches — and no more once a second city shares the database."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from orgs import tree
from orgs.choices import AreaLevel, Role
from orgs.models import Area
from orgs.scoping import Action, user_scopes, within
from party.models import InServiceMember, Meeting, PartyOrganisation, ReportingUnit
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def second_city():
    """吉林市 beside 长春市: a root of its own, with a community and a party branch in it."""
    with transaction.atomic():
        jilin = tree.insert_area(Area(code="2202", name="吉林市", level=AreaLevel.CITY))
        district = tree.insert_area(Area(code="220202", name="昌邑区", level=AreaLevel.DISTRICT, parent=jilin))
        street = tree.insert_area(Area(code="220202001", name="站前街道", level=AreaLevel.STREET, parent=district))
        community = tree.insert_area(
            Area(code="220202001001", name="站前社区", level=AreaLevel.COMMUNITY, parent=street)
        )
    return community


def records(areas):
    """A branch, a meeting and an in-service member in each community of the cast."""
    for code in ("220104001001", "220104002001"):
        area = areas[code]
        branch = PartyOrganisation.objects.create(name=f"{area.name}党支部", kind="branch", area=area)
        Meeting.objects.create(organisation=branch, kind="general_meeting", topic=f"{area.name}支部党员大会")
        unit = ReportingUnit.objects.create(name=f"{area.name}共建单位", kind="agency", area=area)
        InServiceMember.objects.create(name=f"{area.name}在职党员", unit=unit, community=area)


def scoped(model, user):
    with CaptureQueriesContext(connection) as captured:
        found = set(model.objects.scoped(user).values_list("pk", flat=True))
    return found, " ".join(query["sql"] for query in captured.captured_queries)


def test_the_city_department_of_the_only_city_reaches_every_row_without_a_join_to_the_areas(areas):
    records(areas)
    city = make_user("zuzhibu_cc", Role.ORG_DEPARTMENT, areas["2201"])
    street = make_user("jiedao_a", Role.STREET_CADRE, areas["220104001"])

    assert [scope.whole for scope in user_scopes(city, Action.VIEW)] == [True]
    assert [scope.whole for scope in user_scopes(street, Action.VIEW)] == [False]
    for model, path in ((Meeting, "organisation__area__code"), (InServiceMember, "community__code")):
        found, sql = scoped(model, city)
        assert found == set(model.objects.filter(within(path, "2201")).values_list("pk", flat=True))
        assert len(found) == 2
        assert "LIKE" not in sql  # no prefix test on a joined area
        street_found, street_sql = scoped(model, street)
        assert len(street_found) == 1 and "LIKE" in street_sql


def test_once_a_second_city_shares_the_database_each_city_sees_only_its_own(areas):
    records(areas)
    jilin_community = second_city()
    jilin_branch = PartyOrganisation.objects.create(name="站前社区党支部", kind="branch", area=jilin_community)
    jilin_meeting = Meeting.objects.create(organisation=jilin_branch, kind="general_meeting", topic="站前")
    unit = ReportingUnit.objects.create(name="吉林共建单位", kind="agency", area=jilin_community)
    jilin_member = InServiceMember.objects.create(name="吉林在职党员", unit=unit, community=jilin_community)
    city = make_user("zuzhibu_cc", Role.ORG_DEPARTMENT, areas["2201"])

    assert [scope.whole for scope in user_scopes(city, Action.VIEW)] == [False]
    meetings, _sql = scoped(Meeting, city)
    members, _sql = scoped(InServiceMember, city)
    assert len(meetings) == 2 and jilin_meeting.pk not in meetings
    assert len(members) == 2 and jilin_member.pk not in members
