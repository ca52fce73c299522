"""The member import (党员导入): the columns a branch secretary keeps in Excel, as the member list
exports them. An engine of its own on the kit's import flow (core.importing), not a
django-import-export resource: each row is checked in memory against what two or three queries
load, and the accepted rows are written with one bulk statement each (bench/orgs.py: far faster
than django-import-export's per-row path).

A member is recognised by the ID number (core.identity), else by name in the same organisation,
among the members the importer may see. A member registered with an organisation the importer
sees but does not keep is not moved by a sheet: that is a transfer (组织关系转接). A registration
out of the importer's sight is not looked at: the row is new, as if the number were nowhere."""

import re
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import importing
from core.identity import gender_from_id, id_number, phone
from core.importing import Importer, columns_from_table, model_changes
from core.personal_data import mask
from core.spreadsheets import parse_day
from orgs import tree
from orgs.models import Area
from orgs.scoping import Action

from .choices import Education, MemberStatus
from .models import (
    MEMBER_FIELDS,
    RESIDENCE_LEVELS,
    MemberTransfer,
    PartyMember,
    PartyOrganisation,
    member_errors,
)
from .permissions import CHANGE_PARTY
from .tables import PartyMemberTable

# The columns of a member row, as stored (organisation_id, residence_id).
FIELDS = tuple(PartyMember._meta.get_field(name).attname for name in MEMBER_FIELDS)
YES = {"是", "有", "√", "Y", "YES", "1", "TRUE"}
NO = {"", "否", "无", "N", "NO", "0", "FALSE"}
STATUSES = {"正式": MemberStatus.FULL, "正式党员": MemberStatus.FULL, "中共党员": MemberStatus.FULL}
STATUSES |= {"预备": MemberStatus.PROBATIONARY, "预备党员": MemberStatus.PROBATIONARY}
STATUSES |= {"中共预备党员": MemberStatus.PROBATIONARY}
GENDERS = {"男": "male", "女": "female"}
EDUCATION = {str(label): value for value, label in Education.choices} | {
    "本科": Education.BACHELOR,
    "大专": Education.COLLEGE,
}
EDUCATION |= {"硕士": Education.POSTGRADUATE, "博士": Education.POSTGRADUATE, "高中": Education.SECONDARY}
EDUCATION |= {"中专": Education.SECONDARY, "初中": Education.JUNIOR, "小学": Education.JUNIOR}


@dataclass
class Record:
    number: int
    values: dict  # FIELDS → value
    pk: int | None = None  # the member on record, if any
    moved_from: int | None = None  # the organisation a changed row moves the member from


