"""Areas as people say them, and the one picker that finds an area by name.

Names: a unit is always named with its building ("3栋2单元", never "2单元" alone, which every
building has). Standing alone (`place_name`, the roster's tables and messages) a building also
takes its grid ("第1网格3栋") and a grid its community ("文化社区第1网格"); with where it lies
(`place_label`, a member's residence, the picker's choices) it reads "3栋2单元（文化社区 · 第1网格）".
`place_names` names many areas by code in one query (the roster's imports).

The picker (`AreaPicker`, its search `find_places`, its endpoint orgs.views.areas.area_pick, its
results template orgs/area_pick.html and static/js/portal.js [data-area-picker]) serves every form
that asks for an area: the new user's and the granted role's area (areas where the granter may
grant the chosen role), a party member's residence (grids, buildings, units in the user's scope).
"""

import json
import re

from django import forms
from django.db import connection
from django.db.models import Q
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .choices import LEVEL_RANK, ROLE_LEVELS, AreaLevel
from .models import Area
from .scoping import Action, within

PICK_RESULTS = 20
# The areas above a unit that the picker names: building, grid, community, street.
ABOVE = "parent__parent__parent__parent"
NAME_PATHS = ("name", "parent__name", "parent__parent__name", "parent__parent__parent__name")
# A typed place split where people end a part of it: "文化社区第1网格3栋2单元" → 文化社区, 第1网格, 3栋, 2单元.
PART = re.compile(r".+?(?:社区|网格|小区|栋|号楼|单元)|.+$")
MARKED = re.compile(r".+(?:社区|网格|小区|栋|号楼|单元)$")
NAMED_WITH_PARENT = (AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)
PLACE_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT)


# --- names ---------------------------------------------------------------------------------------


def own_name(area):
    """An area's name within its grid: a unit with its building ("3栋2单元"), else its name."""
    if area.level == AreaLevel.UNIT and area.parent_id:
        return f"{area.parent.name}{area.name}"
    return area.name


def place_name(area):
    """An area named alone: 5栋3单元, 第1网格5栋, A1社区第1网格 (select_related the parent); any
    other area: its name."""
    if area.level in NAMED_WITH_PARENT and area.parent_id:
        return f"{area.parent.name}{area.name}"
    return area.name


def place_context(area):
    """Where an area lies: the two areas above its own name, up to its community — "文化社区 ·
    第1网格" for a building or a unit, "文化社区" for a grid, "朝阳区 · 前进街道" for a community."""
    walk = area.parent if area.level == AreaLevel.UNIT and area.parent_id else area
    names = []
    walk = walk.parent
    while walk is not None and len(names) < 2:
        names.append(walk.name)
        if walk.level == AreaLevel.COMMUNITY:
            break
        walk = walk.parent
    return " · ".join(reversed(names))


def place_path(area):
    """Where an area lies, from its street down ("前进街道 · 文化社区 · 第1网格"), so that the areas
    of one name (every community has its 第1网格, two streets a 文化社区) are told apart in a list;
    a street or above: its parent."""
    walk = area.parent if area.level == AreaLevel.UNIT and area.parent_id else area
    names = []
    walk = walk.parent
    while walk is not None and LEVEL_RANK[walk.level] >= LEVEL_RANK[AreaLevel.STREET]:
        names.append(walk.name)
        walk = walk.parent
    if not names and area.parent_id:
        names.append(area.parent.name)
    return " · ".join(reversed(names))


def place_label(area):
    """ "3栋2单元（文化社区 · 第1网格）": the area and where it lies."""
    context = place_context(area)
    return f"{own_name(area)}（{context}）" if context else own_name(area)


def place_names(codes, pending=()):
    """{code: "A1社区第1网格 · 5栋3单元"} for grids, buildings and units (a community: its name),
    in one query. `pending`: tree.AreaRow of areas an import is about to create."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    prefixes = sorted({code[:n] for code in codes for n in range(2, len(code) + 1)})
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT code, name, level FROM {Area._meta.db_table} WHERE code = ANY(%s) AND level = ANY(%s)",
            [prefixes, [str(level) for level in PLACE_LEVELS]],
        )
        known = {code: (name, level) for code, name, level in cursor.fetchall()}
    for row in pending:
        known.setdefault(row.code, (row.name, str(row.level)))
    names = {}
    for code in codes:
        parts = {}
        for n in range(2, len(code) + 1):
            found = known.get(code[:n])
            if found:
                parts[found[1]] = found[0]
        head = parts.get(AreaLevel.COMMUNITY, "") + parts.get(AreaLevel.GRID, "")
        tail = parts.get(AreaLevel.BUILDING, "") + parts.get(AreaLevel.UNIT, "")
        names[code] = " · ".join(part for part in (head, tail) if part) or code
    return names


# --- the picker ----------------------------------------------------------------------------------


def pick_levels(levels, role=None):
    """The levels a picker offers: its own, narrowed to where `role` may be granted when given."""
    if role in ROLE_LEVELS:
        return [level for level in levels if level in ROLE_LEVELS[role]]
    return list(levels)


def find_places(user, query, levels, action=Action.VIEW):
    """The areas of `levels` where `user` may `action` that `query` names, in code order. Every
    part typed ("文化社区 第3网格", "第1网格3栋2单元": a part ends at 社区, 网格, 栋, 单元…) is the
    area's name or one of its three ancestors' (a marked part, "第3网格", exactly; another, "文化"
    or "网格", as a fragment); the last is the area's own name (a unit's: its building's too, "3栋"
    lists 3栋 and its units). Digits alone are also a code's beginning."""
    parts = [part for word in (query or "").split() for part in PART.findall(word)]
    if not parts:
        return Area.objects.none()
    condition = Q()
    for part in parts:
        lookup = "iexact" if MARKED.match(part) else "icontains"
        condition &= Q.create([(f"{path}__{lookup}", part) for path in NAME_PATHS], connector=Q.OR)
    last = parts[-1]
    lookup = "iexact" if MARKED.match(last) else "icontains"
    condition &= Q(**{f"name__{lookup}": last}) | Q(level=AreaLevel.UNIT, **{f"parent__name__{lookup}": last})
    compact = "".join(parts)
    if compact.isdigit():
        condition |= within("code", compact)
    areas = Area.objects.scoped(user, action).filter(level__in=levels)
    return areas.filter(condition).select_related(ABOVE).order_by("code")


