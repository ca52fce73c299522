"""The demo city's 党群服务阵地 and 示范点 (seed_demo, order 260, after the party's meetings): each
street a 党群服务中心 (most of at least 500 m²), each community a 党群服务站 (about four in five
compliant; the rest short of one or two of the 五有 or of the floor area), a grid post (驿站) in
about one community in six; demonstration sites for about one community in fourteen (seed 001:
90+ in a city of ~1,000 communities), two of city level and the rest of district level (one
provincial at the city's size), as areas, their party organisations or their stations.

The party's demo types its meetings' places from a short list ("党群服务中心会议室", "网格党群服务站",
"红色驿站", "社区活动室"); the meetings held at the first three are given the name of the venue they
stand for (the community's station, or the street's centre for a street's organisation, a grid's
post where it has one) in one UPDATE, so that a venue's page counts them. "社区活动室" stays as it is.
Deterministic (seeded random), bulk written."""

import random
from decimal import Decimal

import pghistory
import pgtrigger
from django.db import connection, transaction

from orgs.choices import AreaLevel
from orgs.models import Area
from party.models import Meeting, PartyOrganisation

from .models_venues import FIVE_HAVES, DemonstrationSite, SiteKind, SiteLevel, Venue, VenueLevel, standards

SEED = 2021
STATION_COMPLIANT = 0.78  # seeds: 70–85% of the communities' stations meet the standard
CENTRE_LARGE = 0.9  # most street centres are of at least 500 m²
WITH_POST = 1 / 6  # communities with a grid post
SITE_SHARE = 0.07  # demonstration sites per community (seed 001: 90+ of ~1,000)
HOURS = "周一至周五 8:30-17:30，周六、周日轮值"
THEMES = ("红色物业", "一核多元", "党建引领网格治理", "五社联动", "党群服务阵地建设", "邻里互助")
AT_STATION = ("党群服务中心会议室", "网格党群服务站")
AT_POST = "红色驿站"
BATCH = 5000


def fill_demo_venues(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    rng = random.Random(SEED)
    streets = list(Area.objects.filter(level=AreaLevel.STREET).order_by("code"))
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct().order_by("code")
    )
    if not communities:
        return "演示区划中没有社区，未建立党群服务阵地。"
    grids = {}
    for grid in Area.objects.filter(level=AreaLevel.GRID, parent__in=communities).order_by("code"):
        grids.setdefault(grid.parent_id, []).append(grid)
    with pghistory.context(source="seed_demo"), transaction.atomic():
        venues = [centre(street, rng) for street in streets]
        for community in communities:
            venues.append(station(community, rng))
            if grids.get(community.pk) and rng.random() < WITH_POST:
                grid = grids[community.pk][0]
                venues.append(
                    Venue(
                        area=grid,
                        level=VenueLevel.POST,
                        name=f"{community.name}{grid.name}红色驿站",
                        address=f"{community.name}{grid.name}",
                        floor_area=Decimal(rng.randint(25, 80)),
                        opening_hours="每日 9:00-20:00",
                        **five(rng, lacking=0 if rng.random() < 0.8 else 1),
                    )
                )
        for venue in venues:
            venue.compliant = not venue.lacks()
        Venue.objects.bulk_create(venues, batch_size=2000)
        sites = demonstration_sites(communities, venues, rng)
        DemonstrationSite.objects.bulk_create(sites, batch_size=2000)
        meetings = name_meeting_places(venues)
    ok = sum(v.compliant for v in venues)
    return (
        f"党群服务阵地 {len(venues)} 个（达标 {ok} 个），示范点 {len(sites)} 个，组织生活地点对应到阵地 {meetings} 次。"
    )


def five(rng, lacking=0):
    """The 五有 with `lacking` of them missing (chosen at random)."""
    missing = set(rng.sample([name for name, _label in FIVE_HAVES], lacking))
    return {name: name not in missing for name, _label in FIVE_HAVES}


def centre(street, rng):
    floor = standards(street.code)[VenueLevel.CENTRE]
    large = rng.random() < CENTRE_LARGE
    area = floor + rng.randint(20, 1000) if large else floor - rng.randint(50, 200)
    return Venue(
        area=street,
        level=VenueLevel.CENTRE,
        name=f"{street.name}党群服务中心",
        address=f"{street.name}办事处一楼",
        floor_area=Decimal(area),
        opening_hours=HOURS,
        **five(rng, lacking=0 if large or rng.random() < 0.5 else 1),
    )


