"""A copy of the newest copy of the default indicator set (the services', services 0006) with the
funds' computed leaves (issue 20), made by assessment/seeding.py as the services' copy was:

- under 完善服务体系, a group 双向认领 (seed 004's 资源清单、需求清单、项目清单): the demands posted in
  the period that are claimed (需求认领率), those claimed within FUNDS_UNCLAIMED_DAYS of being posted
  (需求及时认领率 — the days to claim as a share the assessment scores: the mean days of
  `funds.days_to_claim` are not one) and the projects due in the period that are closed (项目结项率),
  funds/indicators_projects.py;
- under 强化保障体系 (funding and venues), a group 经费保障 beside 阵地保障: the execution rate
  (经费执行率, the year's spending so far of its allocations) and the communities that published a
  notice in the period (经费公示率), funds/indicators_funding.py.

Its `copied_from` is the default set, so that seed_demo's running quarter scores with it
(assessment/demo.py; the funds' demo remakes it when missing). Made once; the sets scored stay as
they are, and going back removes it unless a period was scored with it."""

from django.db import migrations

from assessment.seeding import copy_with_leaves, remove_copy

NAME = "党建引领基层治理考核指标（含红色物业、为民服务、双向认领、经费保障）"
LEVELS = ["street", "community"]
GROUPS = [
    (
        "完善服务体系",
        "双向认领",
        [
            ("需求认领率", 4, LEVELS, "funds.demands_claimed", "0.6"),
            ("需求及时认领率", 3, LEVELS, "funds.claimed_in_time", "0.6"),
            ("项目结项率", 3, LEVELS, "funds.projects_closed", "0.6"),
        ],
    ),
    (
        "强化保障体系",
        "经费保障",
        [
            ("经费执行率", 4, LEVELS, "funds.execution", "0.5"),
            ("经费公示率", 3, LEVELS, "funds.notices_published", "0.8"),
        ],
    ),
]


def forwards(apps, schema_editor):
    return copy_with_leaves(apps, NAME, GROUPS)


def backwards(apps, schema_editor):
    remove_copy(apps, NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0003_funding"),
        ("services", "0006_default_set_with_services"),
        ("assessment", "0008_evidence_from_earlier_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
