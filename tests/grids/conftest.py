"""Fixtures of the roster stories: the cast of tests/conftest.py plus a community cadre, and
the database state an import must leave alone or change."""

import pytest

from grids.models import HeadAssignment, Person
from orgs.choices import Role
from orgs.models import Area
from tests.conftest import make_user


@pytest.fixture
def community_a1(areas):
    """A cadre of community A1 (220104001001): may change grids 220104001001001 and …002 only."""
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas["220104001001"])


@pytest.fixture
def operator(db):
    """Whoever runs manage.py: unrestricted, like the command line without --user."""
    from core.importing import CommandLineUser

    return CommandLineUser()


@pytest.fixture
def roster_state():
    """Everything an import may write, to compare before and after: snapshot()."""

    def snapshot():
        return {
            "people": list(
                Person.objects.order_by("pk").values_list(
                    "pk", "name", "gender", "phone", "id_number", "political_status", "note"
                )
            ),
            "posts": list(
                HeadAssignment.objects.order_by("pk").values_list(
                    "pk", "person_id", "area__code", "post", "employment", "start_date", "end_date", "note"
                )
            ),
            "areas": list(Area.objects.order_by("code").values_list("code", "name", "level", "parent__code")),
        }

    return snapshot


# --- Pages, API and coverage stories ---------------------------------------------------------


def valid_id_number(body17):
    """`body17` (17 digits) completed with its GB 11643 check character."""
    from core.identity import with_check_character

    return with_check_character(body17)


@pytest.fixture
def id_number():
    """id_number(n): a valid ID number of somebody born in Chaoyang district in 1980 (odd n: a man)."""
    return lambda n: valid_id_number(f"22010419800101{n:03d}")


@pytest.fixture
def holder(areas):
    """holder(code, post, name, **person): appoint somebody to a post through grids.roster."""
    import datetime

    from grids import roster

    def appoint(code, post, name, *, start_date=datetime.date(2024, 1, 1), employment="", **person):
        someone = roster.find_or_create_person(name=name, **person)
        return roster.appoint(Area.objects.get(code=code), post, someone, start_date=start_date, employment=employment)

    return appoint


@pytest.fixture
def cast_roster(areas, holder, id_number):
    """A roster on the cast's tree, {name: Person}:

        grid A1   220104001001001   网格长 张伟 (中共党员, 13912345678, id_number(1)), 网格员 陈静 (专职, 共青团员)
          1栋     220104001001001001  楼栋长 王芳 (群众)
            1单元 22010400100100100101  单元长 李娜 (中共预备党员)
        grid A2   220104001001002   网格长 刘洋 (relieved on 2024-06-30); 网格员 孙丽 (群众)
        grid B1   220104002001001   网格长 赵磊 (13700000009, id_number(9)); 十联户长 孙丽 (in both streets)

    Every post starts on 2024-01-01.
    """
    import datetime

    from grids.choices import Employment, PoliticalStatus, Post
    from grids.models import Person

    party, masses = PoliticalStatus.PARTY_MEMBER, PoliticalStatus.MASSES
    holder(
        "220104001001001", Post.GRID_HEAD, "张伟", phone="13912345678", id_number=id_number(1), political_status=party
    )
    holder(
        "220104001001001",
        Post.GRID_WORKER,
        "陈静",
        phone="13900000005",
        political_status=PoliticalStatus.LEAGUE_MEMBER,
        employment=Employment.FULL_TIME,
    )
    holder("220104001001001001", Post.BUILDING_HEAD, "王芳", phone="13900000002", political_status=masses)
    holder(
        "22010400100100100101",
        Post.UNIT_HEAD,
        "李娜",
        phone="13900000003",
        political_status=PoliticalStatus.PROBATIONARY,
    )
    relieved = holder("220104001001002", Post.GRID_HEAD, "刘洋", phone="13900000004", political_status=party)
    relieved.end_date = datetime.date(2024, 6, 30)
    relieved.save()
    holder("220104001001002", Post.GRID_WORKER, "孙丽", phone="13900000007", political_status=masses)
    holder(
        "220104002001001", Post.GRID_HEAD, "赵磊", phone="13700000009", id_number=id_number(9), political_status=party
    )
    holder("220104002001001", Post.TEN_HOUSEHOLD_HEAD, "孙丽", phone="13900000007")
    return {person.name: person for person in Person.objects.all()}
