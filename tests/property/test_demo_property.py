"""Red property in the small demo city (property/demo.py): Liupanshui's proportions, the ledger's
states, the owners' committees' flags, totals that agree between the pages, nobody in two streets,
the running quarter scored with red property, and the housing bureau's home page."""

import datetime
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from core.calendar import Quarter
from orgs.choices import AreaLevel
from orgs.models import Area, User
from orgs.scoping import within
from property import indicators
from property.choices import LedgerStatus, ManagementMode
from property.models import CommitteeMember, Compound, LedgerEntry, OwnersCommittee, PropertyCompany
from tests.helpers import with_lazy_parts

pytestmark = pytest.mark.django_db


def test_it_says_what_it_made_and_takes_seconds(small_demo):
    line = next(line for line in small_demo.splitlines() if line.startswith("已建立红色物业"))
    seconds = float(re.search(r"用时 ([\d.]+) 秒", line).group(1))
    assert seconds < 5  # bulk writes: the small demo's seed barely notices it
    assert Compound.objects.count() == int(re.search(r"(\d+) 个小区", line).group(1)) > 100


def test_every_filled_community_has_compounds_at_liupanshuis_proportions(small_demo):
    filled = Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct()
    assert set(filled) == {compound.community for compound in Compound.objects.select_related("community")}
    urban = Compound.objects.exclude(community__name__endswith="村")
    modes = dict(urban.values_list("mode").annotate(n=Count("pk")))
    total = sum(modes.values())
    assert 0.65 <= modes[ManagementMode.PROFESSIONAL] / total <= 0.9  # most under a company
    for mode in (ManagementMode.OWNERS, ManagementMode.COMMUNITY, ManagementMode.STATE):
        assert 0 < modes[mode] / total < 0.15  # some
    bare = Compound.objects.filter(mode=ManagementMode.NONE).count()
    assert 1 <= bare <= 0.08 * Compound.objects.count()  # a handful
    # a company and its contract where a company serves; none elsewhere
    with_company = Compound.objects.filter(mode=ManagementMode.PROFESSIONAL)
    assert not with_company.filter(company=None).exists()
    assert not with_company.filter(contract_start=None).exists()
    assert (
        not Compound.objects.exclude(mode__in=[ManagementMode.PROFESSIONAL, ManagementMode.STATE])
        .exclude(company=None)
        .exists()
    )
    # each compound on grids or buildings of its own community, with households
    for compound in Compound.objects.prefetch_related("areas").select_related("community")[:60]:
        covered = list(compound.areas.all())
        assert covered and all(a.code.startswith(compound.community.code) for a in covered)
        assert all(a.level in (AreaLevel.GRID, AreaLevel.BUILDING) for a in covered)
        assert compound.households > 0


def test_companies_are_registered_with_their_districts_housing_department(small_demo):
    for company in PropertyCompany.objects.select_related("department__kind", "department__area"):
        assert company.department.kind.name == "住建"
        assert company.department.area.level == AreaLevel.DISTRICT
        company.full_clean()  # a valid credit code, a valid phone
    streets = defaultdict(set)
    districts = defaultdict(set)
    for company, code in Compound.objects.exclude(company=None).values_list("company", "community__code"):
        streets[company].add(code[:9])
        districts[company].add(code[:6])
    assert any(len(s) > 1 for s in streets.values())  # some serve several streets
    assert any(len(d) > 1 for d in districts.values())  # some across districts
    chaoyang = PropertyCompany.objects.filter(department__name="朝阳区住房和城乡建设局")
    assert chaoyang.count() >= 3


def test_the_ledger_holds_open_overdue_reopened_and_closed_entries(small_demo):
    today = timezone.localdate()
    quarter = Quarter.current(today)
    bare = set(Compound.objects.filter(mode=ManagementMode.NONE).values_list("pk", flat=True))
    open_entries = LedgerEntry.objects.filter(status=LedgerStatus.OPEN)
    assert set(open_entries.values_list("compound", flat=True)) == bare  # every one on the ledger, once
    assert open_entries.count() == len(bare)
    assert not open_entries.filter(responsible="").exists() and not open_entries.filter(plan="").exists()
    assert open_entries.filter(deadline__lt=today).count() >= 2  # a couple overdue
    assert open_entries.exclude(reason="").exists()  # one reopened, with its reason
    closed = LedgerEntry.objects.filter(status=LedgerStatus.CLOSED)
    assert not closed.filter(evidence="").exists()  # closed with evidence
    assert not closed.filter(compound__mode=ManagementMode.NONE).exists()  # closed once a mode was assigned
    assert closed.filter(at__date__gte=quarter.start).exists()  # some this quarter
    assert closed.filter(at__date__lt=quarter.start).exists()  # some before
    # the demo community's cadre (shequ, 刘秀英) has one to work on
    assert open_entries.filter(compound__community__code="220104001001", responsible="刘秀英").exists()


