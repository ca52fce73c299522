"""Issue #15, finding 22: the access log names a unit's contact phone as what was seen; the
reporting-unit list counts only the in-service members its viewer may see; the member import
matches an organisation's name whatever the width of its brackets and its spaces."""

from django.urls import reverse

from core.models import PersonalDataAccess
from orgs.models import Area
from party.choices import OrgKind
from party.models import InServiceMember, PartyMember, PartyOrganisation

from .conftest import COMMUNITY_B1, GRID_A1, valid_id_number
from .test_member_import import confirm, member_row, sheet, upload


def test_the_access_log_names_the_contact_phone_a_unit_list_showed(party, street_a, client_for, grant_personal_data):
    grant_personal_data(street_a)
    client = client_for(street_a)

    client.get("/api/reporting-units/")
    client.get(reverse("party:reportingunit_list"), {"export": "xlsx"})

    assert sorted(PersonalDataAccess.objects.values_list("model", "field")) == [
        ("party.ReportingUnit", "contact_phone"),
        ("party.ReportingUnit", "contact_phone"),
    ]


def test_a_member_list_still_logs_phone_and_id_number(party, street_a, client_for, grant_personal_data):
    grant_personal_data(street_a)

    client_for(street_a).get("/api/party-members/")

    assert PersonalDataAccess.objects.get().field == "phone,id_number"


def test_the_unit_list_counts_the_members_in_the_viewers_communities_only(party, community_a1, client_for):
    InServiceMember.objects.create(  # the same unit's member reporting to community B1
        name="孙在职", unit=party["unit"], community=Area.objects.get(code=COMMUNITY_B1)
    )

    response = client_for(community_a1).get(reverse("party:reportingunit_list"))

    [unit] = [u for u in response.context["object_list"] if u.pk == party["unit"].pk]
    assert unit.member_count == 1  # 赵在职, not 孙在职 of B1
    assert "孙在职" not in response.content.decode()


def test_the_unit_account_counts_all_its_members(party, unit_user, client_for):
    InServiceMember.objects.create(name="孙在职", unit=party["unit"], community=Area.objects.get(code=COMMUNITY_B1))

    response = client_for(unit_user).get(reverse("party:reportingunit_list"))

    [unit] = response.context["object_list"]
    assert unit.member_count == 2


def test_the_import_matches_an_organisation_written_with_full_width_brackets_and_spaces(party, street_a, client_for):
    branch = PartyOrganisation.objects.create(
        name="A1社区第1网格(东区)党支部",
        kind=OrgKind.GRID_BRANCH,
        area=Area.objects.get(code=GRID_A1),
        parent=party["community_a1"],
    )
    client = client_for(street_a)
    rows = [
        member_row("周党员", "A1社区第1网格（东区）党支部", valid_id_number("22010419800101051")),
        member_row("吴党员", " A1社区 第1网格( 东区 )党支部 ", valid_id_number("22010419800101061")),
    ]

    job = confirm(client, upload(client, sheet(rows)))

    assert job.status == "done", (job.error, job.summary.get("rejected"))
    assert set(PartyMember.objects.filter(organisation=branch).values_list("name", flat=True)) == {"周党员", "吴党员"}
