"""A copy of the newest copy of the default indicator set (red property's, property 0002 and 0005)
with the requests' computed leaves (issue 19): under 完善服务体系, in its group 为民服务 (beside the
entered 为民办实事项目完成率 of assessment 0005; made where missing), the requests closed on time,
closed, and the visited residents satisfied (services/indicators_requests.py). Its
`copied_from` is the default set, as the copy before it, so that seed_demo's running quarter scores
with the newest copy (assessment/demo.py). Whistles have no source of an area's figure (their
scores are the departments', in the ranking): none joins. Made once; the sets scored stay as they are.

To renumber at the merge: this follows services 0005 (the whistles' late signing), after 0003_requests."""

from decimal import Decimal

from django.db import migrations

DEFAULT_SET = "党建引领基层治理考核指标（默认）"
NAME = "党建引领基层治理考核指标（含红色物业、为民服务）"
SYSTEM = "完善服务体系"
GROUP = "为民服务"
LEAVES = [
    ("诉求按时办结率", 4, ["street", "community"], "services.requests_on_time", "0.6"),
    ("诉求办结率", 3, ["street", "community"], "services.requests_closed", "0.6"),
    ("诉求回访满意率", 3, ["street", "community"], "services.requests_satisfied", "0.8"),
]


def forwards(apps, schema_editor):
    """The copy, made once: nothing when it exists or there is no default set. It copies the newest
    copy of the default set (with red property's leaves), or the default set where there is none."""
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    default = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if default is None or IndicatorSet.objects.filter(name=NAME).exists():
        return None
    base = IndicatorSet.objects.filter(copied_from=default).order_by("-pk").first() or default
    copy = IndicatorSet.objects.create(
        name=NAME,
        aggregation=base.aggregation,
        last_places=base.last_places,
        last_share=base.last_share,
        copied_from=default,
    )
    new_ids, pending = {}, list(Indicator.objects.filter(indicator_set=base).order_by("pk"))
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
    group = Indicator.objects.filter(indicator_set=copy, parent=system, name=GROUP).first()
    if group is None:
        order = 1 + max((i.order for i in Indicator.objects.filter(parent=system)), default=0)
        group = Indicator.objects.create(indicator_set=copy, parent=system, name=GROUP, order=order)
    first = 1 + max((i.order for i in Indicator.objects.filter(parent=group)), default=0)
    for leaf_order, (name, weight, levels, source, floor) in enumerate(LEAVES, first):
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
        ("services", "0005_response_signed_late"),
        ("property", "0005_default_set_with_company_grade"),
        ("assessment", "0008_evidence_from_earlier_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
