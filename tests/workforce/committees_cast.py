"""社区两委's cast on the small tree (tests/conftest.py): community A1's cadre, and A1's two committees
over two elections — 2016 (第9届) and 2021 (第10届) — with members whose ages, education and
gender make the statistics easy to count by hand; B1's current party committee (street B's).

A1 2021 party committee: 甲 (书记, woman, 1975, 本科 — also 主任: 一肩挑), 乙 (副书记, man, 1990,
大专 — also 副主任: 交叉任职), 丙 (委员, woman, 1995, 高中), 丁 (委员, man, 1968, 初中).
A1 2021 residents' committee: 甲 (主任), 乙 (副主任), 戊 (委员, woman, 1992, 本科).
A1 2016 party committee: 甲 (书记), 己 (委员, man, 1960, 高中 — also the 2016 主任), 庚 (委员, man,
1965, 本科). A1 2016 residents' committee: 己 (主任)."""

import datetime

import pytest

from core.identity import with_check_character
from orgs.choices import Role
from tests.conftest import make_user
from workforce.models_committees import (
    CommitteeMember,
    CommitteeTerm,
    MentorPair,
    MentorStudio,
    StudioSession,
)

A1, A2, B1, STREET_A, STREET_B = "220104001001", "220104001002", "220104002001", "220104001", "220104002"
ELECTED_2016, ELECTED_2021 = datetime.date(2016, 6, 1), datetime.date(2021, 6, 1)


def id_number(born, serial, woman):
    """A valid ID number of 朝阳区 for a birth date "19750301" (the serial's parity says the gender)."""
    return with_check_character(f"220104{born}{serial * 2 + (0 if woman else 1):03d}")


PEOPLE = {
    "甲": (id_number("19750301", 1, True), "bachelor"),
    "乙": (id_number("19900101", 2, False), "college"),
    "丙": (id_number("19950505", 3, True), "secondary"),
    "丁": (id_number("19680707", 4, False), "junior"),
    "戊": (id_number("19920202", 5, True), "bachelor"),
    "己": (id_number("19600101", 6, False), "secondary"),
    "庚": (id_number("19650101", 7, False), "bachelor"),
    "辛": (id_number("19800808", 8, True), "bachelor"),
}


def seat(term, who, post, **more):
    number, education = PEOPLE[who]
    return CommitteeMember.objects.create(term=term, name=who, id_number=number, education=education, post=post, **more)


@pytest.fixture(name="community_a1")
def community_a1_fixture(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[A1])


@pytest.fixture(name="committees")
def committees_fixture(areas, street_a, street_b, community_a1, city_org):
    term = CommitteeTerm.objects.create
    party_2016 = term(area=areas[A1], committee="party", number=9, elected_on=ELECTED_2016)
    residents_2016 = term(area=areas[A1], committee="residents", number=9, elected_on=ELECTED_2016)
    party = term(area=areas[A1], committee="party", number=10, elected_on=ELECTED_2021)
    residents = term(area=areas[A1], committee="residents", number=10, elected_on=ELECTED_2021)
    b1 = term(area=areas[B1], committee="party", number=10, elected_on=ELECTED_2021)
    seats = {
        "secretary": seat(party, "甲", "secretary"),
        "deputy": seat(party, "乙", "deputy_secretary"),
        "bing": seat(party, "丙", "member"),
        "ding": seat(party, "丁", "member"),
        "director": seat(residents, "甲", "director"),
        "deputy_director": seat(residents, "乙", "deputy_director"),
        "wu": seat(residents, "戊", "member"),
        "old_secretary": seat(party_2016, "甲", "secretary"),
        "ji": seat(party_2016, "己", "member"),
        "geng": seat(party_2016, "庚", "member"),
        "old_director": seat(residents_2016, "己", "director"),
        "b1_secretary": seat(b1, "辛", "secretary"),
    }
    studio = MentorStudio.objects.create(
        area=areas[STREET_A],
        name="甲名书记工作室",
        secretary_name="甲",
        id_number=PEOPLE["甲"][0],
        founded_on=datetime.date(2022, 3, 1),
    )
    session = StudioSession.objects.create(
        studio=studio, held_on=datetime.date(2022, 4, 10), topic="换届后履职", attendees=12
    )
    pair = MentorPair.objects.create(
        area=areas[A2],
        mentor_name="甲",
        mentor_id_number=PEOPLE["甲"][0],
        mentor_area=areas[A1],
        mentee_name="戊",
        mentee_id_number=PEOPLE["戊"][0],
        started_on=datetime.date(2022, 3, 1),
    )
    return {
        "party_2016": party_2016,
        "residents_2016": residents_2016,
        "party": party,
        "residents": residents,
        "b1": b1,
        "studio": studio,
        "session": session,
        "pair": pair,
        **seats,
    }
