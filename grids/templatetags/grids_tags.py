from django import template

from orgs.choices import AreaLevel

from ..choices import HEAD_OF_LEVEL
from ..coverage import LevelCoverage

register = template.Library()


@register.filter
def level_coverage(figures, level):
    return figures.level(level)


@register.filter
def percent(rate):
    return "—" if rate is None else f"{rate:.1%}"


@register.filter
def level_head_label(level):
    return HEAD_OF_LEVEL[AreaLevel(level)].label


@register.filter
def head_label(level_coverage: LevelCoverage):
    return level_head_label(level_coverage.level)


@register.filter
def level_label(level):
    return AreaLevel(level).label
