"""Issue 15, item 18 (the assessment's races): steps of the same approval chain sent at once are
served one after the other, and the later one is refused in Chinese when the earlier one changed
what it may do. Real concurrent transactions: each step runs in a thread of its own, with its own
connection to the test database; the first holds its transaction open after acting, the second
starts meanwhile, and only then does the first commit."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from assessment import approvals
from assessment.models import Approval, Entry, Indicator, Period
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

A1, A2, STREET = "220104001001", "220104001002", "220104001"


class Step(threading.Thread):
    """One approval step in its own thread and transaction; with `hold`, the transaction stays open
    after the step until `release` is set."""

    def __init__(self, step, hold=False):
        super().__init__(daemon=True)
        self.step, self.hold = step, hold
        self.acted, self.release = threading.Event(), threading.Event()
        self.done, self.refused, self.error = False, None, None

    def run(self):
        try:
            with transaction.atomic():
                self.step()
                self.acted.set()
                if self.hold:
                    self.release.wait(20)
            self.done = True
        except ValidationError as error:
            self.refused = " ".join(error.messages)
        except Exception as error:  # noqa: BLE001  (reported by the test, not lost in the thread)
            self.error = error
        finally:
            self.acted.set()
            connection.close()


def race(first, second):
    """`first` acts and holds its transaction; `second` starts meanwhile; then `first` commits.
    Returns both, finished, and whether `second` was still waiting when `first` committed."""
    one = Step(first, hold=True)
    one.start()
    assert one.acted.wait(20)
    two = Step(second)
    two.start()
    time.sleep(0.5)
    waited = two.is_alive()
    one.release.set()
    one.join(20)
    two.join(20)
    assert not one.is_alive() and not two.is_alive()
    assert one.error is None and two.error is None, (one.error, two.error)
    return one, two, waited


@pytest.fixture
def chain(areas, default_set):
    """A quarter in which A1 and A2 have entered and submitted, and street A has entered its own
    (evidence is not asked here: what is raced is the approval)."""
    today = datetime.date.today()
    period = Period.objects.create(kind="quarter", start=today.replace(day=1), end=today, indicator_set=default_set)
    Indicator.objects.filter(indicator_set=default_set).update(evidence_required=False)
    street_user = make_user("street_cadre", Role.STREET_CADRE, areas[STREET])
    for code in (A1, A2):
        user = make_user(f"cadre_{code}", Role.COMMUNITY_CADRE, areas[code])
        for leaf in approvals.entered_leaves(period, "community"):
            approvals.save_entry(period, areas[code], leaf, user, 8, 10, "")
        approvals.submit(period, areas[code], user)
    for leaf in approvals.entered_leaves(period, "street"):
        approvals.save_entry(period, areas[STREET], leaf, street_user, 5, 6, "")
    return period, street_user


def fresh(code):
    return Area.objects.get(code=code)


def test_a_return_of_a_community_then_its_streets_submission_the_submission_is_refused(chain):
    period, street_user = chain

    one, two, waited = race(
        lambda: approvals.return_(Period.objects.get(pk=period.pk), fresh(A1), street_user, "佐证不全"),
        lambda: approvals.submit(Period.objects.get(pk=period.pk), fresh(STREET), street_user),
    )

    assert one.done and waited
    assert two.refused == "还有社区未上报：A1社区。"
    assert Approval.objects.get(area__code=A1).status == "returned"
    assert not Approval.objects.filter(area__code=STREET).exists()


def test_a_streets_submission_then_the_return_of_one_of_its_communities_the_return_is_refused(chain):
    period, street_user = chain

    one, two, waited = race(
        lambda: approvals.submit(Period.objects.get(pk=period.pk), fresh(STREET), street_user),
        lambda: approvals.return_(Period.objects.get(pk=period.pk), fresh(A1), street_user, "佐证不全"),
    )

    assert one.done and waited
    assert two.refused.startswith("前进街道已上报，不能再退回其下级")
    assert Approval.objects.get(area__code=STREET).status == "submitted"
    assert Approval.objects.get(area__code=A1).status == "submitted"


def test_a_value_saved_while_its_area_submits_is_refused_not_landed_after(chain):
    period, street_user = chain
    leaf = approvals.entered_leaves(period, "street")[0]

    one, two, waited = race(
        lambda: approvals.submit(Period.objects.get(pk=period.pk), fresh(STREET), street_user),
        lambda: approvals.save_entry(Period.objects.get(pk=period.pk), fresh(STREET), leaf, street_user, 1, 6, ""),
    )

    assert one.done and waited
    assert two.refused == "本级已上报，如需修改请由上级退回。"
    assert Entry.objects.get(area__code=STREET, indicator=leaf).numerator == 5


def test_an_acceptance_and_a_return_of_the_same_street_one_wins(chain):
    period, street_user = chain
    approvals.submit(period, fresh(STREET), street_user)
    district_user = make_user("district_zzb", Role.ORG_DEPARTMENT, fresh("220104"))

    one, two, waited = race(
        lambda: approvals.return_(Period.objects.get(pk=period.pk), fresh(STREET), district_user, "台账不一致"),
        lambda: approvals.accept(Period.objects.get(pk=period.pk), fresh(STREET), district_user),
    )

    assert one.done and waited
    assert two.refused == "前进街道尚未上报或已被退回，不能验收。"
    assert Approval.objects.get(area__code=STREET).status == "returned"


# Issue 16, acceptance 4: the chain runs on the declared transitions (approvals.APPROVAL); two
# accepts at once: one wins, the other is told.


def test_two_accepts_at_once_one_wins_and_the_other_is_told_the_state_changed(chain):
    from core.models import StateChange

    period, street_user = chain
    approvals.submit(period, fresh(STREET), street_user)
    first = make_user("district_zzb", Role.ORG_DEPARTMENT, fresh("220104"))
    second = make_user("district_zzb2", Role.ORG_DEPARTMENT, fresh("220104"))

    # Both saw the street 已上报 on their page and confirmed.
    one, two, waited = race(
        lambda: approvals.accept(Period.objects.get(pk=period.pk), fresh(STREET), first, seen="submitted"),
        lambda: approvals.accept(Period.objects.get(pk=period.pk), fresh(STREET), second, seen="submitted"),
    )

    assert one.done and waited
    assert two.refused.startswith("前进街道的状态刚刚已变为“已验收”（district_zzb ")
    assert two.refused.endswith("您的“验收”未执行。请查看后再操作。")
    accepted = Approval.objects.get(area__code=STREET)
    assert (accepted.status, accepted.by) == ("accepted", first)
    assert list(
        StateChange.objects.filter(transition="accept").values_list("user__username", "from_state", "to_state")
    ) == [("district_zzb", "submitted", "accepted")]


def test_two_accepts_at_once_without_the_seen_state_the_second_is_told_it_is_accepted(chain):
    period, street_user = chain
    approvals.submit(period, fresh(STREET), street_user)
    district_user = make_user("district_zzb", Role.ORG_DEPARTMENT, fresh("220104"))

    one, two, waited = race(
        lambda: approvals.accept(Period.objects.get(pk=period.pk), fresh(STREET), district_user),
        lambda: approvals.accept(Period.objects.get(pk=period.pk), fresh(STREET), district_user),
    )

    assert one.done and waited
    assert two.refused == "前进街道已验收，无需再次验收。"
