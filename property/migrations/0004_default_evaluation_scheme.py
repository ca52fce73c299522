"""The default evaluation scheme (物业服务质量评价方案, seed 001): six items on 100 points, the
community party organisation weighing 40%, the owners' committee and the owners' representatives
30% each, A ≥ 90, B ≥ 80, C ≥ 60. The housing departments change it or add a year's own."""

from decimal import Decimal

from django.db import migrations

YEAR = 2026
ITEMS = [
    ("党建引领", 15, "企业党组织建设或党建指导员、兼职委员、物业服务顾问“双向进入、交叉任职”，参加三方联动议事。"),
    ("服务质量", 25, "服务合同履行、服务标准公示、报修响应与办结、收费公开透明。"),
    ("设施维护", 15, "共用部位和共用设施设备的巡查、养护、维修及台账。"),
    ("环境卫生", 15, "定期保洁、垃圾清运与分类、绿化养护。"),
    ("安全管理", 15, "治安防范、消防安全、停车秩序和应急处置。"),
    ("业主满意度", 15, "业主对物业服务的总体满意程度。"),
]


def create(apps, schema_editor):
    Scheme = apps.get_model("property", "EvaluationScheme")
    Item = apps.get_model("property", "SchemeItem")
    if Scheme.objects.exists():
        return
    scheme = Scheme.objects.create(
        year=YEAR,
        name="物业服务质量评价方案（默认）",
        weight_party=40,
        weight_committee=30,
        weight_owners=30,
        grade_a=Decimal(90),
        grade_b=Decimal(80),
        grade_c=Decimal(60),
    )
    Item.objects.bulk_create(
        Item(scheme=scheme, name=name, max_score=Decimal(top), description=text, order=n)
        for n, (name, top, text) in enumerate(ITEMS, start=1)
    )


def remove(apps, schema_editor):
    apps.get_model("property", "EvaluationScheme").objects.filter(name="物业服务质量评价方案（默认）").delete()


class Migration(migrations.Migration):
    dependencies = [("property", "0003_evaluation")]

    operations = [migrations.RunPython(create, remove)]