class PartyMemberImporter(Importer):
    kind = "party_members"
    title = _("党员")
    permission_action = CHANGE_PARTY
    columns = columns_from_table(
        PartyMemberTable,
        aliases={
            "organisation": ("党组织", "所在支部", "党支部"),
            "status": ("人员类别", "党员身份", "类别"),
            "phone": ("手机", "手机号", "电话", "联系方式"),
            "id_number": ("身份证号码", "公民身份号码"),
            "joined_on": ("入党时间",),
            "full_member_on": ("转正时间",),
            "birth_date": ("出生年月",),
            "residence": ("居住网格代码", "居住地代码"),
        },
        optional=[name for name, _header in PartyMemberTable.export_columns() if name not in ("name", "organisation")],
    )

    def lock(self, table):
        pass  # rows are keyed by the unique ID number: a concurrent import of the same member fails, not doubles

    def plan(self, table):
        self.today = timezone.localdate()
        plan = self.new_plan()
        plan.records = []
        organisations = {}  # the names as matched (brackets and spaces normalised) → pk
        for name, pk in PartyOrganisation.objects.scoped(self.user, CHANGE_PARTY).values_list("name", "pk"):
            organisations[name_key(name)] = pk
        rows = list(self.data_rows(table, plan))
        codes = {row.values.get("residence", "").replace(" ", "") for row in rows} - {""}
        areas = dict(
            Area.objects.scoped(self.user, Action.VIEW)
            .filter(code__in=codes, level__in=RESIDENCE_LEVELS)
            .values_list("code", "pk")
        )
        numbers = {row.values.get("id_number", "").replace(" ", "").upper() for row in rows}
        numbers = {n for n in numbers if n and "*" not in n}
        # Only the registrations the user may see are looked at (PartyMember.member_on_record): a
        # number registered out of sight is new here, so that the answer tells nothing of it.
        kept = set(
            PartyMember.objects.scoped(self.user, CHANGE_PARTY)
            .filter(id_number__in=numbers)
            .values_list("pk", flat=True)
        )
        on_record = {}
        for m in PartyMember.objects.scoped(self.user, Action.VIEW).filter(id_number__in=numbers).values("pk", *FIELDS):
            if m["id_number"] not in on_record or m["pk"] in kept:  # the one the user keeps, if any
                on_record[m["id_number"]] = m
        by_name = {}  # name → [member in scope]: for rows whose ID number is empty or masked
        if any("*" in row.values.get("id_number", "") or not row.values.get("id_number") for row in rows):
            for member in PartyMember.objects.scoped(self.user, CHANGE_PARTY).values("pk", *FIELDS):
                by_name.setdefault(member["name"], []).append(member)
        seen = {}
        described = []  # (row, the member on record or None, values): for the preview's lines
        for row in rows:
            parsed = self._parse(row, plan, organisations, areas, on_record, by_name)
            if parsed is None:
                continue
            values, recorded = parsed
            if recorded and recorded["pk"] not in kept and recorded["id_number"] in on_record:
                plan.reject(  # registered where the user sees but does not keep members
                    row,
                    self._header("id_number"),
                    _("此人已登记在其他党组织（您可查看但不能修改），请办理组织关系转接。"),
                )
                continue
            key = values["id_number"] or (values["name"], values["organisation_id"])
            if key in seen:
                plan.reject(row, self._header("id_number"), _("与第 {n} 行是同一名党员。").format(n=seen[key]))
                continue
            seen[key] = row.number
            if recorded is None:
                plan.new.append(row.number)
                plan.records.append(Record(row.number, values))
                described.append((row, None, values))
            elif any(recorded[f] != values[f] for f in FIELDS):
                moved = (
                    recorded["organisation_id"] if recorded["organisation_id"] != values["organisation_id"] else None
                )
                plan.changed.append(row.number)
                plan.records.append(Record(row.number, values, recorded["pk"], moved))
                described.append((row, recorded, values))
            else:
                plan.unchanged += 1
        self._describe(plan, described, organisations)
        return plan

    def _describe(self, plan, described, organisations):
        """The preview's lines: a new member with their organisation, a changed one with each
        changed field from → to (organisations by name, residences by code, numbers masked)."""
        if plan.detail_limit is not None:  # only the lines the preview keeps
            new = [d for d in described if d[1] is None][: plan.detail_limit]
            described = new + [d for d in described if d[1] is not None][: plan.detail_limit]
        names = {pk: name for name, pk in organisations.items()}
        wanted = {v["organisation_id"] for _row, old, v in described} | {
            old["organisation_id"] for _row, old, _v in described if old
        }
        if wanted - set(names):
            names |= dict(PartyOrganisation.objects.filter(pk__in=wanted - set(names)).values_list("pk", "name"))
        residences = {v.get("residence_id") for _row, old, v in described} | {
            old.get("residence_id") for _row, old, _v in described if old
        }
        codes = dict(Area.objects.filter(pk__in=residences - {None}).values_list("pk", "code"))
        shown = {"organisation": lambda pk: names.get(pk, ""), "residence": lambda pk: codes.get(pk, "")}
        for row, old, values in described:
            kind = "new" if old is None else "changed"
            if plan.wants_detail(kind):
                plan.detail(
                    kind,
                    row,
                    values["name"] if old is None else old["name"],
                    what=[(self._header("organisation"), names.get(values["organisation_id"], ""))],
                    changes=model_changes(PartyMember, old, values, MEMBER_FIELDS, shown) if old else (),
                )

    def _parse(self, row, plan, organisations, areas, on_record, by_name):
        """(values, the member on record or None), or None when the row is rejected."""
        v = row.values
        problems = []

        def clean(key, function, text):
            try:
                return function(text)
            except ValueError as error:
                problems.append((key, str(error)))
                return None

        name = v.get("name", "").replace(" ", "")
        organisation = organisations.get(name_key(v.get("organisation", "")))
        if not name:
            problems.append(("name", _("姓名不能为空。")))
        if organisation is None:
            problems.append(
                (
                    "organisation",
                    _("党组织“{name}”不存在或不在您的管辖范围内。").format(name=v.get("organisation", "")),
                )
            )
        values = {"name": name, "organisation_id": organisation, "ethnicity": v.get("ethnicity", "") or "汉族"}
        shown_id = v.get("id_number", "").replace(" ", "").upper()
        namesakes = by_name.get(name, [])
        if "*" in shown_id:  # an exported, masked number: the namesake it masks, or refused
            matches = [m for m in namesakes if m["id_number"] and mask(m["id_number"]) == shown_id]
            recorded = matches[0] if len(matches) == 1 else None
            values["id_number"] = recorded["id_number"] if recorded else ""
            if recorded is None:
                problems.append(("id_number", self._masked_message("id_number", shown_id)))
        else:
            values["id_number"] = clean("id_number", id_number, shown_id) or ""
            if values["id_number"]:
                recorded = on_record.get(values["id_number"])
            else:
                same = (m for m in namesakes if not m["id_number"] and m["organisation_id"] == organisation)
                recorded = next(same, None)
        shown_phone = v.get("phone", "").replace(" ", "")
        if "*" in shown_phone:
            values["phone"] = recorded["phone"] if recorded and mask(recorded["phone"]) == shown_phone else ""
            if not values["phone"]:
                problems.append(("phone", self._masked_message("phone", shown_phone)))
        else:
            values["phone"] = clean("phone", phone, shown_phone) or ""
        gender = v.get("gender", "").replace(" ", "")
        if gender and gender not in GENDERS:
            problems.append(("gender", _("性别“{value}”应为男或女。").format(value=gender)))
        from_id = str(gender_from_id(values["id_number"])) if values["id_number"] else ""
        values["gender"] = GENDERS.get(gender) or from_id
        education = v.get("education", "").replace(" ", "")
        if education and education not in EDUCATION:
            problems.append(("education", _("学历“{value}”无法识别。").format(value=education)))
        values["education"] = EDUCATION.get(education, "")
        status = v.get("status", "").replace(" ", "") or "正式党员"
        if status not in STATUSES:
            problems.append(("status", _("党员类别“{value}”应为正式党员或预备党员。").format(value=status)))
        values["status"] = STATUSES.get(status, MemberStatus.FULL)
        for key in ("birth_date", "joined_on", "full_member_on"):
            values[key] = clean(key, parse_day, v.get(key, ""))
        for key in ("is_flowing", "is_central_household"):
            text = v.get(key, "").replace(" ", "").upper()
            if text not in YES | NO:
                problems.append((key, _("“{value}”应为是或否。").format(value=text)))
            values[key] = text in YES
        values["flowed_to"] = v.get("flowed_to", "")
        values["households_linked"] = clean(
            "households_linked", _count, v.get("households_linked", "").replace(" ", "")
        )
        code = v.get("residence", "").replace(" ", "")
        values["residence_id"] = areas.get(code) if code else None
        if code and values["residence_id"] is None:
            problems.append(("residence", _("居住地“{code}”不是您管辖范围内的网格、楼栋或单元。").format(code=code)))
        # the record's own rules, as the form and the API check them (PartyMember.clean)
        found = {key for key, _reason in problems}
        for key, reason in member_errors(PartyMember(**values), self.today).items():
            if key not in found:
                problems.append((key, str(reason)))
        for key, reason in problems:
            plan.reject(row, self._header(key), reason)
        return None if problems else (values, recorded)

    def _masked_message(self, key, shown):
        return _("{column}是隐藏了中间位的号码（{value}），与系统中的登记不符：请填写完整号码。").format(
            column=self._header(key), value=shown
        )

    def _header(self, key):
        return next((c.header for c in self.columns if c.key == key), key)

    def apply(self, plan, progress=None):
        rejected = set(plan.rejected_rows)
        records = [r for r in plan.records if r.number not in rejected]
        new = [PartyMember(**r.values) for r in records if r.pk is None]
        changed = [PartyMember(pk=r.pk, **r.values) for r in records if r.pk is not None]
        with transaction.atomic(), tree.immediate_constraints():  # see there: no quadratic deferred queue
            PartyMember.objects.bulk_create(new, batch_size=2000)
            PartyMember.objects.bulk_update(changed, [f for f in FIELDS], batch_size=2000)
            MemberTransfer.objects.bulk_create(
                [
                    MemberTransfer(
                        member_id=r.pk,
                        from_organisation_id=r.moved_from,
                        to_organisation_id=r.values["organisation_id"],
                        note=_("批量导入"),
                    )
                    for r in records
                    if r.moved_from
                ]
            )
        if progress:
            progress(len(records))


def name_key(name):
    """An organisation's name as a sheet's cell is matched to it: full-width brackets and letters
    as half-width (NFKC: （） → ()), spaces of any width dropped — "A1社区（第1网格）党支部" and
    "A1社区(第1网格) 党支部" name the same organisation."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _count(text):
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(_("联系户数“{value}”应为整数。").format(value=text))
    return int(text)


importing.register(PartyMemberImporter)
