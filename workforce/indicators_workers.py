"""社区工作者's figures, each for every area of a level in one query (orgs.scoping.each_subtree_sql),
registered in core.registry: 持证社工占比 (of the workers in post on the period's last day, those with
a certificate valid that day), 社工配备达标率 (of the communities with households recorded, those
with as many workers in post as the standard asks: workers per 1,000 households, per city) and
培训学时达标率 (of the workers in post, those whose hours from the year's first day reach the year's
requirement pro rata to the months passed) — the assessment's IndicatorSources — and the dashboards'
workers and certified share (Figures).

Households are red property's (its compounds), read through the registry's AreaWeight
"property.households" (workforce imports nothing of property): one query for every community's
households, then one for the staffing of every area of the level — two, whatever their number."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import figures_by_key
from core.registry import Figure, IndicatorSource, registry
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql

from .models_workers import Certificate, TrainingRecord, Worker, staffing_prefixes, training_requirement

AREA = Area._meta.db_table
WORKER = Worker._meta.db_table
CERTIFICATE = Certificate._meta.db_table
TRAINING = TrainingRecord._meta.db_table
LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)
HOUSEHOLDS = "property.households"

IN_POST = "w.hired_on <= %(end)s AND (w.left_on IS NULL OR w.left_on > %(end)s)"
CERTIFIED_SQL = each_subtree_sql(
    f"""count(*) FILTER (WHERE EXISTS (
        SELECT 1 FROM {CERTIFICATE} c
         WHERE c.worker_id = w.id AND c.obtained_on <= %(end)s AND (c.expires_on IS NULL OR c.expires_on >= %(end)s))),
        count(*)""",
    f"{AREA} a JOIN {WORKER} w ON w.area_id = a.id",
    IN_POST,
)
WORKERS_SQL = each_subtree_sql("count(*), 0", f"{AREA} a JOIN {WORKER} w ON w.area_id = a.id", IN_POST)
TRAINED_SQL = each_subtree_sql(
    "count(*) FILTER (WHERE coalesce(t.hours, 0) >= %(owed)s), count(*)",
    f"""{AREA} a JOIN {WORKER} w ON w.area_id = a.id
        LEFT JOIN (SELECT worker_id, sum(hours) AS hours FROM {TRAINING}
                    WHERE trained_on BETWEEN %(first)s AND %(end)s GROUP BY worker_id) t ON t.worker_id = w.id""",
    IN_POST,
)


def standard_case():
    """SQL: the staffing standard of the community `a` (settings WORKFORCE_STAFFING by code prefix),
    and its parameters."""
    parts, params = [], {}
    for index, (prefix, standard) in enumerate(staffing_prefixes()):
        params[f"std{index}"] = Decimal(str(standard))
        if prefix:
            params[f"prefix{index}"] = prefix + "%"
            parts.append(f"WHEN a.code LIKE %(prefix{index})s THEN %(std{index})s")
        else:
            parts.append(f"ELSE %(std{index})s")
    if len(parts) == 1:  # no city of its own: the default alone
        return f"%(std{len(parts) - 1})s", params
    return f"(CASE {' '.join(parts)} END)", params


def staffing_sql():
    case, params = standard_case()
    sql = each_subtree_sql(
        f"count(*) FILTER (WHERE coalesce(w.n, 0) >= ceil(h.households * {case} / 1000.0)), count(*)",
        f"""{AREA} a JOIN unnest(%(ids)s::bigint[], %(households)s::bigint[]) AS h(area_id, households)
              ON h.area_id = a.id
            LEFT JOIN (SELECT w.area_id, count(*) AS n FROM {WORKER} w WHERE {IN_POST} GROUP BY w.area_id) w
              ON w.area_id = a.id""",
        "a.level = %(community)s AND h.households > 0",
    )
    return sql, params


def households(within=None):
    """{community id: households} from red property's compounds, through the registry (one query),
    of every community or of those within the area of code `within`; {} where no app registers the
    weight."""
    weight = registry.area_weights.get(HOUSEHOLDS)
    if weight is None:
        return {}
    return weight.compute(AreaLevel.COMMUNITY.value, within=within)


def certified(level, start, end):
    """Of the workers in post under each area on `end`, how many hold a certificate valid that day."""
    return figures_by_key(CERTIFIED_SQL, {"levels": as_levels(level), "end": end})


def workers(level, start=None, end=None):
    return figures_by_key(WORKERS_SQL, {"levels": as_levels(level), "end": end or timezone.localdate()})


def owed_by(end):
    """The hours a worker owes from the year's first day to `end`: the requirement pro rata to the
    months begun (a quarter's figure asks a quarter's share; the year's asks all of it)."""
    return (training_requirement() * end.month / 12).quantize(Decimal("0.1"))


def trained(level, start, end):
    """Of the workers in post under each area on `end`, how many trained the hours owed by then."""
    params = {"levels": as_levels(level), "end": end, "first": datetime.date(end.year, 1, 1), "owed": owed_by(end)}
    return figures_by_key(TRAINED_SQL, params)


def staffed(level, start, end):
    """Of the communities under each area with households recorded, how many have the workers in post
    on `end` that the standard asks of their households."""
    weights = households()
    if not weights:
        return {}
    sql, params = staffing_sql()
    ids = list(weights)
    params.update(
        levels=as_levels(level),
        end=end,
        ids=ids,
        households=[int(weights[i]) for i in ids],
        community=AreaLevel.COMMUNITY.value,
    )
    return figures_by_key(sql, params)


def certified_now(level, start=None, end=None):
    return certified(level, start, end or timezone.localdate())


def within_url(name, **query):
    def url(area):
        return reverse(f"workforce:{name}") + "?" + urlencode({"within": area.code, **query})

    return url


def staffing_url(area):
    return reverse("workforce:staffing") + "?" + urlencode({"within": area.code})


def register():
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.certified_share",
            _("持证社工占比"),
            LEVELS,
            certified,
            numerator_label=_("持有效社工证的在职社区工作者"),
            denominator_label=_("在职社区工作者"),
            records_url=within_url("worker_list", current="true", certified="true"),
            current_gaps_url=within_url("worker_list", current="true", certified="false"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.staffing",
            _("社工配备达标率"),
            LEVELS,
            staffed,
            numerator_label=_("按每千户标准配足社区工作者的社区"),
            denominator_label=_("登记了户数的社区"),
            records_url=staffing_url,
            current_gaps_url=staffing_url,
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.training_hours",
            _("培训学时达标率"),
            LEVELS,
            trained,
            numerator_label=_("培训学时达到要求的在职社区工作者"),
            denominator_label=_("在职社区工作者"),
            records_url=within_url("trainingrecord_list"),
        )
    )
    registry.add_figure(
        Figure(
            "workforce.workers",
            _("在职社区工作者"),
            workers,
            order=95,
            icon="person-badge",
            url=within_url("worker_list", current="true"),
        )
    )
    registry.add_figure(
        Figure(
            "workforce.certified_share",
            _("持证社工占比"),
            certified_now,
            order=96,
            icon="award",
            share=True,
            url=within_url("worker_list", current="true", certified="true"),
        )
    )
