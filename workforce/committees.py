"""The two committees' rules that are derived, not typed, in one place for the pages, the API, the
indicators and the tests:

- a term is *current* when it is the latest of its committee in its community elected by the day
  asked (an overdue term stays current until the next is recorded), *previous* the one before;
- 交叉任职: a person (ID number) on both committees of a community at a shared time;
- 一肩挑: the party secretary who is at the same time the residents' committee's director;
- the election statistics of a term — members, average age at the election, under 35, college
  (大专及以上), women, 交叉任职, 一肩挑 — counted once a person (by ID number) a term, in SQL;
- the same summed for every area of a level at once (one query a level, orgs.scoping.each_subtree_sql).
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.db import figures_by_key
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import as_levels, each_subtree_sql, within, within_sql

from .models_committees import COLLEGE, YOUNG_AGE, Committee, CommitteeMember, CommitteeTerm, Post

DUE_WITHIN = datetime.timedelta(days=183)  # 换届 due: the term ends within six months (or is overdue)
TERM = CommitteeTerm._meta.db_table
MEMBER = CommitteeMember._meta.db_table
AREA = Area._meta.db_table


def due_by(today=None):
    return (today or timezone.localdate()) + DUE_WITHIN


def current_terms(today=None):
    """The current terms (a queryset): the latest of each committee of each community elected by `today`."""
    today = today or timezone.localdate()
    later = CommitteeTerm.objects.filter(
        area_id=OuterRef("area_id"),
        committee=OuterRef("committee"),
        elected_on__gt=OuterRef("elected_on"),
        elected_on__lte=today,
    )
    return CommitteeTerm.objects.filter(elected_on__lte=today).exclude(Exists(later))


def previous_term(term):
    return (
        CommitteeTerm.objects.filter(area_id=term.area_id, committee=term.committee, elected_on__lt=term.elected_on)
        .order_by("-elected_on")
        .first()
    )


def _shared_time(prefix=""):
    """Q: the member of `prefix` (a related path) held a post at a time the outer member did."""
    return Q(**{f"{prefix}started_on__lte": OuterRef("ends_at")}) & (
        Q(**{f"{prefix}ended_on__isnull": True, f"{prefix}term__ends_on__gte": OuterRef("started_on")})
        | Q(**{f"{prefix}ended_on__gte": OuterRef("started_on")})
    )


def with_flags(queryset):
    """Members annotated `crossing` (交叉任职) and `one_shoulder` (一肩挑), each an EXISTS in SQL."""
    from django.db.models import BooleanField, Case, Value, When
    from django.db.models.functions import Coalesce

    queryset = queryset.annotate(ends_at=Coalesce("ended_on", "term__ends_on"))
    other = CommitteeMember.objects.filter(
        _shared_time(), area_id=OuterRef("area_id"), id_number=OuterRef("id_number")
    ).exclude(term__committee=OuterRef("term__committee"))
    return queryset.annotate(
        crossing=Exists(other),
        one_shoulder=Case(
            When(post=Post.SECRETARY, then=Exists(other.filter(post=Post.DIRECTOR))),
            When(post=Post.DIRECTOR, then=Exists(other.filter(post=Post.SECRETARY))),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def flagged(queryset, crossing=None, one_shoulder=None):
    """`queryset` (annotated by with_flags) narrowed to members with or without either flag."""
    if crossing is not None:
        queryset = queryset.filter(crossing=crossing)
    if one_shoulder is not None:
        queryset = queryset.filter(one_shoulder=one_shoulder)
    return queryset


# --- the statistics, in SQL ------------------------------------------------------------------------

# One row a person of a term: the term's community, committee and rank among the community's terms
# of that committee elected by %(today)s (1 the current, 2 the previous), the person's age at the
# election, and whether they are under 35, of college, a woman, on the other committee at a shared
# time (交叉任职), and the secretary who is the director at a shared time (一肩挑).
FACTS = f"""(
    SELECT m.term_id, t.area_id, t.committee, t.rank,
           date_part('year', age(t.elected_on, min(m.birth_date))) AS age,
           bool_or(m.gender = 'female') AS woman,
           bool_or(m.education = ANY(%(college)s)) AS college,
           bool_or(EXISTS (
               SELECT 1 FROM {MEMBER} o JOIN {TERM} ot ON ot.id = o.term_id
                WHERE o.area_id = t.area_id AND o.id_number = m.id_number AND ot.committee <> t.committee
                  AND o.started_on <= coalesce(m.ended_on, t.ends_on)
                  AND coalesce(o.ended_on, ot.ends_on) >= m.started_on)) AS crossing,
           bool_or(m.post = '{Post.SECRETARY.value}' AND EXISTS (
               SELECT 1 FROM {MEMBER} o JOIN {TERM} ot ON ot.id = o.term_id
                WHERE o.area_id = t.area_id AND o.id_number = m.id_number AND o.post = '{Post.DIRECTOR.value}'
                  AND o.started_on <= coalesce(m.ended_on, t.ends_on)
                  AND coalesce(o.ended_on, ot.ends_on) >= m.started_on)) AS both_heads
      FROM {MEMBER} m
      JOIN (SELECT id, area_id, committee, elected_on, ends_on,
                   row_number() OVER (PARTITION BY area_id, committee ORDER BY elected_on DESC) AS rank
              FROM {TERM} WHERE elected_on <= %(today)s) t ON t.id = m.term_id
     WHERE m.id_number <> '' {{subtree}}
     GROUP BY m.term_id, t.area_id, t.committee, t.rank, t.elected_on, m.id_number
)"""

STAT_NAMES = ("members", "age_sum", "aged", "young", "college", "women", "crossing", "both_heads")


def _figures(alias="f"):
    return (
        f"count(*), sum({alias}.age), count({alias}.age), count(*) FILTER (WHERE {alias}.age < {YOUNG_AGE}),"
        f" count(*) FILTER (WHERE {alias}.college), count(*) FILTER (WHERE {alias}.woman),"
        f" count(*) FILTER (WHERE {alias}.crossing), count(*) FILTER (WHERE {alias}.both_heads)"
    )


TERM_STATS_SQL = (
    f"SELECT f.term_id, {_figures()} FROM {FACTS.format(subtree='')} f"
    " WHERE f.term_id = ANY(%(terms)s) GROUP BY f.term_id"
)


def params(today=None, **more):
    return {"today": today or timezone.localdate(), "college": [str(c) for c in COLLEGE], **more}


class Stats(dict):
    """A term's (or an area's) counts with the shares the seeds quote, as percentages (one place)."""

    @classmethod
    def of(cls, row):
        stats = cls(zip(STAT_NAMES, (int(v or 0) for v in row), strict=True))
        return stats

    def share(self, name):
        return round(100 * self[name] / self["members"], 1) if self["members"] else None

    @property
    def average_age(self):
        return round(self["age_sum"] / self["aged"], 1) if self["aged"] else None

    @property
    def shares(self):
        return {
            "average_age": self.average_age,
            "young": self.share("young"),
            "college": self.share("college"),
            "women": self.share("women"),
            "crossing": self.share("crossing"),
        }


EMPTY = Stats.of((0,) * len(STAT_NAMES))


def term_statistics(terms, today=None):
    """{term id: Stats} of `terms` (ids), in one query."""
    rows = figures_by_key(TERM_STATS_SQL, params(today, terms=list(terms)))
    return {key: Stats.of(row) for key, row in rows.items()}


def rank_figures_sql(alias="f"):
    """SQL: over facts `alias`, for the current (rank 1) and previous (rank 2) terms of each committee,
    the counts of STAT_NAMES; then the communities with a current party term (the order of
    `_unpack`)."""
    parts = []
    for rank in (1, 2):
        for committee in Committee.values:
            condition = f"{alias}.rank = {rank} AND {alias}.committee = '{committee}'"
            parts += [
                f"count(*) FILTER (WHERE {condition})",
                f"sum({alias}.age) FILTER (WHERE {condition})",
                f"count({alias}.age) FILTER (WHERE {condition})",
                f"count(*) FILTER (WHERE {condition} AND {alias}.age < {YOUNG_AGE})",
                f"count(*) FILTER (WHERE {condition} AND {alias}.college)",
                f"count(*) FILTER (WHERE {condition} AND {alias}.woman)",
                f"count(*) FILTER (WHERE {condition} AND {alias}.crossing)",
                f"count(*) FILTER (WHERE {condition} AND {alias}.both_heads)",
            ]
    parts.append(
        f"count(DISTINCT {alias}.area_id) FILTER (WHERE {alias}.rank = 1"
        f" AND {alias}.committee = '{Committee.PARTY.value}')"
    )
    return ", ".join(parts)


def _rollup_sql(where="TRUE"):
    """Per area of %(levels)s: rank_figures_sql over the facts below it."""
    # The facts computed once (MATERIALIZED), each with its area's code, and the subtrees found from
    # them: asked for the city alone, the planner expects one area under it and nested the facts'
    # aggregate (with its EXISTS per member) inside a loop over the city's 165,368 areas — minutes.
    # From the facts' ~10,000 rows it is a hash join, as fast for one level as for four.
    figures = rank_figures_sql("a")
    # Below an area (`where` names %(root)s), only the members of its subtree are read: their facts
    # look at the same community's other members only.
    subtree = (
        f"AND m.area_id IN (SELECT id FROM {AREA} WHERE {within_sql('code', '%(root)s')})" if where != "TRUE" else ""
    )
    facts = f"SELECT f.*, ar.code FROM {FACTS.format(subtree=subtree)} f JOIN {AREA} ar ON ar.id = f.area_id"
    return f"WITH a AS MATERIALIZED ({facts})\n" + each_subtree_sql(figures, "a", where)


ROLLUP_SQL = _rollup_sql()
ROLLUP_UNDER_SQL = _rollup_sql(within_sql("a.code", "%(root)s"))


def rollup(level, today=None, under=None):
    """{area id: {"current": {committee: Stats}, "previous": {committee: Stats}, "communities": n}}
    for every area of `level` (one or several levels) with terms below it — or only those within the
    area `under` — in one query; as of today, from the tally (workforce/tallies.py) instead."""
    if today is None or today == timezone.localdate():
        return _rollup_now(level, under)
    return rollup_as_of(level, today, under)


def rollup_as_of(level, day, under=None):
    """rollup() worked out from the members as of `day`, in one query (any day; the tally's is today)."""
    # a root (the city) reads every member anyway: without the subtree's filter, which costs as much again
    whole = under is None or under.parent_id is None
    sql, extra = (ROLLUP_SQL, {}) if whole else (ROLLUP_UNDER_SQL, {"root": under.code})
    rows = figures_by_key(sql, params(day, levels=as_levels(level), **extra))
    return {key: _unpack(row) for key, row in rows.items()}


def _rollup_now(level, under=None):
    """rollup() as of today: the tally's sums over each area's subtree (a few queries, whatever the
    members under them)."""
    from .tallies import COMMITTEES

    areas = Area.objects.filter(level__in=as_levels(level))
    if under is not None:
        areas = areas.filter(within("code", under.code))
    codes = dict(areas.values_list("code", "pk"))
    sums = COMMITTEES.sums(list(codes))
    return {
        codes[code]: _unpack([figures[column] for column in COMMITTEES.columns])
        for code, figures in sums.items()
        if any(figures.values())
    }


def _unpack(row):
    size = len(STAT_NAMES)
    chunks = [Stats.of(row[i * size : (i + 1) * size]) for i in range(4)]
    committees = Committee.values
    return {
        "current": dict(zip(committees, chunks[0:2], strict=True)),
        "previous": dict(zip(committees, chunks[2:4], strict=True)),
        "communities": int(row[-1] or 0),
    }


# --- the assessment's and the dashboards' figures ---------------------------------------------------

SOURCE_LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET)


def one_shoulder_share(level, start=None, end=None):
    """一肩挑比例: of the communities under each area with a current party committee (as of `end`), how
    many have their secretary as the residents' committee's director."""
    return {
        key: (figures["current"][Committee.PARTY]["both_heads"], figures["communities"])
        for key, figures in rollup_as_of(level, end or timezone.localdate()).items()
        if figures["communities"]
    }


def crossing_share(level, start=None, end=None):
    """交叉任职比例: of the current party committees' members under each area, how many sit on the
    residents' committee too."""
    return {
        key: (party["crossing"], party["members"])
        for key, figures in rollup_as_of(level, end or timezone.localdate()).items()
        if (party := figures["current"][Committee.PARTY])["members"]
    }
