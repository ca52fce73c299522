"""A copy of the newest copy of the default indicator set (red property's, property 0002 and 0005)
with the requests' computed leaves (issue 19): under 完善服务体系, in its group 为民服务 (beside the
entered 为民办实事项目完成率 of assessment 0005; made where missing), the requests closed on time,
closed, and the visited residents satisfied (services/indicators_requests.py). Its
`copied_from` is the default set, as the copy before it, so that seed_demo's running quarter scores
with the newest copy (assessment/demo.py). Whistles have no source of an area's figure (their
scores are the departments', in the ranking): none joins. Made once; the sets scored stay as they are.

To renumber at the merge: this follows services 0005 (the whistles' late signing), after 0003_requests."""

from django.db import migrations

from assessment.seeding import copy_with_leaves, remove_copy

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
    copy of the default set (with red property's leaves), or the default set where there is none
    (assessment/seeding.py)."""
    return copy_with_leaves(apps, NAME, [(SYSTEM, GROUP, LEAVES)])


def backwards(apps, schema_editor):
    remove_copy(apps, NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0005_response_signed_late"),
        ("property", "0005_default_set_with_company_grade"),
        ("assessment", "0008_evidence_from_earlier_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
