"""The default set grows a group level (system → group → leaf, seed 004) and its first entered
leaves: what no record in the portal can count, entered by the community or street with evidence
and accepted by the district — 为民办实事项目完成率 and 党群服务阵地规范化达标率."""

from decimal import Decimal

from django.db import migrations

NAME = "党建引领基层治理考核指标（默认）"
SCORED_COPY = "党建引领基层治理考核指标（含人工录入指标）"
# system → [(group, [computed leaf names moved into it] or [entered leaves created in it])]
GROUPS = {
    "健全组织体系": [("组织覆盖", ["网格党支部覆盖率"]), ("骨干队伍", ["网格长覆盖率", "楼栋长覆盖率", "单元长覆盖率"])],
    "规范治理体系": [("组织生活", ["“三会一课”按期开展率"])],
    "完善服务体系": [("双报到", ["在职党员报到服务率"]), ("为民服务", [])],
    "创新发展体系": [("队伍结构", ["“三长”中党员占比"])],
    "强化保障体系": [("阵地保障", [])],
}
ENTERED = {
    "为民服务": ("为民办实事项目完成率", 8, ["street", "community"], "已完成项目", "承诺项目"),
    "阵地保障": ("党群服务阵地规范化达标率", 6, ["street", "community"], "达标项", "考评项"),
}


def copy_of(apps, indicator_set, name):
    """A copy of a set with its tree (parents before children), for a set periods were scored with."""
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    copy = IndicatorSet.objects.create(
        name=name, aggregation=indicator_set.aggregation, last_places=indicator_set.last_places, copied_from=indicator_set
    )
    new_ids, pending = {}, list(Indicator.objects.filter(indicator_set=indicator_set).order_by("pk"))
    while pending:
        ready = [i for i in pending if i.parent_id is None or i.parent_id in new_ids]
        for indicator in ready:
            old = indicator.pk
            indicator.pk, indicator.indicator_set, indicator.parent_id = None, copy, new_ids.get(indicator.parent_id)
            indicator.save()
            new_ids[old] = indicator.pk
        pending = [i for i in pending if i not in ready]
    return copy


def forwards(apps, schema_editor):
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    Score = apps.get_model("assessment", "Score")
    indicator_set = IndicatorSet.objects.filter(name=NAME).first()
    if indicator_set is None:
        return
    if Score.objects.filter(period__indicator_set=indicator_set).exists():
        # Periods were scored with it: they keep it as it was, and the new leaves go to a copy.
        indicator_set = copy_of(apps, indicator_set, SCORED_COPY)
    for system_name, groups in GROUPS.items():
        system = Indicator.objects.filter(indicator_set=indicator_set, parent=None, name=system_name).first()
        if system is None:
            continue
        for order, (group_name, leaf_names) in enumerate(groups, 1):
            group = Indicator.objects.create(indicator_set=indicator_set, parent=system, name=group_name, order=order)
            Indicator.objects.filter(indicator_set=indicator_set, parent=system, name__in=leaf_names).update(
                parent=group
            )
            if group_name in ENTERED:
                name, weight, levels, numerator, denominator = ENTERED[group_name]
                Indicator.objects.create(
                    indicator_set=indicator_set,
                    parent=group,
                    name=name,
                    order=1,
                    weight=Decimal(weight),
                    levels=levels,
                    method="entered",
                    numerator_label=numerator,
                    denominator_label=denominator,
                    floor=Decimal("0.6"),
                    target=Decimal("1"),
                )


def backwards(apps, schema_editor):
    apps.get_model("assessment", "IndicatorSet").objects.filter(name=SCORED_COPY, periods__isnull=True).delete()
    Indicator = apps.get_model("assessment", "Indicator")
    indicators = Indicator.objects.filter(indicator_set__name=NAME)
    indicators.filter(method="entered").delete()
    for group in indicators.filter(parent__parent=None, levels=[]).exclude(parent=None):
        indicators.filter(parent=group).update(parent=group.parent)
        group.delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_entries_approvals_figures")]

    operations = [migrations.RunPython(forwards, backwards)]
