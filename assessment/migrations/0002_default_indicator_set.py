"""The default indicator set, after seed 004's five systems (健全组织体系, 规范治理体系, 完善服务体系,
创新发展体系, 强化保障体系), with the leaves the portal can compute today. The organisation
department copies and edits it for a new year; the periods keep the set they were scored with."""

from decimal import Decimal

from django.db import migrations

NAME = "党建引领基层治理考核指标（默认）"
SYSTEMS = [
    (
        "健全组织体系",
        [
            ("网格党支部覆盖率", 10, ["street", "community"], "orgs.grid_branches"),
            ("网格长覆盖率", 10, ["street", "community"], "grids.grid_head_coverage"),
            ("楼栋长覆盖率", 8, ["street", "community", "grid"], "grids.building_head_coverage"),
            ("单元长覆盖率", 6, ["street", "community", "grid"], "grids.unit_head_coverage"),
        ],
    ),
    ("规范治理体系", [("“三会一课”按期开展率", 10, ["street", "community", "grid"], "orgs.meetings_kept")]),
    ("完善服务体系", [("在职党员报到服务率", 8, ["street", "community"], "orgs.in_service_active")]),
    ("创新发展体系", [("“三长”中党员占比", 6, ["street", "community", "grid"], "grids.party_heads_share")]),
    ("强化保障体系", []),  # funding and venues: registered by the services app when it comes
]


def create(apps, schema_editor):
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    indicator_set = IndicatorSet.objects.create(name=NAME, last_places=1)
    for order, (system, leaves) in enumerate(SYSTEMS, 1):
        parent = Indicator.objects.create(indicator_set=indicator_set, name=system, order=order)
        for leaf_order, (name, weight, levels, source) in enumerate(leaves, 1):
            Indicator.objects.create(
                indicator_set=indicator_set,
                parent=parent,
                name=name,
                order=leaf_order,
                weight=Decimal(weight),
                levels=levels,
                source=source,
                floor=Decimal("0.5"),
                target=Decimal("1"),
            )


def remove(apps, schema_editor):
    apps.get_model("assessment", "IndicatorSet").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
