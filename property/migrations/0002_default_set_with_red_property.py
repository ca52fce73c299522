"""A copy of the default indicator set with red property's computed leaves (issue 18): under
完善服务体系, a group 红色物业 with the compounds under management, the owners' committees with a
party majority and the ledger entries closed on time (property/indicators.py). The default set
stays as the periods scored with it keep it; seed_demo's running quarter scores with this copy
(property/demo.py), so that the dashboards and breakdowns show red property."""

from decimal import Decimal

from django.db import migrations

DEFAULT_SET = "党建引领基层治理考核指标（默认）"
NAME = "党建引领基层治理考核指标（含红色物业）"
SYSTEM = "完善服务体系"
GROUP = "红色物业"
LEAVES = [
    ("小区物业管理覆盖率", 6, ["street", "community"], "property.compounds_managed", "0.8"),
    ("业委会党员过半率", 4, ["street", "community"], "property.committees_party_majority", "0.5"),
    ("无物业小区按期销号率", 4, ["street", "community"], "property.ledger_closed_on_time", "0.5"),
]


def forwards(apps, schema_editor):
    """The copy, made once: nothing when it exists or there is no default set to copy."""
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    default = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if default is None or IndicatorSet.objects.filter(name=NAME).exists():
        return None
    copy = IndicatorSet.objects.create(
        name=NAME,
        aggregation=default.aggregation,
        last_places=default.last_places,
        last_share=default.last_share,
        copied_from=default,
    )
    new_ids, pending = {}, list(Indicator.objects.filter(indicator_set=default).order_by("pk"))
    while pending:  # parents before children
        ready = [i for i in pending if i.parent_id is None or i.parent_id in new_ids]
        for indicator in ready:
            old = indicator.pk
            indicator.pk, indicator.indicator_set, indicator.parent_id = None, copy, new_ids.get(indicator.parent_id)
            indicator.save()
            new_ids[old] = indicator.pk
        pending = [i for i in pending if i not in ready]
    system = Indicator.objects.filter(indicator_set=copy, parent=None, name=SYSTEM).first()
    if system is None:
        system = Indicator.objects.create(indicator_set=copy, name=SYSTEM, order=99)
    order = 1 + max((i.order for i in Indicator.objects.filter(parent=system)), default=0)
    group = Indicator.objects.create(indicator_set=copy, parent=system, name=GROUP, order=order)
    for leaf_order, (name, weight, levels, source, floor) in enumerate(LEAVES, 1):
        Indicator.objects.create(
            indicator_set=copy,
            parent=group,
            name=name,
            order=leaf_order,
            weight=Decimal(weight),
            levels=levels,
            source=source,
            floor=Decimal(floor),
            target=Decimal("1"),
        )
    return copy


def backwards(apps, schema_editor):
    apps.get_model("assessment", "IndicatorSet").objects.filter(name=NAME, periods__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("property", "0001_initial"),
        ("assessment", "0008_evidence_from_earlier_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