def pick_choice(area):
    return {
        "code": area.code,
        "name": own_name(area),
        "where": place_path(area),
        "label": place_label(area),
        "level": area.get_level_display(),
    }


def pick_context(user, name, query, chosen_code, levels, action=Action.VIEW):
    """What the picker of the field `name` lists: the area chosen (if the user may pick it) first,
    then up to PICK_RESULTS areas that `query` names."""
    areas = Area.objects.scoped(user, action).filter(level__in=levels).select_related(ABOVE)
    chosen = areas.filter(code=chosen_code).first() if chosen_code else None
    found = list(find_places(user, query, levels, action)[: PICK_RESULTS + 1])
    results = [pick_choice(area) for area in found[:PICK_RESULTS] if chosen is None or area.pk != chosen.pk]
    chosen = pick_choice(chosen) if chosen is not None else None
    return {
        "name": name,
        "query": query,
        "chosen": chosen,
        "results": results,
        "found": bool(found),
        "choices": [chosen, *results] if chosen else results,
        "truncated": len(found) > PICK_RESULTS,
        "limit": PICK_RESULTS,
    }


class AreaPicker(forms.Widget):
    """An area picked by name: a search box (`<name>_q`) whose matches (orgs:area_pick, htmx, as one
    types) are radio buttons named after the field, valued by the area's code; the chosen one stays
    first and checked, and is said above the box with a 清除 choice. `levels`: the levels offered;
    `action`: the scope searched; `role_field`: the form's role, whose levels narrow the choices.
    Without a script, a name typed that names exactly one area is taken; naming several, the form
    comes back with them listed to pick from (`check_picked`)."""

    template_name = "orgs/widgets/area_picker.html"

    def __init__(self, user, levels=AreaLevel.values, action=Action.VIEW, role_field=None, placeholder="", attrs=None):
        super().__init__(attrs)
        self.user = user
        self.levels = tuple(levels)
        self.action = action
        self.role_field = role_field
        self.role = None
        self.placeholder = placeholder
        self.query = ""

    def current_levels(self):
        return pick_levels(self.levels, self.role)

    def value_from_datadict(self, data, files, name):
        self.query = data.get(name + "_q", "").strip()
        if self.role_field:
            self.role = data.get(self.role_field)
        code = data.get(name) or ""
        if not code and self.query:
            found = list(find_places(self.user, self.query, self.current_levels(), self.action)[:2])
            code = found[0].code if len(found) == 1 else ""
        return code or None

    def value_omitted_from_data(self, data, files, name):
        return False  # no radio checked is no area, not a field left out

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = "" if value is None else str(value)
        context.update(pick_context(self.user, name, self.query, code, self.current_levels(), self.action))
        search = {**context["widget"]["attrs"], "placeholder": self.placeholder or _("输入名称查找，如 3栋2单元")}
        context["search_attrs"] = flatatt(search)  # id (the label's), class, aria-describedby, …
        context["url"] = reverse("orgs:area_pick")
        context["vals"] = json.dumps({"name": name, "levels": ",".join(self.levels), "action": self.action})
        context["include"] = ", ".join(
            ([f"[name={self.role_field}]"] if self.role_field else []) + [f"[name={name}]:checked"]
        )
        context["role_field"] = self.role_field
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The portal's templates (not the form renderer's, which knows only Django's own widgets).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


def check_picked(form, name, required=False):
    """Say on the field `name` why its picker gave no area: a name typed (without a script) that
    names no one area, or, when `required`, nothing typed."""
    if form.cleaned_data.get(name) or name in form.errors:
        return
    if form.fields[name].widget.query:
        form.add_error(name, _("请在搜索结果中点选一个区划。"))
    elif required:
        form.add_error(name, _("请输入区划名称搜索，并点选一个区划。"))
