"""core.demo.Laxity: where the demo fillers leave their gaps, the same places in every filler."""

from itertools import combinations, pairwise

import pytest

from core.demo import Laxity, spread

GRIDS = [
    f"{district}{street:03d}{community:03d}{grid:03d}"
    for district in ("220102", "220103", "220104")
    for street in (1, 2, 3)
    for community in (1, 2)
    for grid in (1, 2)
]


def test_a_few_siblings_stay_clearly_apart():
    for count in range(2, 9):
        places = sorted(spread(count))
        assert places[0] == 0 and places[-1] < 1
        assert min(b - a for a, b in pairwise(places)) > 0.5 / count, count


def test_two_fillers_get_the_same_laxity_from_the_same_codes():
    one, other = Laxity(GRIDS), Laxity(reversed(GRIDS))
    assert [one(code) for code in GRIDS] == [other(code) for code in GRIDS]


def test_the_district_weighs_most():
    laxity = Laxity(GRIDS)
    districts = {code[:6]: laxity(code[:6]) for code in GRIDS}
    assert len(set(districts.values())) == 3
    for a, b in combinations(districts, 2):  # the laxer district's streets are laxer on the whole
        streets_a = [laxity(f"{a}{s:03d}") for s in (1, 2, 3)]
        streets_b = [laxity(f"{b}{s:03d}") for s in (1, 2, 3)]
        laxer_a = districts[a] > districts[b]
        assert (sum(streets_a) > sum(streets_b)) == laxer_a


def test_a_street_weighs_its_district_and_itself_only():
    laxity = Laxity(GRIDS)
    district, street = laxity("220104"), laxity("220104002")
    assert street == pytest.approx((0.6 * district + 0.25 * 0.618034) / 0.85)  # its place: second of three


def test_an_area_below_a_community_takes_its_communitys_laxity():
    laxity = Laxity(GRIDS)
    assert laxity("220104002001002") == laxity("220104002001") == laxity("220104002001002003004")
    assert laxity("220104002001") != laxity("220104002002")


def test_the_first_district_street_and_community_keep_everything_and_unknown_areas_too():
    laxity = Laxity(GRIDS)
    assert laxity("220102001001001") == 0
    assert laxity("2201") == laxity("220199001001") == 0
    assert all(0 <= laxity(code) < 1 for code in GRIDS)