def test_the_ledger_has_a_years_history_its_burn_down_descends_toward_today(small_demo):
    """What 台账进度 reads — the entries' history (LedgerEntryEvent) for the burn-down, the 销号 rows
    (StateChange) for closed this quarter — tells the year as it went: put on the ledger open,
    closed over the quarters, a few reopened; not everything at the instant of the seed."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import StateChange
    from property.ledger_summary import burndown, summary

    today = timezone.localdate()
    district = Area.objects.get(code="220104")
    remain = LedgerEntry.objects.filter(within("compound__community__code", district.code), status="open").count()
    series = burndown(district, today)
    drawn = [(day, n) for day, n in zip(series["dates"], series["open"], strict=True) if n is not None]
    counts = [n for _day, n in drawn]
    assert counts[-1] == remain  # today's point is what the ledger holds now
    assert len(set(counts)) >= min(3, len(counts))  # it moves over the months
    assert counts[0] >= counts[-1] and (len(counts) == 1 or counts[0] > counts[-1])
    by_quarter = {}  # the last point of each quarter: the burn-down goes down, quarter by quarter
    for day, n in drawn:
        by_quarter[Quarter.current(datetime.date.fromisoformat(day))] = n
    quarterly = list(by_quarter.values())
    assert quarterly == sorted(quarterly, reverse=True)
    assert summary(district, today)[0].closed_this_quarter > 0

    changes = StateChange.objects.filter(content_type=ContentType.objects.get_for_model(LedgerEntry))
    closings = list(changes.filter(transition="close").values_list("at", flat=True))
    quarters = {Quarter.current(timezone.localtime(at).date()) for at in closings}
    this_year = [q for q in quarters if q.year == today.year]
    assert len(this_year) == Quarter.current(today).number  # closings in every quarter of the year so far
    assert all(at <= timezone.now() for at in closings)
    assert changes.filter(transition="reopen").exclude(reason="").exists()  # a few reopened, with the reason
    # each entry was put on the ledger open, before it was closed; its `at` is its last step's time
    events = apps.get_model("property", "LedgerEntryEvent").objects.order_by("pgh_obj_id", "pgh_created_at", "pgh_id")
    first = {}
    for entry, label, status, at in events.values_list("pgh_obj_id", "pgh_label", "status", "pgh_created_at"):
        first.setdefault(entry, (label, status, at))
    assert {(label, status) for label, status, _at in first.values()} == {("insert", LedgerStatus.OPEN)}
    assert len({timezone.localtime(at).date() for _l, _s, at in first.values()}) > 1  # not all at once
    last_close = dict(changes.filter(transition="close").order_by("at").values_list("object_id", "at"))
    for entry in LedgerEntry.objects.filter(status=LedgerStatus.CLOSED):
        assert entry.at == last_close[entry.pk]


def test_owners_committees_mostly_have_a_party_majority_a_few_not_a_couple_expired(small_demo):
    committees = list(OwnersCommittee.objects.annotate(n=Count("members")))
    compounds = Compound.objects.exclude(mode=ManagementMode.NONE).count()
    assert 0.3 * compounds <= len(committees) <= 0.7 * compounds
    majority = [c.party_majority for c in committees]
    assert 0.8 <= sum(majority) / len(majority) < 1  # most, not all
    expired = [c for c in committees if c.expired]
    assert 2 <= len(expired) <= 6
    assert all(5 <= c.n <= 9 for c in committees)
    owners = Compound.objects.filter(mode=ManagementMode.OWNERS)
    assert not owners.filter(committees=None).exists()  # owners who manage themselves have a committee


def test_checklists_and_consultations_every_quarter(small_demo):
    from property.models import Checklist, Consultation

    current = Quarter.current()
    for quarter in (current.shifted(-2), current.previous(), current):
        assert Checklist.objects.filter(quarter=quarter.key).exists()
        assert Consultation.objects.filter(held_on__gte=quarter.start, held_on__lte=quarter.end).exists()
    assert not Consultation.objects.filter(held_on__gt=timezone.localdate()).exists()


def test_nobody_serves_in_two_streets(small_demo):
    from party.models import PartyMember

    links = PropertyCompany.objects.values_list(
        "pk", "party_instructor", "part_time_member", "service_adviser", "compounds__community__code"
    )
    served = defaultdict(set)
    people = defaultdict(set)
    for company, *members, code in links:
        if code:
            served[company].add(code[:9])
        for member in members:
            if member:
                people[member].add(company)
    assert people and all(len(companies) == 1 for companies in people.values())  # one company each
    homes = dict(PartyMember.objects.filter(pk__in=people).values_list("pk", "organisation__area__code"))
    for member, (company,) in people.items():
        assert homes[member][:9] in served[company]  # from a street the company serves
    streets_of = defaultdict(set)
    for name, code in LedgerEntry.objects.values_list("responsible", "compound__community__code"):
        streets_of[name].add(code[:9])
    for name, code in CommitteeMember.objects.values_list("name", "committee__compound__community__code"):
        streets_of[name].add(code[:9])
    assert all(len(streets) == 1 for streets in streets_of.values())


def test_totals_agree_between_the_panel_the_lists_the_figures_and_the_scores(small_demo, client):
    from assessment.models import Period, Value

    district = Area.objects.get(code="220104")
    user = User.objects.get(username="chaoyang_zzb")
    client.force_login(user)
    total = Compound.objects.filter(within("community__code", district.code)).count()
    streets = Area.objects.filter(parent=district, level=AreaLevel.STREET)
    assert total == sum(Compound.objects.filter(within("community__code", s.code)).count() for s in streets)
    page = with_lazy_parts(client, reverse("orgs:area_detail", args=[district.code]))
    assert f"小区 <strong>{total}</strong> 个" in page  # the area page's 物业 panel
    assert indicators.compounds_now(district) == (total, 0)
    assert indicators.compounds(AreaLevel.DISTRICT)[district.pk] == (total, 0)
    remaining = LedgerEntry.objects.filter(within("compound__community__code", district.code), status="open").count()
    assert indicators.remaining(AreaLevel.DISTRICT)[district.pk] == (remaining, 0)
    # the running quarter scores with the copy of the default set that has red property
    period = Period.objects.filter(start=Quarter.current().start).get()
    assert period.indicator_set.copied_from.name == "党建引领基层治理考核指标（默认）"
    values = Value.objects.filter(period=period, indicator__source="property.compounds_managed")
    by_street = {v.area_id: (v.numerator, v.denominator) for v in values.filter(area__level=AreaLevel.STREET)}
    for street in streets:
        compounds = Compound.objects.filter(within("community__code", street.code))
        assert by_street[street.pk] == (compounds.exclude(mode="none").count(), compounds.count())
    closed = Period.objects.exclude(pk=period.pk)
    assert closed.filter(indicator_set__name="党建引领基层治理考核指标（默认）").count() == 2


def test_the_housing_bureaus_home_page_is_its_work(small_demo, client):
    client.force_login(User.objects.get(username="zhujian"))
    page = with_lazy_parts(client, reverse("home"))
    assert "物业企业与小区监管" in page and "本部门登记的物业服务企业" in page
    registered = PropertyCompany.objects.filter(department__name="朝阳区住房和城乡建设局").count()
    assert re.search(rf">{registered}</div><div[^>]*>本部门登记的物业服务企业", page)
    # Not the district's assessment tile, with its party figures: the department reads no party page.
    assert "朝阳区 考核排名" not in page and "打开考核看板" not in page
    client.force_login(User.objects.get(username="jiedao"))
    street = with_lazy_parts(client, reverse("home"))
    assert "物业企业与小区监管" not in street
    assert "前进街道 考核排名" in street  # the control: a cadre's home page has it


def fingerprint():
    compounds = Compound.objects.values_list(
        "community__code", "name", "mode", "company__credit_code", "households", "contract_end"
    )
    entries = LedgerEntry.objects.values_list("compound__community__code", "compound__name", "status", "deadline")
    members = CommitteeMember.objects.values_list("committee__compound__community__code", "name", "is_party_member")
    companies = PropertyCompany.objects.values_list("credit_code", "name", "legal_representative", "department__name")
    return [sorted(rows, key=str) for rows in (compounds, entries, members, companies)]


def test_a_rebuilt_demo_has_the_same_red_property(small_demo):
    from io import StringIO

    from django.core.management import call_command

    before = fingerprint()
    call_command("seed_demo", force=True, stdout=StringIO())
    assert fingerprint() == before  # one seeded RNG, rows in code order: deterministic
