"""Spreadsheet importers of the orgs app: the area tree (区划代码, 名称, 层级, 上级代码)."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.importing import Importer, change, columns_from_table, register
from core.resources import ResourceImporter

from . import tree
from .choices import LEVEL_FROM_CHINESE, LEVEL_RANK, LEVEL_TO_CHINESE
from .departments import DepartmentResource
from .models import Area
from .scoping import Action, in_scopes, user_scopes
from .tables import AreaTable

CODE_RE = re.compile(r"^\d{2,32}$")


@register
class AreaImporter(Importer):
    """Sets up the area tree in bulk. Rows may come in any order (children before parents).

    Idempotent on the code: an existing area with the same name and level is unchanged; a
    new name or level is a change; a different parent is refused (moving is a page action).
    """

    kind = "areas"
    title = gettext_lazy("区划")
    permission_action = Action.MANAGE_TREE
    columns = columns_from_table(
        AreaTable,
        aliases={
            "code": ("代码", "行政区划代码", "统计用区划代码", "区划编码", "编码"),
            "name": ("区划名称", "单位名称", "名字"),
            "level": ("级别", "类型", "区划层级"),
            "parent_code": ("上级区划代码", "上级编码", "父级代码", "上级"),
        },
        optional=("parent_code",),
    )

    def lock(self, table):
        # Locks every tree the file touches (the roots of its codes) and the forest.
        roots = {row["code"][:4] for row in table.rows if row["code"]}
        tree.lock_for_codes(roots, new_roots=True)

    def plan(self, table):
        plan = self.new_plan()
        superuser = self.user.is_superuser
        manage = user_scopes(self.user, Action.MANAGE_TREE)
        view = user_scopes(self.user, Action.VIEW)
        candidates = {}
        seen = {}
        for row in self.data_rows(table, plan):
            parsed = self._parse(row, plan)
            if parsed is None:
                continue
            if parsed.code in seen:
                first_row, first = seen[parsed.code]
                if first == parsed:
                    plan.skipped += 1  # an exact duplicate row
                else:
                    plan.reject(row, "区划代码", _("与第 {n} 行的区划代码重复且内容不同。").format(n=first_row))
                continue
            seen[parsed.code] = (row.number, parsed)
            candidates[parsed.code] = (row, parsed)

        existing = self._existing(set(candidates) | {p.parent_code for _, p in candidates.values() if p.parent_code})
        before = {code: (area["name"], area["level"]) for code, area in existing.items()}  # levels change below
        new_codes = set()
        for code, (row, parsed) in candidates.items():
            current = existing.get(code)
            if current is not None:
                self._classify_existing(plan, row, parsed, current, superuser, manage, view)
            elif not superuser and not in_scopes(code, manage):
                plan.reject(row, "区划代码", _("区划 {code} 不在您可管理的范围内。").format(code=code))
            elif parsed.parent_code is None and not superuser:
                plan.reject(row, "上级代码", _("只有系统管理员可以新建市级根区划，请填写上级代码。"))
            else:
                new_codes.add(code)
        self._check_level_changes(plan, candidates, existing)
        self._place_new(plan, candidates, new_codes, existing)
        self._describe(plan, candidates, before)
        return plan

    @staticmethod
    def _describe(plan, candidates, before):
        """The preview's lines: each new area with its level and parent, each changed one with its
        old and new name or level."""
        for parsed in plan.new:
            if not plan.wants_detail("new"):
                break
            what = [(_("区划代码"), parsed.code), (_("层级"), LEVEL_TO_CHINESE[parsed.level])]
            plan.detail(
                "new", candidates[parsed.code][0], parsed.name, what=what + [(_("上级代码"), parsed.parent_code)]
            )
        for parsed in plan.changed:
            if not plan.wants_detail("changed"):
                break
            name, level = before[parsed.code]
            plan.detail(
                "changed",
                candidates[parsed.code][0],
                name,
                what=[(_("区划代码"), parsed.code)],
                changes=[
                    change(_("名称"), name, parsed.name),
                    change(_("层级"), LEVEL_TO_CHINESE[level], LEVEL_TO_CHINESE[parsed.level]),
                ],
            )

    def _parse(self, row, plan):
        code = row["code"].replace(" ", "")
        name = row["name"]
        level_text = row["level"].replace(" ", "")
        parent_code = row["parent_code"].replace(" ", "") or None
        ok = True
        if not CODE_RE.match(code):
            plan.reject(
                row,
                "区划代码",
                _("区划代码“{code}”应为2至32位数字。").format(code=code) if code else _("区划代码为空。"),
            )
            ok = False
        if not name:
            plan.reject(row, "名称", _("名称为空。"))
            ok = False
        elif len(name) > 100:
            plan.reject(row, "名称", _("名称超过100个字。"))
            ok = False
        level = LEVEL_FROM_CHINESE.get(level_text)
        if level is None:
            plan.reject(
                row,
                "层级",
                _("层级“{level}”无法识别，应为市、区（县）、街道（乡镇）、社区（村）、网格、楼栋或单元。").format(
                    level=level_text
                ),
            )
            ok = False
        if level is not None and CODE_RE.match(code):
            width = tree.width_error(code, level)
            if width:
                plan.reject(row, "区划代码", width)
                ok = False
        if parent_code is not None and not CODE_RE.match(parent_code):
            plan.reject(row, "上级代码", _("上级代码“{code}”应为2至32位数字。").format(code=parent_code))
            ok = False
        if not ok:
            return None
        return tree.AreaRow(code=code, name=name, level=str(level), parent_code=parent_code)

    def _existing(self, codes):
        """The existing areas among `codes` that the user may see; any other code is treated as
        missing, so that a preview answers alike whether an out-of-scope code exists or not."""
        view = None if self.user.is_superuser else user_scopes(self.user, Action.VIEW)
        codes = {code for code in codes if view is None or in_scopes(code, view)}
        found = {}
        codes = sorted(codes)
        for start in range(0, len(codes), 20000):
            for area in Area.objects.filter(code__in=codes[start : start + 20000]).values(
                "id", "code", "name", "level", "parent__code"
            ):
                found[area["code"]] = area
        return found

    def _classify_existing(self, plan, row, parsed, current, superuser, manage, view):
        if not superuser and not in_scopes(parsed.code, view):
            plan.reject(row, "区划代码", _("区划 {code} 不在您可管理的范围内。").format(code=parsed.code))
        elif (current["parent__code"] or None) != parsed.parent_code:
            plan.reject(
                row,
                "上级代码",
                _("上级代码与系统中不一致（系统中为 {current}）。调整上级请在区划页面上使用“移动”。").format(
                    current=current["parent__code"] or _("无")
                ),
            )
        elif (current["name"], current["level"]) == (parsed.name, parsed.level):
            plan.unchanged += 1
        elif not superuser and not in_scopes(parsed.code, manage):
            plan.reject(row, "区划代码", _("区划 {code} 不在您可管理的范围内。").format(code=parsed.code))
        else:
            plan.changed.append(parsed)

    def _check_level_changes(self, plan, candidates, existing):
        """A changed level must stay below the parent's and above every child's (levels as this
        file leaves them), like a new area's; new rows are then placed against the new level."""
        changes = [p for p in plan.changed if p.level != existing[p.code]["level"]]
        if not changes:
            return
        final = {p.code: p.level for p in plan.changed}
        children = {}
        for parent_code, code, level in Area.objects.filter(parent__code__in=[p.code for p in changes]).values_list(
            "parent__code", "code", "level"
        ):
            children.setdefault(parent_code, []).append((code, final.get(code, level)))
        for parsed in changes:
            rank = LEVEL_RANK[parsed.level]
            row = candidates[parsed.code][0]
            parent_level = parsed.parent_code and final.get(parsed.parent_code, existing[parsed.parent_code]["level"])
            child = next(((c, lv) for c, lv in children.get(parsed.code, []) if LEVEL_RANK[lv] <= rank), None)
            if parent_level and LEVEL_RANK[parent_level] >= rank:
                reason = _("“{level}”不能位于上级的层级“{parent}”之下。").format(
                    level=LEVEL_TO_CHINESE[parsed.level], parent=LEVEL_TO_CHINESE[parent_level]
                )
            elif child is not None:
                reason = _("层级改为“{level}”后不高于下级区划 {child} 的层级“{child_level}”。").format(
                    level=LEVEL_TO_CHINESE[parsed.level], child=child[0], child_level=LEVEL_TO_CHINESE[child[1]]
                )
            else:
                existing[parsed.code]["level"] = parsed.level
                continue
            plan.changed.remove(parsed)
            plan.reject(row, "层级", reason)

    def _place_new(self, plan, candidates, new_codes, existing):
        """Check every new row's parent, level and code against the file and the database."""
        accepted = {}
        # Parents first, so that a child of a rejected parent is rejected too.
        for code in sorted(new_codes, key=lambda c: (len(c), c)):
            row, parsed = candidates[code]
            parent = None
            if parsed.parent_code is not None:
                parent = existing.get(parsed.parent_code) or (
                    accepted.get(parsed.parent_code) and {"code": parsed.parent_code, **accepted[parsed.parent_code]}
                )
                if parent is None:
                    reason = (
                        _("上级代码 {code} 所在行未通过校验。")
                        if parsed.parent_code in candidates
                        else _("上级代码 {code} 在系统和本文件中都不存在。")
                    )
                    plan.reject(row, "上级代码", reason.format(code=parsed.parent_code))
                    continue
                if not code.startswith(parsed.parent_code) or len(code) <= len(parsed.parent_code):
                    plan.reject(
                        row,
                        "区划代码",
                        _("区划代码 {code} 必须以上级代码 {parent} 开头并且更长。").format(
                            code=code, parent=parsed.parent_code
                        ),
                    )
                    continue
                if LEVEL_RANK[parsed.level] <= LEVEL_RANK[parent["level"]]:
                    plan.reject(
                        row,
                        "层级",
                        _("“{level}”不能位于上级的层级“{parent}”之下。").format(
                            level=LEVEL_TO_CHINESE[parsed.level], parent=LEVEL_TO_CHINESE[parent["level"]]
                        ),
                    )
                    continue
            accepted[code] = {"level": parsed.level, "row": row, "parsed": parsed}
        self._check_prefixes(plan, accepted)
        plan.new = [a["parsed"] for a in accepted.values() if not a.get("rejected")]

    def _check_prefixes(self, plan, accepted):
        """The tree's one placement rule (`tree.code_conflicts`), for the whole file at once."""
        if not accepted:
            return
        reasons = tree.code_conflicts({code: entry["parsed"].parent_code for code, entry in accepted.items()})
        for code, conflict in reasons.items():
            entry = accepted[code]
            plan.reject(entry["row"], "上级代码" if conflict.field == "parent" else "区划代码", conflict.reason)
            entry["rejected"] = True
        # A child of a rejected new row cannot be placed either.
        rejected = {c for c, e in accepted.items() if e.get("rejected")}
        for code, entry in sorted(accepted.items(), key=lambda item: len(item[0])):
            if not entry.get("rejected") and entry["parsed"].parent_code in rejected:
                plan.reject(
                    entry["row"],
                    "上级代码",
                    _("上级代码 {code} 所在行未通过校验。").format(code=entry["parsed"].parent_code),
                )
                entry["rejected"] = True
                rejected.add(code)

    def apply(self, plan, progress=None):
        tree.bulk_load(plan.new, plan.changed, progress=progress)


# Functional departments: a small list, on the kit's django-import-export path (core.resources).
register(ResourceImporter.declare("departments", DepartmentResource, Action.MANAGE_DEPARTMENTS))