def station(community, rng):
    """A community's station: compliant, or short of one or two of the 五有 or of the floor area."""
    floor = standards(community.code)[VenueLevel.STATION]
    if rng.random() < STATION_COMPLIANT:
        area, lacking = floor + rng.randint(0, 400), 0
    else:
        short = rng.randint(1, 2)
        small = rng.random() < 0.4
        area = floor - rng.randint(20, 120) if small else floor + rng.randint(0, 200)
        lacking = short - 1 if small else short
    return Venue(
        area=community,
        level=VenueLevel.STATION,
        name=f"{community.name}党群服务站",
        address=f"{community.name}居委会",
        floor_area=Decimal(area),
        opening_hours=HOURS,
        **five(rng, lacking=lacking),
    )


DEMO_COMMUNITY = "220104001001"  # the demo login "shequ"'s; its street is jiedao's


def demonstration_sites(communities, venues, rng):
    """About one community in fourteen named a site: two of city level (one provincial at the city's
    size), the rest of district level; a third of them the community itself, a third its party
    organisation (when it has one), a third its station."""
    count = max(1, round(len(communities) * SITE_SHARE))
    chosen = rng.sample(communities, min(count, len(communities)))
    demo = next((c for c in communities if c.code == DEMO_COMMUNITY), None)
    if demo is not None and not any(c.parent_id == demo.parent_id for c in chosen):
        chosen[-1] = demo  # the demo logins' street (jiedao's, shequ's) shows a site too
    chosen.sort(key=lambda a: a.code)
    stations = {v.area_id: v for v in venues if v.level == VenueLevel.STATION}
    organisations = {}
    for organisation in PartyOrganisation.objects.filter(area__in=chosen).order_by("pk").only("pk", "area_id"):
        organisations.setdefault(organisation.area_id, organisation)
    levels = [SiteLevel.CITY, SiteLevel.CITY] + ([SiteLevel.PROVINCIAL] if count >= 50 else [])
    sites = []
    for n, community in enumerate(chosen):
        level = levels[n] if n < len(levels) else SiteLevel.DISTRICT
        year = 2021 + rng.randint(0, 4)
        site = DemonstrationSite(
            area=community,
            level=level,
            theme=rng.choice(THEMES),
            year=year,
            document_number=f"{'市' if level != SiteLevel.DISTRICT else '区'}组通〔{year}〕{rng.randint(5, 60)}号",
            kind=SiteKind.AREA,
        )
        pick = n % 3
        if pick == 1 and community.pk in organisations:
            site.organisation, site.kind = organisations[community.pk], SiteKind.ORGANISATION
        elif pick == 2 and community.pk in stations:
            site.venue, site.kind = stations[community.pk], SiteKind.VENUE
        sites.append(site)
    return sites


def name_meeting_places(venues):
    """Give the party demo's meetings at 党群服务中心会议室 / 网格党群服务站 the name of the community's
    station (or the street's centre for an organisation above the communities), and those at 红色驿站
    the grid's post where there is one (else the station): one UPDATE from a list of (organisation,
    place typed, venue's name). Returns the meetings renamed."""
    by_area = {(v.area_id, v.level): v.name for v in venues}
    parents = dict(
        Area.objects.filter(
            level__in=[AreaLevel.COMMUNITY, AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT]
        ).values_list("pk", "parent_id")
    )
    rows = []
    for pk, area_id in PartyOrganisation.objects.values_list("pk", "area_id"):
        chain, walker = [], area_id
        while walker is not None and len(chain) < 6:  # the organisation's area and those above it
            chain.append(walker)
            walker = parents.get(walker)
        station = next((by_area[(a, VenueLevel.STATION)] for a in chain if (a, VenueLevel.STATION) in by_area), None)
        centre = next((by_area[(a, VenueLevel.CENTRE)] for a in chain if (a, VenueLevel.CENTRE) in by_area), None)
        post = next((by_area[(a, VenueLevel.POST)] for a in chain if (a, VenueLevel.POST) in by_area), None)
        main = station or centre
        if main:
            rows += [(pk, typed, main) for typed in AT_STATION]
        if post or main:
            rows.append((pk, AT_POST, post or main))
    if not rows:
        return 0
    table = Meeting._meta.db_table
    renamed = 0
    # the demo's own filling in, not a change of anyone's: no 修改 in the meetings' history (as grids/demo.py)
    with pgtrigger.ignore("party.Meeting:update_update"), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):  # a statement's parameters are at most 65,535
            batch = rows[start : start + BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"""UPDATE {table} m SET place = t.name
                      FROM (VALUES {values}) AS t(organisation_id, typed, name)
                     WHERE m.organisation_id = t.organisation_id AND m.place = t.typed""",
                [value for row in batch for value in row],
            )
            renamed += cursor.rowcount
    return renamed
