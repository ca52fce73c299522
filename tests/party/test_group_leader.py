"""A party group (党小组) has a 组长, not a 书记 (issue #15, finding 26): its form, its page, the
chart, the list and the export call its head so; a branch keeps its 书记."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from orgs.models import Area
from party.choices import OrgKind
from party.models import PartyMember, PartyOrganisation

from .conftest import STREET_A


@pytest.fixture
def group(party):
    group = PartyOrganisation.objects.create(
        name="A1社区第1网格1栋党小组",
        kind=OrgKind.BUILDING_GROUP,
        area=Area.objects.get(code="220104001001001001"),
        parent=party["grid_a1"],
    )
    leader = PartyMember.objects.create(name="孙组长", organisation=group)
    group.secretary = leader
    group.save()
    party["grid_a1"].secretary = party["zhang"]
    party["grid_a1"].save()
    return group


def label_before(html, value):
    """The text of the label shown right before `value` on a record's page."""
    match = re.search(r"<dt[^>]*>([^<]*)</dt>\s*<dd[^>]*>(?:<a[^>]*>)?" + re.escape(value), html)
    return match.group(1).strip() if match else None


def test_the_groups_page_and_form_call_its_head_the_group_leader(group, party, street_a, client_for):
    client = client_for(street_a)

    page = client.get(group.get_absolute_url()).content.decode()
    form = client.get(reverse("party:partyorganisation_edit", args=[group.pk])).content.decode()
    branch_page = client.get(party["grid_a1"].get_absolute_url()).content.decode()

    assert label_before(page, "孙组长") == "组长"
    assert "组长：— → 孙组长" in page and "书记：" not in page  # the change history too
    assert re.search(r'<label[^>]*for="id_secretary"[^>]*>组长', form)
    assert label_before(branch_page, "张党员") == "书记"


def test_the_chart_calls_the_groups_head_its_leader(group, street_a, client_for):
    html = client_for(street_a).get(reverse("party:party_chart", args=[STREET_A])).content.decode()

    assert re.search(r"组长\s*<a[^>]*>孙组长</a>", html)
    assert re.search(r"书记\s*<a[^>]*>张党员</a>", html)


def test_the_list_and_its_export_name_the_column_for_both(group, street_a, client_for):
    client = client_for(street_a)

    listing = client.get(reverse("party:partyorganisation_list")).content.decode()
    exported = client.get(reverse("party:partyorganisation_list"), {"export": "xlsx"}).content
    header = next(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))

    assert "书记/组长" in listing
    assert "书记/组长" in header
