"""The seeded indicator set's copies, for the migrations of the apps that add computed leaves to it
(services 0006, funds 0004): a copy of the newest copy of the default set — or of the default set
where there is none — with the app's leaves in their systems and groups, `copied_from` the default
set, so that seed_demo's running quarter scores with the newest copy (assessment/demo.py) and the
periods already scored keep the set they were scored with.

Written for historical models: every model comes from the `apps` a migration's RunPython gets (or
django.apps.apps, as a demo filler remakes a copy a transactional test has emptied), nothing is
imported from assessment.models. A migration may import this module (pyproject's import contracts
let `*.migrations.*` reach it): its behaviour is part of those migrations, so change it only in ways
that keep the rows they made."""

from decimal import Decimal

DEFAULT_SET = "党建引领基层治理考核指标（默认）"


def copy_with_leaves(apps, name, groups, computed=()):
    """Make the set `name`, once: nothing when it exists or there is no default set. `groups` is
    [(system, group, [(leaf name, weight, levels, source, floor)])]: each system (a root of the
    tree) is found by name or made last (order 99); each group found under it by name or made after
    its children; each leaf added after the group's children, target 1. `computed` is
    [(leaf name, source, numerator label, denominator label)]: entered leaves of the copy that an
    app's records now count, made computed leaves of that source (their weight, levels, floor and
    place kept; no evidence asked). Returns the copy or None."""
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    default = IndicatorSet.objects.filter(name=DEFAULT_SET).first()
    if default is None or IndicatorSet.objects.filter(name=name).exists():
        return None
    base = IndicatorSet.objects.filter(copied_from=default).order_by("-pk").first() or default
    copy = IndicatorSet.objects.create(
        name=name,
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
    for system_name, group_name, leaves in groups:
        system = Indicator.objects.filter(indicator_set=copy, parent=None, name=system_name).first()
        if system is None:
            system = Indicator.objects.create(indicator_set=copy, name=system_name, order=99)
        group = Indicator.objects.filter(indicator_set=copy, parent=system, name=group_name).first()
        if group is None:
            order = 1 + max((i.order for i in Indicator.objects.filter(parent=system)), default=0)
            group = Indicator.objects.create(indicator_set=copy, parent=system, name=group_name, order=order)
        first = 1 + max((i.order for i in Indicator.objects.filter(parent=group)), default=0)
        for leaf_order, (leaf_name, weight, levels, source, floor) in enumerate(leaves, first):
            Indicator.objects.create(
                indicator_set=copy,
                parent=group,
                name=leaf_name,
                order=leaf_order,
                weight=Decimal(weight),
                levels=levels,
                source=source,
                floor=Decimal(floor),
                target=Decimal("1"),
            )
    for leaf_name, source, numerator_label, denominator_label in computed:
        Indicator.objects.filter(indicator_set=copy, name=leaf_name, method="entered").update(
            method="computed",
            source=source,
            numerator_label=numerator_label,
            denominator_label=denominator_label,
            evidence_required=False,
        )
    return copy


def remove_copy(apps, name):
    """The backwards of `copy_with_leaves`: the set `name` goes unless a period was scored with it."""
    apps.get_model("assessment", "IndicatorSet").objects.filter(name=name, periods__isnull=True).delete()
