"""The mean grade of the companies serving an area (物业企业服务质量平均等级, the annual evaluation's
source `property.company_grade`) joins the copy of the default set with red property (0002), in its
红色物业 group — unless a period was scored with the copy already: a scored set keeps its leaves.
An area whose companies have no grade for the year has no figure: the leaf does not apply there."""

from decimal import Decimal

from django.db import migrations

NAME = "党建引领基层治理考核指标（含红色物业）"
GROUP = "红色物业"
LEAF = "物业企业服务质量平均等级"
SOURCE = "property.company_grade"


def forwards(apps, schema_editor):
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    Indicator = apps.get_model("assessment", "Indicator")
    copy = IndicatorSet.objects.filter(name=NAME).first()
    if copy is None or copy.periods.exists() or Indicator.objects.filter(indicator_set=copy, source=SOURCE).exists():
        return
    group = Indicator.objects.filter(indicator_set=copy, name=GROUP).first()
    if group is None:
        return
    order = 1 + max((i.order for i in Indicator.objects.filter(parent=group)), default=0)
    Indicator.objects.create(
        indicator_set=copy,
        parent=group,
        name=LEAF,
        order=order,
        weight=Decimal(4),
        levels=["street", "community"],
        source=SOURCE,
        floor=Decimal("0.5"),
        target=Decimal("1"),
    )


def backwards(apps, schema_editor):
    IndicatorSet = apps.get_model("assessment", "IndicatorSet")
    apps.get_model("assessment", "Indicator").objects.filter(
        indicator_set__in=IndicatorSet.objects.filter(name=NAME, periods__isnull=True), source=SOURCE
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("property", "0004_default_evaluation_scheme")]

    operations = [migrations.RunPython(forwards, backwards)]
