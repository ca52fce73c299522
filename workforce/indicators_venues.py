"""党群服务阵地's figures, each for every area of a level in one query (orgs.scoping.each_subtree_sql),
registered in core.registry: the assessment's 党群服务阵地规范化达标率 (IndicatorSource
"workforce.venue_compliance": of the venues under a street — its centre, its communities' stations
and their grid posts — or under a community — its station(s) and the posts under it — how many
comply with the standard) and the dashboards' share of venues that comply (a Figure).

Compliance is the venues' as they stand (the stored flag), not as of a past period: the records
keep no dated state of the 五有, so the breakdown links today's gaps (`current_gaps_url`)."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql, within

from .models_venues import Venue

AREA = Area._meta.db_table
LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)
COMPLIANCE_SQL = each_subtree_sql(
    "count(*) FILTER (WHERE v.compliant), count(*)",
    f"{AREA} a JOIN {Venue._meta.db_table} v ON v.area_id = a.id",
)


def compliance(level, start=None, end=None):
    """{area id: (compliant venues, venues)} for every area of `level` with venues under it."""
    return figures_by_key(COMPLIANCE_SQL, {"levels": as_levels(level)})


def live(area):
    figures = Venue.objects.filter(within("area__code", area.code)).aggregate(
        ok=Count("pk", filter=Q(compliant=True)), total=Count("pk")
    )
    return figures["ok"], figures["total"]


def venues_url(**query):
    def url(area):
        return reverse("workforce:venue_list") + "?" + urlencode({"within": area.code, **query})

    return url


def register():
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.venue_compliance",
            _("党群服务阵地规范化达标率"),
            LEVELS,
            compliance,
            numerator_label=_("达标阵地"),
            denominator_label=_("阵地"),
            records_url=venues_url(compliant="true"),
            current_gaps_url=venues_url(compliant="false"),
        )
    )
    registry.add_figure(
        Figure(
            "workforce.venue_compliance",
            _("党群服务阵地达标"),
            compliance,
            order=120,
            icon="house-heart",
            share=True,
            live=live,
            url=venues_url(),
        )
    )
