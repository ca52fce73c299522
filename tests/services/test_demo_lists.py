"""seed_demo's lists (services/demo.py): every filled street's power list (~100 items, as
Liupanshui's 103) and public-service list, every community's admission list (14 自治 + 30 协助, seed
001) and public-service list (37, as Jilin's), a superseded version before some, a draft awaiting
publication in the demo community, and a task at its gate in each state, the stopped one told to the
street."""

from collections import Counter

import pytest
from django.db.models import Count

from core.models import Notice
from orgs.choices import AreaLevel
from orgs.models import Area
from services.choices import AdmissionCategory, ListKind, TaskStatus, VersionStatus
from services.demo import DEMO_COMMUNITY
from services.models import GateTask, ListItem, ListVersion, ServiceList

pytestmark = pytest.mark.django_db


def test_every_filled_area_has_its_current_lists(small_demo):
    communities = Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct()
    published = ListVersion.objects.filter(status=VersionStatus.PUBLISHED).annotate(n=Count("items"))

    power = [v.n for v in published.filter(service_list__kind=ListKind.POWER)]
    admission = published.filter(service_list__kind=ListKind.ADMISSION)
    assert admission.count() == communities.count()
    assert power and all(90 <= n <= 120 for n in power)
    assert {v.n for v in admission} == {44}
    categories = Counter(ListItem.objects.filter(version=admission.first()).values_list("category", flat=True))
    assert categories == {AdmissionCategory.SELF_GOVERNING: 14, AdmissionCategory.ASSISTING: 30}
    services = published.filter(service_list__kind=ListKind.PUBLIC_SERVICE, service_list__area__level="community")
    assert {v.n for v in services} == {37}
    assert "已建立清单" in small_demo


def test_some_lists_keep_a_superseded_version_and_the_demo_community_a_draft(small_demo):
    assert ListVersion.objects.filter(status=VersionStatus.SUPERSEDED).exists()
    draft = ListVersion.objects.get(status=VersionStatus.DRAFT)
    assert draft.service_list.area.code == DEMO_COMMUNITY
    assert ServiceList.objects.filter(versions__status=VersionStatus.PUBLISHED).count() == ServiceList.objects.count()


def test_the_demo_gate_has_a_task_in_every_state(small_demo):
    tasks = {task.status: task for task in GateTask.objects.all()}

    assert set(tasks) == set(TaskStatus.values)
    assert tasks[TaskStatus.ADMITTED].matched_item is not None
    assert tasks[TaskStatus.REFUSED].reason
    assert Notice.objects.filter(recipient__username="jiedao", title__contains=tasks[TaskStatus.STOPPED].name).exists()
