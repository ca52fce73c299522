"""Who sees what of red property: a company serving two streets is seen by each, with only its own
compounds' details; the housing bureau sees its district's companies and compounds and keeps its
own companies; the area page's 物业 panel and the home widgets."""

import datetime

from django.urls import reverse

from property.models import Compound, LedgerEntry, OwnersCommittee, PropertyCompany
from tests.helpers import with_lazy_parts

from .conftest import STREET_A


def test_a_company_serving_two_streets_is_seen_by_each_with_only_its_own_compounds(
    estate, street_a, street_b, client_for
):
    url = estate["company"].get_absolute_url()

    page_a = client_for(street_a).get(url).content.decode()
    page_b = client_for(street_b).get(url).content.decode()

    assert "幸福家园" in page_a and "桂林小区" not in page_a
    assert "桂林小区" in page_b and "幸福家园" not in page_b
    assert client_for(street_b).get(estate["compound"].get_absolute_url()).status_code == 404


def test_the_housing_bureau_sees_its_districts_companies_and_compounds(estate, zhujian, client_for):
    client = client_for(zhujian)

    companies = client.get("/api/property-companies/").json()["results"]
    compounds = client.get("/api/compounds/").json()["results"]

    assert [c["name"] for c in companies] == ["长春红心物业服务有限公司"]
    assert {c["name"] for c in compounds} == {"幸福家园", "桂林小区", "老旧小区", "已清零小区"}
    assert client.get(estate["compound"].get_absolute_url()).status_code == 200


def test_the_housing_bureau_keeps_its_companies_and_not_another_districts(estate, zhujian, client_for):
    client = client_for(zhujian)

    client.patch(
        f"/api/property-companies/{estate['company'].pk}/", {"qualification": "二级"}, content_type="application/json"
    )
    foreign = client.patch(
        f"/api/property-companies/{estate['company_n'].pk}/", {"qualification": "二级"}, content_type="application/json"
    )

    assert PropertyCompany.objects.get(pk=estate["company"].pk).qualification == "二级"
    assert foreign.status_code == 404
    assert PropertyCompany.objects.get(pk=estate["company_n"].pk).qualification == ""


def test_a_street_reads_the_company_but_does_not_edit_it(estate, street_a, client_for):
    client = client_for(street_a)

    page = client.get(estate["company"].get_absolute_url()).content.decode()

    assert "/edit/" not in page
    assert client.get(reverse("property:propertycompany_edit", args=[estate["company"].pk])).status_code == 404


def test_the_area_page_shows_compounds_by_mode_and_the_open_ledger(estate, street_a, client_for):
    client = client_for(street_a)
    page = client.get(reverse("orgs:area_detail", args=[STREET_A])).content.decode()
    summary = reverse("property:area_summary", args=[STREET_A])
    assert "panel-property" in page and summary in page  # the figures come after the page (htmx)

    html = client.get(summary).content.decode()
    assert "专业物业 1" in html and "社区代管 1" in html and "业主自管 1" in html
    assert "无物业台账待销号 1 条" in html


def test_the_home_page_lists_ledger_entries_due_and_committees_expiring(estate, community_a1, client_for):
    LedgerEntry.objects.filter(pk=estate["entry"].pk).update(deadline=datetime.date.today() - datetime.timedelta(1))
    OwnersCommittee.objects.filter(pk=estate["committee"].pk).update(term_end=datetime.date.today())

    html = with_lazy_parts(client_for(community_a1), "/")

    assert "无物业小区台账：到期或逾期 1 条" in html and "老旧小区" in html
    assert "业主委员会：任期将满或已届满 1 个" in html and "幸福家园业委会" in html


def test_street_b_sees_nothing_of_street_as_ledger_on_its_home_page(estate, street_b, client_for):
    LedgerEntry.objects.filter(pk=estate["entry"].pk).update(deadline=datetime.date.today())

    html = client_for(street_b).get("/").content.decode()

    assert "老旧小区" not in html
    assert Compound.objects.scoped(street_b).count() == 1
