"""A head who is a party member counts as one, whether the roster or the party organisation says
so (the same person by ID number, core.identity), and the share of heads who are party members
counts people, not posts (issue #9)."""

from grids import coverage
from orgs.models import Area
from party.models import PartyMember
from tests.party.conftest import GRID_A1, STREET_A, party, unit_user  # noqa: F401  (fixtures)


def test_the_share_of_heads_who_are_members_counts_people_by_id_number(party, holder):  # noqa: F811
    # 张党员 holds two heads' posts; the roster records him as 群众, the party as a member.
    someone = {"id_number": party["zhang"].id_number, "political_status": "masses"}
    holder(GRID_A1, "grid_head", "张党员", **someone)
    holder("220104001001001001", "building_head", "张党员", **someone)
    holder("22010400100100100101", "unit_head", "王群众", phone="13700000001", political_status="masses")

    figures = coverage.coverage(Area.objects.get(code=STREET_A))

    assert (figures.party_heads, figures.heads) == (1, 2)  # people, not posts


def test_a_new_party_member_with_a_heads_id_number_is_counted_at_once_by_the_tallies(party, holder):  # noqa: F811
    from party.choices import MemberStatus
    from tests.party.conftest import valid_id_number

    number = valid_id_number("22010419800101099")
    holder(GRID_A1, "grid_head", "新党员", id_number=number, political_status="masses")
    assert coverage.coverage(Area.objects.get(code="2201")).party_heads == 0

    PartyMember.objects.create(name="新党员", id_number=number, organisation=party["grid_a1"], status=MemberStatus.FULL)

    assert coverage.coverage(Area.objects.get(code="2201")).party_heads == 1
    assert coverage.coverage(Area.objects.get(code=STREET_A)).party_heads == 1
    PartyMember.objects.filter(id_number=number).update(id_number="")  # the member's number corrected away
    assert coverage.coverage(Area.objects.get(code="2201")).party_heads == 0
