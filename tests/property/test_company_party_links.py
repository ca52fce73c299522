"""Issue 18: a company's party links (双向进入、交叉任职, seed 001) — its party organisation, the
党建指导员 the street sends, the 兼职委员 and the 物业服务顾问 — are recorded by a street or a
community it serves, chosen among their own party members; the housing bureau keeps the register
and reads no party (tests/property/test_housing_reads_no_roster_nor_party.py), so it neither sees
nor writes them."""

from django.urls import reverse

from property.models import PropertyCompany
from tests.party.conftest import party, unit_user  # noqa: F401 — party members of both streets


def party_page(company):
    return reverse("property:propertycompany_party", args=[company.pk])


def test_a_street_the_company_serves_records_its_instructor_among_its_own_members(
    estate,
    party,  # noqa: F811 — imported above
    street_a,
    client_for,
):
    company = estate["company"]
    client = client_for(street_a)

    form = client.get(party_page(company))
    offered = {str(choice) for choice, _label in form.context["form"].fields["party_instructor"].choices}
    response = client.post(party_page(company), {"party_instructor": party["zhang"].pk})

    assert form.status_code == 200
    assert str(party["zhang"].pk) in offered and str(party["wang"].pk) not in offered  # street B's member
    assert response.status_code == 302
    assert PropertyCompany.objects.get(pk=company.pk).party_instructor == party["zhang"]
    assert party_page(company) in client.get(company.get_absolute_url()).content.decode()


def test_a_member_of_another_street_is_refused_and_nothing_is_saved(
    estate,
    party,  # noqa: F811
    street_a,
    client_for,
):
    response = client_for(street_a).post(party_page(estate["company"]), {"party_instructor": party["wang"].pk})

    assert response.status_code == 200
    assert "不在可用的选项中" in response.context["form"].errors["party_instructor"][0]
    assert PropertyCompany.objects.get(pk=estate["company"].pk).party_instructor is None


def test_the_housing_bureau_neither_sees_nor_writes_the_party_links(
    estate,
    party,  # noqa: F811
    zhujian,
    client_for,
):
    company = estate["company"]
    client = client_for(zhujian)

    edit = client.get(reverse("property:propertycompany_edit", args=[company.pk]))
    patched = client.patch(
        f"/api/property-companies/{company.pk}/",
        {"party_instructor": party["zhang"].pk, "legal_representative": "李经理"},
        content_type="application/json",
    )

    assert client.get(party_page(company)).status_code == 404
    assert party_page(company) not in client.get(company.get_absolute_url()).content.decode()
    assert "party_instructor" not in edit.context["form"].fields and edit.status_code == 200
    assert patched.status_code == 200
    company.refresh_from_db()
    assert company.legal_representative == "李经理" and company.party_instructor is None


def test_a_street_the_company_does_not_serve_does_not_find_its_party_links(estate, areas, client_for):
    from orgs.choices import Role
    from tests.conftest import make_user

    elsewhere = make_user("jiedao_c", Role.STREET_CADRE, areas["220104002"])  # 桂林街道: serves 桂林小区
    nanguan_company = estate["company_n"]  # registered in 南关区, serves nothing here

    assert client_for(elsewhere).get(party_page(estate["company"])).status_code == 200
    assert client_for(elsewhere).get(party_page(nanguan_company)).status_code == 404
