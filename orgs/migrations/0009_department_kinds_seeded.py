"""The kinds of functional department an office starts with (issue 16 §3); the list is edited in
the admin afterwards. Department roles granted before departments were records keep an empty
department (shown as 未指定部门 until a 组织部 regrants them): nothing is invented for them."""

from django.db import migrations

KINDS = ["住建", "城管执法", "公安", "市场监管", "民政", "卫健", "应急管理", "生态环境", "水务", "供电", "燃气", "其他"]


def seed(apps, schema_editor):
    DepartmentKind = apps.get_model("orgs", "DepartmentKind")
    for order, name in enumerate(KINDS, start=1):
        DepartmentKind.objects.get_or_create(name=name, defaults={"order": order * 10})


def unseed(apps, schema_editor):
    DepartmentKind = apps.get_model("orgs", "DepartmentKind")
    DepartmentKind.objects.filter(name__in=KINDS, departments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0008_departments")]

    operations = [migrations.RunPython(seed, unseed)]
