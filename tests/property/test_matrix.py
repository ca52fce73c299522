"""The permission matrix (core/testing.py) of every property page and endpoint: anonymous → login,
in scope → served, a sibling street → 404 and nothing written. Compounds and what hangs off them
are street A's (street B the outsider); a company is kept by 朝阳区's housing bureau (南关区's
the outsider), seen by the streets where it serves and by no other."""

import pytest
from django.urls import reverse

from core.testing import Case, Page, PermissionMatrix, model_state, transition_pages
from property import api
from property.ledger import LEDGER
from property.models import LedgerEntry, PropertyCompany
from property.views import (
    ChecklistPages,
    CommitteeMemberPages,
    CompoundPages,
    ConsultationPages,
    LedgerEntryPages,
    OwnersCommitteePages,
    PropertyCompanyPages,
)
from tests.property.conftest import STREET_A

STREETS = {"insider": "street_a", "outsider": "street_b"}
HOUSING = {"insider": "zhujian", "outsider": "nanguan_housing"}

# Each declaration with the record its detail, edit and delete rows open.
PAGES = {
    CompoundPages: "compound",
    LedgerEntryPages: "entry",
    ChecklistPages: "checklist",
    OwnersCommitteePages: "committee",
    CommitteeMemberPages: "member",
    ConsultationPages: "consultation",
}
VIEWSETS = {
    api.CompoundViewSet: "compound",
    api.LedgerEntryViewSet: "entry",
    ChecklistPages.viewset: "checklist",
    OwnersCommitteePages.viewset: "committee",
    CommitteeMemberPages.viewset: "member",
    ConsultationPages.viewset: "consultation",
}


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


def ledger_state(objects):
    return model_state(LedgerEntry)(objects)


class TestPropertyMatrix(PermissionMatrix):
    pages = [
        *(
            page
            for pages, record in PAGES.items()
            for page in PermissionMatrix.for_pages(pages, record=record, max_queries=25, **STREETS)
        ),
        *(
            page
            for viewset, record in VIEWSETS.items()
            for page in PermissionMatrix.for_api(viewset, record=record, max_queries=20, **STREETS)
        ),
        # The company: kept by its housing bureau, not by another district's.
        *PermissionMatrix.for_pages(PropertyCompanyPages, record="company", max_queries=25, **HOUSING),
        *PermissionMatrix.for_api(api.PropertyCompanyViewSet, record="company", max_queries=20, **HOUSING),
        # … seen by street A where it serves; street B sees it too (it serves there), but not the
        # other district's company, which serves nowhere in its scope.
        Page("property:propertycompany_detail", url("property:propertycompany_detail", "company"), insider="street_a"),
        Page(
            "property:propertycompany_detail",
            url("property:propertycompany_detail", "company_n"),
            insider="nanguan_housing",
            outsider="street_b",
        ),
        Page(
            "property:propertycompany_edit",
            url("property:propertycompany_edit", "company"),
            method="post",
            data=lambda o: {
                "name": "越权改名",
                "credit_code": o["company"].credit_code,
                "department": o["company"].department_id,
            },
            outsider="street_a",
            state=model_state(PropertyCompany),
        ),
        # Its party links: recorded by a street it serves, not by the housing bureau (nor found by a
        # street it does not serve).
        Page(
            "property:propertycompany_party",
            url("property:propertycompany_party", "company"),
            insider="street_a",
            outsider="zhujian",
        ),
        Page(
            "property:propertycompany_party",
            url("property:propertycompany_party", "company"),
            method="post",
            data=lambda o: {"party_instructor": ""},
            outsider="zhujian",
            state=model_state(PropertyCompany),
        ),
        Page(
            "property:propertycompany_party",
            url("property:propertycompany_party", "company_n"),
            method="post",
            data=lambda o: {"party_instructor": ""},
            outsider="street_a",
            state=model_state(PropertyCompany),
        ),
        Page(
            "property:ledgerentry_evidence",
            url("property:ledgerentry_evidence", "entry"),
            insider="street_a",
            outsider="street_b",
        ),
        # The area page's 物业 panel figures (htmx): street A's, not street B's; three queries and
        # the request's own (session, user, scopes).
        Page(
            "property:area_summary",
            lambda o: reverse("property:area_summary", args=[STREET_A]),
            insider="street_a",
            outsider="street_b",
            max_queries=8,
        ),
        # 台账进度 at street A (its own), not at street B's; its export likewise; the menu's entry
        # leads each user to its own highest area.
        Page(
            "property:ledger_progress",
            lambda o: reverse("property:ledger_progress", args=[STREET_A]),
            insider="street_a",
            outsider="street_b",
            max_queries=20,
        ),
        Page(
            "property:ledger_progress",
            lambda o: reverse("property:ledger_progress", args=[STREET_A]) + "?export=xlsx",
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "property:ledger_progress_home",
            lambda o: reverse("property:ledger_progress_home"),
            insider="street_a",
            ok=302,
        ),
        *transition_pages(
            LEDGER,
            page_name="property:ledgerentry_{name}",
            cases={
                "close": Case(
                    url("property:ledgerentry_close", "entry"),
                    "street_a",
                    "street_b",
                    # 销号 in one step: the mode with it; the evidence uploaded on the entry before.
                    data=lambda o: {"mode": "community"},
                    api_data=lambda o: {"entry": o["entry"].pk, "mode": "community"},
                ),
                "reopen": Case(
                    url("property:ledgerentry_reopen", "closed"),
                    "community_a1",
                    "street_b",
                    data=lambda o: {"reason": "合同未签订"},
                    api_data=lambda o: {"entry": o["closed"].pk, "reason": "合同未签订"},
                ),
            },
            state=ledger_state,
            api_name="ledgerstep-{name}",
            api_url=lambda t: f"/api/ledger-steps/{t.name}/",
        ),
    ]

    @pytest.fixture
    def objects(self, estate):
        return estate
