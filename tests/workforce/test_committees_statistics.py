"""What is derived, not typed: 交叉任职 and 一肩挑 per member and per community, the election
statistics of a term against the previous term (counted by hand from the cast), the roll-up of a
street equal to the sum of its communities (one query a level), and the assessment's sources."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from workforce import committees as derived
from workforce.models_committees import CommitteeMember
from workforce.views_committees import community_context

from .committees_cast import A1, B1, STREET_A, committees_fixture, community_a1_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


def flags():
    rows = derived.with_flags(CommitteeMember.objects.all())
    return {(m.name, m.term.number, m.post): (m.crossing, m.one_shoulder) for m in rows.select_related("term")}


def test_crossing_and_one_shoulder_are_derived(committees):
    found = flags()
    assert found[("甲", 10, "secretary")] == (True, True)
    assert found[("甲", 10, "director")] == (True, True)
    assert found[("乙", 10, "deputy_secretary")] == (True, False)
    assert found[("丙", 10, "member")] == (False, False)
    assert found[("甲", 9, "secretary")] == (False, False)  # in 2016 甲 was not the director: 己 was
    assert found[("己", 9, "director")] == (True, False)
    assert found[("辛", 10, "secretary")] == (False, False)


def test_the_one_shoulder_ends_when_the_director_leaves(committees):
    committees["director"].ended_on = datetime.date(2022, 12, 31)
    committees["director"].save()
    committees["secretary"].refresh_from_db()
    rows = derived.with_flags(CommitteeMember.objects.filter(pk=committees["secretary"].pk))
    assert rows.get().one_shoulder  # they held both at a shared time, 2021–2022
    committees["director"].started_on = datetime.date(2021, 6, 1)
    committees["secretary"].started_on = datetime.date(2023, 1, 1)
    committees["secretary"].save()
    rows = derived.with_flags(CommitteeMember.objects.filter(pk=committees["secretary"].pk))
    assert not rows.get().one_shoulder and not rows.get().crossing


def test_the_communitys_page_shows_its_current_terms_and_flags(committees):
    context = community_context(committees["party"].area, TODAY)
    assert context["one_shoulder"].name == "甲"
    assert set(context["crossing"]) == {"甲", "乙"}
    assert context["next_election"] == datetime.date(2026, 5, 31) and context["due"]
    party = context["blocks"][0]
    assert party["term"] == committees["party"] and party["previous"] == committees["party_2016"]


def test_the_statistics_against_the_previous_term(committees):
    stats = derived.term_statistics([committees["party"].pk, committees["party_2016"].pk], TODAY)
    now, before = stats[committees["party"].pk], stats[committees["party_2016"].pk]
    # 2021: 甲 46, 乙 31, 丙 26, 丁 52 at the election
    assert now["members"] == 4 and now.average_age == 38.8
    assert now.shares == {"average_age": 38.8, "young": 50.0, "college": 50.0, "women": 50.0, "crossing": 50.0}
    assert now["both_heads"] == 1
    # 2016: 甲 41, 己 56, 庚 51
    assert before["members"] == 3 and before.average_age == 49.3
    assert before.shares == {"average_age": 49.3, "young": 0.0, "college": 66.7, "women": 33.3, "crossing": 33.3}
    assert before["both_heads"] == 0


def test_the_terms_page_compares_with_the_previous_term(committees, street_a, client_for):
    response = client_for(street_a).get(committees["party"].get_absolute_url())
    text = response.content.decode()
    assert "换届统计（与上届比较）" in text and "38.8" in text and "49.3" in text and "-10.5" in text


def test_the_rollup_of_a_street_is_the_sum_of_its_communities(committees, areas):
    communities = derived.rollup_as_of("community", TODAY)
    with CaptureQueriesContext(connection) as queries:
        streets = derived.rollup_as_of(["street", "district"], TODAY)
    assert len(queries) == 1
    street = streets[areas[STREET_A].pk]
    a1 = communities[areas[A1].pk]
    assert areas["220104001002"].pk not in communities  # A2 has no terms
    for which in ("current", "previous"):
        for committee in ("party", "residents"):
            assert dict(street[which][committee]) == dict(a1[which][committee])
    district = streets[areas["220104"].pk]
    b1 = communities[areas[B1].pk]
    for name in derived.STAT_NAMES:
        assert district["current"]["party"][name] == a1["current"]["party"][name] + b1["current"]["party"][name]
    assert district["communities"] == 2 and street["current"]["party"]["members"] == 4


def test_todays_rollup_is_read_from_the_tally_and_follows_every_write(committees, areas):
    today = timezone.localdate()
    levels = ["community", "street", "district", "city"]
    assert derived.rollup(levels) == derived.rollup_as_of(levels, today)
    with CaptureQueriesContext(connection) as queries:
        derived.rollup(levels, under=areas[STREET_A])
    assert len(queries) <= 4  # the areas, the tally's refresh and state, the sums: not the members
    # a member leaving, a member added by a queryset (no signal), a term deleted: the next read sees each
    committees["director"].ended_on = today - datetime.timedelta(days=1)
    committees["director"].save()
    CommitteeMember.objects.filter(pk=committees["director"].pk).update(gender="female")
    assert derived.rollup(levels) == derived.rollup_as_of(levels, today)
    committees["b1"].members.all().delete()
    committees["b1"].delete()
    found = derived.rollup(levels)
    assert found == derived.rollup_as_of(levels, today) and areas[B1].pk not in found


def test_the_sources_count_every_area_of_a_level_in_one_query(committees, areas):
    with CaptureQueriesContext(connection) as queries:
        one_shoulder = derived.one_shoulder_share(["street", "district"], None, TODAY)
    assert len(queries) == 1
    assert one_shoulder[areas[STREET_A].pk] == (1, 1)
    assert one_shoulder[areas["220104"].pk] == (1, 2)  # B1's secretary is not its director
    crossing = derived.crossing_share("district", None, TODAY)
    assert crossing[areas["220104"].pk] == (2, 5)  # 甲 and 乙 of A1's four, none of B1's one
    # a period ending before the 2021 election counts the 2016 terms
    assert derived.one_shoulder_share("street", None, datetime.date(2020, 12, 31))[areas[STREET_A].pk] == (0, 1)


def test_elections_due_in_the_widget_and_the_filter(committees, street_a, client_for):
    from core.registry import registry

    client = client_for(street_a)
    response = client.get(reverse("workforce:committeeterm_list") + "?due=true")
    text = response.content.decode()
    assert "第10届" in text and "第9届" not in text  # the 2016 terms are not due: they were succeeded
    rows = list(derived.current_terms().filter(ends_on__lte=derived.due_by()))
    assert set(rows) == {committees["party"], committees["residents"], committees["b1"]}
    widget = next(w for w in registry.widgets if w.name == "workforce_elections_due")
    request = response.wsgi_request
    context = widget.context(request)
    assert {t.pk for t in context["rows"]} == {committees["party"].pk, committees["residents"].pk}  # not B1's


def test_the_member_list_filters_by_the_flags(committees, community_a1, client_for):
    client = client_for(community_a1)
    response = client.get(reverse("workforce:committeemember_list") + "?one_shoulder=true&current=true")
    text = response.content.decode()
    assert text.count(">甲<") == 2 and ">乙<" not in text
    response = client.get(reverse("workforce:committeemember_list") + "?crossing=true&committee=party&current=true")
    text = response.content.decode()
    assert ">乙<" in text and ">丙<" not in text


@pytest.mark.parametrize(
    "key", ["workforce.one_shoulder", "workforce.crossing", "figure:workforce.committees_one_shoulder"]
)
def test_all_levels_in_one_query_give_what_each_level_gives_alone(key, committees, django_assert_num_queries):
    """The rollup asks a source (or a headline figure) for all its levels at once (as
    tests/grids/test_indicator_sources.py asks the sources its fixtures fill)."""
    from core.registry import registry

    if key.startswith("figure:"):
        found = next(f for f in registry.figures if f.key == key.removeprefix("figure:"))
        levels = ("city", "district", "street", "community", "grid")
    else:
        found = registry.indicator_sources[key]
        levels = found.levels
    start, end = datetime.date(2024, 1, 1), TODAY
    one_by_one = {}
    for level in levels:
        one_by_one.update(found.compute(level, start, end))
    with django_assert_num_queries(1):
        together = found.compute(list(levels), start, end)
    assert together == one_by_one and together
