"""The demo's two committees on the small demo city: every demo community both committees with the
2021 term (due again in 2026) and the 2016 term, 5–7 members each; 一肩挑 in about nine in ten,
交叉任职 30–50%, women 40–50%, the 2021 terms younger and better schooled; the party demo's secretary
is the 书记 (one person, one history); studios meeting every quarter and their 1+10 pairs."""

import datetime

import pytest
from django.db.models import Count, F

from orgs.demo import login_areas
from orgs.models import Area
from party.models import PartyOrganisation
from workforce import committees as derived
from workforce.models_committees import CommitteeMember, CommitteeTerm, MentorPair, MentorStudio, StudioSession

pytestmark = pytest.mark.django_db


def test_the_demo_committees_at_the_seeds_proportions(small_demo):
    assert "两委班子" in small_demo
    communities = Area.objects.filter(level="community", children__level="grid").distinct()
    assert CommitteeTerm.objects.count() == 4 * communities.count()
    years = set(CommitteeTerm.objects.values_list("elected_on__year", flat=True))
    assert years == {2016, 2021}
    sizes = CommitteeTerm.objects.annotate(n=Count("members")).values_list("n", flat=True)
    assert min(sizes) >= 5 and max(sizes) <= 7
    today = datetime.date(2026, 12, 7)
    city = Area.objects.get(level="city")
    figures = derived.rollup("city", today)[city.pk]
    now, then = figures["current"]["party"], figures["previous"]["party"]
    assert 0.85 <= now["both_heads"] / figures["communities"] <= 1
    assert 30 <= now.share("crossing") <= 50
    assert 38 <= (now.share("women") + figures["current"]["residents"].share("women")) / 2 <= 52
    assert now.share("young") > then.share("young") and now.share("college") > then.share("college")
    # every current term is due: elected in 2021, five years on
    assert derived.current_terms(today).filter(ends_on__lte=derived.due_by(today)).count() == 2 * communities.count()


def test_the_party_secretary_is_the_same_person(small_demo):
    organisation = (
        PartyOrganisation.objects.filter(area__level="community", kind="community_committee", secretary__isnull=False)
        .exclude(secretary__id_number="")
        .select_related("secretary")
        .first()
    )
    assert organisation is not None
    seat = CommitteeMember.objects.get(term__in=derived.current_terms(), area=organisation.area_id, post="secretary")
    assert (seat.name, seat.id_number) == (organisation.secretary.name, organisation.secretary.id_number)


def test_studios_meet_every_quarter_and_pairs_exist(small_demo):
    studio = MentorStudio.objects.first()
    assert studio is not None and studio.area.level == "street"
    assert MentorStudio.objects.filter(area=login_areas()["street"]).exists()  # jiedao's street too
    quarters = {
        (d.year, (d.month - 1) // 3)
        for d in StudioSession.objects.filter(studio=studio).values_list("held_on", flat=True)
    }
    founded, today = studio.founded_on, datetime.date.today()
    expected = (today.year - founded.year) * 4 + (today.month - 1) // 3 - (founded.month - 1) // 3 + 1
    assert len(quarters) == expected
    assert MentorPair.objects.exists()
    assert not MentorPair.objects.filter(mentor_id_number=F("mentee_id_number")).exists()
