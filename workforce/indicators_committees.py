"""The two committees' figures for every area of a level in one query (workforce/committees.py's
rollup over orgs.scoping.each_subtree_sql): 一肩挑比例 and 交叉任职比例 as IndicatorSources of the
assessment, and 一肩挑 as a dashboard Figure."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import Figure, IndicatorSource, registry

from . import committees


def list_url(name, **query):
    def url(area):
        return reverse(f"workforce:{name}_list") + "?" + urlencode({"within": area.code, **query})

    return url


def one_shoulder_now(level, start=None, end=None):
    return committees.one_shoulder_share(level, start, end)


def register():
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.one_shoulder",
            _("社区书记、主任一肩挑比例"),
            committees.SOURCE_LEVELS,
            committees.one_shoulder_share,
            numerator_label=_("书记兼任居委会主任的社区"),
            denominator_label=_("有现任党组织班子的社区"),
            records_url=list_url("committeemember", one_shoulder="true", current="true"),
        )
    )
    registry.add_indicator_source(
        IndicatorSource(
            "workforce.crossing",
            _("两委交叉任职比例"),
            committees.SOURCE_LEVELS,
            committees.crossing_share,
            numerator_label=_("交叉任职的党组织委员"),
            denominator_label=_("现任党组织委员"),
            records_url=list_url("committeemember", crossing="true", current="true", committee="party"),
        )
    )
    registry.add_figure(
        Figure(
            "workforce.committees_one_shoulder",
            _("一肩挑比例"),
            one_shoulder_now,
            order=120,
            icon="person-check",
            share=True,
            url=lambda area: reverse("workforce:area_committees", args=[area.code]),
        )
    )
