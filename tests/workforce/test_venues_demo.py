"""The demo city's venues and demonstration sites (seed_demo, order 260): a centre for each street,
a station for each community, about four in five compliant and the rest short of one or two
things; sites for roughly 5–10% of the communities, two of city level; the party demo's meetings
held at the venues' names, so that a venue's page counts them."""

import pytest
from django.db.models import Count

from orgs.choices import AreaLevel
from orgs.demo import login_areas
from orgs.models import Area
from party.models import Meeting
from workforce.models_venues import DemonstrationSite, SiteLevel, Venue, VenueLevel

pytestmark = pytest.mark.django_db


def test_the_demo_city_has_its_venues_at_the_seeds_proportions(small_demo):
    assert "党群服务阵地" in small_demo
    streets = Area.objects.filter(level=AreaLevel.STREET).count()
    communities = Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct().count()
    assert Venue.objects.filter(level=VenueLevel.CENTRE).count() == streets
    stations = Venue.objects.filter(level=VenueLevel.STATION)
    assert stations.count() == communities
    share = stations.filter(compliant=True).count() / communities
    assert 0.6 <= share <= 0.95, share
    for station in stations.filter(compliant=False)[:50]:
        assert 1 <= len(station.lacks()) <= 2, station.lacks()
    centres = Venue.objects.filter(level=VenueLevel.CENTRE)
    assert centres.filter(floor_area__gte=500).count() >= centres.count() * 0.7
    assert Venue.objects.filter(level=VenueLevel.POST).exists()


def test_the_demo_names_its_sites_in_proportion(small_demo):
    communities = Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct().count()
    sites = DemonstrationSite.objects.all()
    assert 0.03 * communities <= sites.count() <= 0.12 * communities + 1
    assert sites.filter(level=SiteLevel.CITY).count() == min(2, sites.count())
    assert set(sites.values_list("kind", flat=True)) <= {"area", "organisation", "venue"}
    street = login_areas()["street"]  # the demo logins' street (jiedao's, shequ's) is not left without
    assert sites.filter(area__parent=street).exists()
    for site in sites.select_related("organisation", "venue"):
        subject = site.organisation or site.venue
        assert subject is None or subject.area_id == site.area_id


def test_the_demo_meetings_are_held_at_the_venues(small_demo):
    names = set(Venue.objects.values_list("name", flat=True))
    held = Meeting.objects.filter(place__in=names)
    assert held.count() > Meeting.objects.count() * 0.3
    busiest = Venue.objects.filter(level=VenueLevel.STATION).annotate(n=Count("pk")).order_by("area__code").first()
    assert busiest.meetings().exists()
