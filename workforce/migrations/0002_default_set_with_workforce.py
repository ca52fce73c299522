"""A copy of the newest copy of the default indicator set (the funds', funds 0004) with the
workforce's computed leaves (issue 21), made by assessment/seeding.py as the funds' copy was:

- under 强化保障体系, the group 阵地保障's 党群服务阵地规范化达标率 — entered by hand with evidence
  until now — becomes a computed leaf of the venues on record (workforce.venue_compliance: the
  venues that meet the city's floor area and the 五有, of the venues), and a group 社区工作者队伍
  beside it: the certified share (持证社工占比), the communities staffed to the standard per 1,000
  households (社工配备达标率) and the workers whose training hours reach the year's requirement so
  far (培训学时达标率), workforce/indicators_workers.py;
- under 健全组织体系, a group 书记领办 (seed 000: every secretary claims a project; their annual
  述职评议): the secretary projects on track (书记项目按期推进率) and, in an annual period, the share
  of the review's votes that are 好 or 较好 (述职评议好评率; not applicable to a quarter, which has
  no review), workforce/indicators_secretaries.py; and the street's communities whose secretary is
  also the residents' committee's director (一肩挑, street level only), workforce/committees.py.

Its `copied_from` is the default set, so that seed_demo's running quarter scores with it
(assessment/demo.py; the workforce's demo remakes it when missing). Made once; the sets scored
stay as they are — the periods scored keep their entered leaf — and going back removes it unless a
period was scored with it."""

from django.db import migrations

from assessment.seeding import copy_with_leaves, remove_copy

NAME = "党建引领基层治理考核指标（含红色物业、为民服务、双向认领、经费保障、队伍与阵地）"
LEVELS = ["street", "community"]
GROUPS = [
    (
        "强化保障体系",
        "社区工作者队伍",
        [
            ("持证社工占比", 3, LEVELS, "workforce.certified_share", "0.3"),
            ("社工配备达标率", 3, LEVELS, "workforce.staffing", "0.5"),
            ("培训学时达标率", 2, LEVELS, "workforce.training_hours", "0.6"),
        ],
    ),
    (
        "健全组织体系",
        "书记领办",
        [
            ("书记项目按期推进率", 3, LEVELS, "workforce.projects_on_track", "0.6"),
            ("述职评议好评率", 3, LEVELS, "workforce.review_good_share", "0.6"),
            ("书记主任一肩挑比例", 2, ["street"], "workforce.one_shoulder", "0.5"),
        ],
    ),
]
COMPUTED = [("党群服务阵地规范化达标率", "workforce.venue_compliance", "达标阵地", "阵地")]


def forwards(apps, schema_editor):
    return copy_with_leaves(apps, NAME, GROUPS, computed=COMPUTED)


def backwards(apps, schema_editor):
    remove_copy(apps, NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_initial"),
        ("funds", "0004_default_set_with_funds"),
        ("assessment", "0008_evidence_from_earlier_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
