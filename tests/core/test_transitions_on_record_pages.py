"""Issue 16, part 2: a record that exists declares its steps and the kit serves them
(tests/kitapp/states.py: 报修, 办结 and 重新打开 with a reason, on ModelPages). Its page shows
only the steps the user may take from its state; a step asks first, is taken by a POST, leaves a
history row on the page; a reopening needs its reason; a stale confirmation is told the state
changed; the matrix rows come from the declaration."""

import pytest
from django.urls import reverse

from core.models import StateChange
from core.testing import Case, PermissionMatrix, transition_pages
from orgs.choices import Role
from tests.conftest import make_user
from tests.kitapp.models import Repair
from tests.kitapp.states import REPAIR, RepairPages

COMMUNITY_A1, COMMUNITY_B1 = "220104001001", "220104002001"


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])


@pytest.fixture
def community_b1(areas):
    return make_user("community_b1", Role.COMMUNITY_CADRE, areas[COMMUNITY_B1])


@pytest.fixture
def repairs(areas):
    return {
        "open": Repair.objects.create(area=areas[COMMUNITY_A1], title="3号楼单元门禁损坏"),
        "done": Repair.objects.create(area=areas[COMMUNITY_A1], title="路灯不亮", status="handled"),
    }


def states():
    return sorted(Repair.objects.values_list("title", "status", "reason"))


def detail(client, repair):
    return client.get(repair.get_absolute_url()).content.decode()


def test_the_page_offers_only_the_steps_the_user_may_take_from_the_records_state(
    repairs, community_a1, street_a, client_for
):
    cadre = client_for(community_a1)
    handle, reopen = (reverse(f"kitapp:repair_{name}", args=[repairs["open"].pk]) for name in ("handle", "reopen"))

    assert handle in detail(cadre, repairs["open"]) and reopen not in detail(cadre, repairs["open"])
    assert reverse("kitapp:repair_reopen", args=[repairs["done"].pk]) in detail(cadre, repairs["done"])
    assert handle not in detail(client_for(street_a), repairs["open"])  # sees it, may not handle it


def test_a_step_asks_first_is_taken_by_a_post_and_leaves_a_history_row(repairs, community_a1, client_for):
    cadre = client_for(community_a1)
    url = reverse("kitapp:repair_handle", args=[repairs["open"].pk])

    asked = cadre.get(url).content.decode()
    assert "确定“3号楼单元门禁损坏”已办结吗？" in asked and "确认办结" in asked
    assert Repair.objects.get(pk=repairs["open"].pk).status == "received"
    response = cadre.post(url, {"state": "received"}, follow=True)

    assert "已办结。" in response.content.decode()
    repair = Repair.objects.get(pk=repairs["open"].pk)
    assert (repair.status, repair.by) == ("handled", community_a1)
    page = detail(cadre, repair)
    assert "<strong>办结</strong>" in page and "已受理 → 已办结" in page and "community_a1" in page


def test_a_reopening_needs_its_reason_and_shows_it(repairs, community_a1, client_for):
    cadre = client_for(community_a1)
    url = reverse("kitapp:repair_reopen", args=[repairs["done"].pk])

    blank = cadre.post(url, {"state": "handled", "reason": " "})
    assert blank.status_code == 200 and 'name="reason"' in blank.content.decode()
    assert Repair.objects.get(pk=repairs["done"].pk).status == "handled"
    cadre.post(url, {"state": "handled", "reason": "居民反映仍不亮"})

    assert states()[1] == ("路灯不亮", "received", "居民反映仍不亮")
    assert "原因：居民反映仍不亮" in detail(cadre, repairs["done"])


def test_a_stale_confirmation_is_told_the_state_changed_and_a_wrong_state_is_refused(repairs, community_a1, client_for):
    cadre = client_for(community_a1)
    url = reverse("kitapp:repair_handle", args=[repairs["open"].pk])
    cadre.post(url, {"state": "received"})  # a colleague's tab, first

    stale = cadre.post(url, {"state": "received"}, follow=True).content.decode()
    assert "3号楼单元门禁损坏的状态刚刚已变为“已办结”（community_a1 " in stale and "您的“办结”未执行" in stale
    refused = cadre.get(url, follow=True).content.decode()  # no confirmation for a step it cannot take
    assert "3号楼单元门禁损坏当前为“已办结”，不能办结。" in refused
    assert StateChange.objects.filter(transition="handle").count() == 1


class TestRepairMatrix(PermissionMatrix):
    pages = PermissionMatrix.for_pages(
        RepairPages, record="open", insider="community_a1", outsider="community_b1", viewer="street_a"
    )
    pages += transition_pages(
        REPAIR,
        page_name="kitapp:repair_{name}",
        state=lambda o: states(),
        cases={
            "handle": Case(
                lambda o: reverse("kitapp:repair_handle", args=[o["open"].pk]),
                insider="community_a1",
                outsider="community_b1",
                data=lambda o: {"state": "received"},
            ),
            "reopen": Case(
                lambda o: reverse("kitapp:repair_reopen", args=[o["done"].pk]),
                insider="community_a1",
                outsider="street_b",
                data=lambda o: {"state": "handled", "reason": "仍未修好"},
            ),
        },
    )

    @pytest.fixture
    def objects(self, repairs, community_a1, community_b1):
        return repairs


def test_a_step_declared_without_a_question_asks_only_for_its_reason(repairs, community_a1, client_for):
    page = client_for(community_a1).get(reverse("kitapp:repair_reopen", args=[repairs["done"].pk])).content.decode()

    assert "重新打开 · 路灯不亮" in page and 'name="reason"' in page and "确认重新打开" in page
    assert 'class="alert alert-warning mb-3"></div>' not in page
