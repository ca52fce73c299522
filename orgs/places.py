"""Places where people live, as they say them ("3栋2单元", with its grid and community), and the
picker that finds one by name as the user types (the member form's residence): a form field
typed by code (core.forms.type_by_key) whose widget is `AreaPicker`, served by
orgs.views.areas.area_pick in the user's scope."""

import re

from django import forms
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .choices import AreaLevel
from .models import Area

PICK_RESULTS = 20
# The areas above a unit that a label names: building, grid, community.
ABOVE = "parent__parent__parent"
# A typed place split where people end a part of it: "文化社区第1网格3栋2单元" → 文化社区, 第1网格, 3栋, 2单元.
PART = re.compile(r".+?(?:社区|网格|小区|栋|号楼|单元)|.+$")
MARKED = re.compile(r".*(?:社区|网格|小区|栋|号楼|单元)$")


def place_name(area):
    """A home as people say it: a unit with its building ("3栋2单元"), else the area's name."""
    if area.level == AreaLevel.UNIT and area.parent is not None:
        return f"{area.parent.name}{area.name}"
    return area.name


def place_context(area):
    """The grid and community a place lies in ("文化社区 · 第1网格"), for a building or a unit."""
    walk = area.parent if area.level == AreaLevel.UNIT else area
    names = []
    walk = walk.parent if walk is not None else None
    while walk is not None and walk.level in (AreaLevel.GRID, AreaLevel.COMMUNITY) and len(names) < 2:
        names.append(walk.name)
        walk = walk.parent
    return " · ".join(reversed(names))


def place_label(area):
    """ "3栋2单元（文化社区 · 第1网格）": the place and where it lies."""
    context = place_context(area)
    return f"{place_name(area)}（{context}）" if context else place_name(area)


def find_places(user, query, levels=()):
    """The areas of `levels` in `user`'s scope that `query` names: every part typed ("3栋",
    "2单元", "第1网格", "文化") is the area's name or one of its three ancestors' (a part ending
    in 栋, 单元, 网格… exactly, another as a fragment); digits alone are a code's beginning."""
    compact = re.sub(r"\s+", "", query or "")
    if not compact:
        return Area.objects.none()
    areas = Area.objects.scoped(user).select_related(ABOVE)
    if levels:
        areas = areas.filter(level__in=levels)
    if compact.isdigit():
        return areas.filter(code__startswith=compact).order_by("code")
    for part in PART.findall(compact):
        lookup = "iexact" if MARKED.match(part) else "icontains"
        condition = Q()
        for path in ("name", "parent__name", "parent__parent__name", "parent__parent__parent__name"):
            condition |= Q(**{f"{path}__{lookup}": part})
        areas = areas.filter(condition)
    return areas.order_by("code")


class AreaPicker(forms.Widget):
    """Choose an area by name as you type: a search box whose matches (orgs:area_pick, htmx)
    are buttons; a click puts the area's code into the hidden input the form reads
    (static/js/portal.js, [data-area-picker]). Shows the chosen place as people say it."""

    template_name = "orgs/widgets/area_picker.html"

    def __init__(self, levels=(), placeholder="", attrs=None):
        super().__init__(attrs)
        self.levels = tuple(levels)
        self.placeholder = placeholder

    def format_value(self, value):
        return "" if value is None else str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = context["widget"]["value"]
        area = Area.objects.select_related(ABOVE).filter(code=code).first() if code else None
        context["widget"].update(
            picked=place_label(area) if area is not None else "",
            url=reverse("orgs:area_pick") + ("?levels=" + ",".join(self.levels) if self.levels else ""),
            placeholder=self.placeholder or _("输入名称查找，如 3栋2单元"),
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data, files, name):
        return data.get(name)
