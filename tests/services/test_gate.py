"""The gate (准入, seed 001): a task a department pushes to a community is admitted at once when it
names an item of the community's current admission list; otherwise it is stopped and waits for the
street, which is told, to approve or refuse it with a reason — recorded with who and when. A
department sees its own tasks only; a street-B cadre finds none of street A's."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import Notice, StateChange
from services import admission
from services.choices import TaskStatus
from services.models import GateTask

from .conftest import COMMUNITY_A1, ON_THE_LIST

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def push(client, departments, areas, name):
    return client.post(
        reverse("services:gatetask_add"),
        {"department": departments["chaoyang"].pk, "community": COMMUNITY_A1, "name": name, "content": "按月上报"},
    )


def test_a_task_on_the_admission_list_is_admitted_at_once(lists, departments, areas, minzheng, street_a):
    response = push(client_for(minzheng), departments, areas, f" {ON_THE_LIST} ")

    task = GateTask.objects.get()
    assert response.status_code == 302
    assert (task.status, task.matched_item.name) == (TaskStatus.ADMITTED, ON_THE_LIST)
    assert not Notice.objects.filter(recipient=street_a).exists()  # nothing for the street to decide


def test_a_task_off_the_list_is_stopped_and_the_street_told(lists, departments, areas, minzheng, street_a):
    push(client_for(minzheng), departments, areas, "填报商户消防安全台账")

    task = GateTask.objects.get()
    assert (task.status, task.matched_item) == (TaskStatus.STOPPED, None)
    notice = Notice.objects.get(recipient=street_a)
    assert "填报商户消防安全台账" in notice.title and "待街道审批" in notice.title
    assert StateChange.objects.get(object_id=task.pk).user == minzheng


def test_a_superseded_versions_item_admits_nothing(lists, departments, areas, minzheng):
    push(client_for(minzheng), departments, areas, "协助开展报刊征订")  # on v1, removed by v2

    assert GateTask.objects.get().status == TaskStatus.STOPPED


def stopped_task(departments, areas, minzheng):
    task = GateTask(department=departments["chaoyang"], community=areas[COMMUNITY_A1], name="填报商户消防安全台账")
    return admission.push(task, minzheng)


def test_the_street_approves_a_stopped_task(lists, departments, areas, minzheng, street_a):
    task = stopped_task(departments, areas, minzheng)
    client = client_for(street_a)

    response = client.post(reverse("services:gatetask_approve", args=[task.pk]), {"state": "stopped"})

    task.refresh_from_db()
    assert response.status_code == 302
    assert (task.status, task.by) == (TaskStatus.APPROVED, street_a)
    assert StateChange.objects.filter(object_id=task.pk, transition="approve", user=street_a).exists()
    assert not Notice.objects.filter(recipient=street_a, read_at__isnull=True).exists()  # its matter moved on


def test_the_street_refuses_with_a_reason(lists, departments, areas, minzheng, street_a):
    task = stopped_task(departments, areas, minzheng)
    client = client_for(street_a)

    without = client.post(reverse("services:gatetask_refuse", args=[task.pk]), {"state": "stopped"})
    task.refresh_from_db()
    assert without.status_code == 200 and task.status == TaskStatus.STOPPED  # the reason is asked again

    client.post(reverse("services:gatetask_refuse", args=[task.pk]), {"state": "stopped", "reason": "不属于社区职责"})
    task.refresh_from_db()
    assert (task.status, task.reason, task.by) == (TaskStatus.REFUSED, "不属于社区职责", street_a)


def test_a_decided_task_cannot_be_decided_again(lists, departments, areas, minzheng, street_a):
    task = stopped_task(departments, areas, minzheng)
    admission.GATE.take("approve", {"pk": task.pk}, street_a)

    with pytest.raises(ValidationError, match="街道已批准"):
        admission.GATE.take("refuse", {"pk": task.pk}, street_a, reason="晚了")


def test_a_community_cadre_does_not_decide(lists, departments, areas, minzheng, community_a1):
    task = stopped_task(departments, areas, minzheng)

    response = client_for(community_a1).post(reverse("services:gatetask_approve", args=[task.pk]), {"state": "stopped"})

    task.refresh_from_db()
    assert response.status_code == 404 and task.status == TaskStatus.STOPPED


def test_a_department_sees_its_own_tasks_only(lists, departments, areas, minzheng, chengguan, community_a1):
    task = stopped_task(departments, areas, minzheng)

    assert client_for(minzheng).get(task.get_absolute_url()).status_code == 200
    assert client_for(chengguan).get(task.get_absolute_url()).status_code == 404
    listed = client_for(chengguan).get(reverse("services:gatetask_list"))
    assert listed.status_code == 200 and task.name not in listed.content.decode()
    assert client_for(community_a1).get(task.get_absolute_url()).status_code == 200  # its own community's


def test_a_street_b_cadre_gets_404(lists, departments, areas, minzheng, street_b):
    task = stopped_task(departments, areas, minzheng)
    client = client_for(street_b)

    assert client.get(task.get_absolute_url()).status_code == 404
    assert client.post(reverse("services:gatetask_approve", args=[task.pk]), {"state": "stopped"}).status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.STOPPED


def test_a_department_pushes_only_to_communities_of_its_area(lists, departments, areas, nanguan_department):
    response = client_for(nanguan_department).post(
        reverse("services:gatetask_add"),
        {"department": departments["nanguan"].pk, "community": COMMUNITY_A1, "name": "越区交办"},
    )

    assert response.status_code == 200 and "不在您的管辖范围内" in response.content.decode()
    assert not GateTask.objects.exists()


def test_a_department_pushes_in_no_other_departments_name(lists, departments, areas, chengguan):
    response = client_for(chengguan).post(
        reverse("services:gatetask_add"),
        {"department": departments["chaoyang"].pk, "community": COMMUNITY_A1, "name": "冒名交办"},
    )

    assert response.status_code == 200
    assert not GateTask.objects.exists()


def test_an_admitted_task_is_neither_changed_nor_withdrawn(lists, departments, areas, minzheng):
    task = admission.push(
        GateTask(department=departments["chaoyang"], community=areas[COMMUNITY_A1], name=ON_THE_LIST), minzheng
    )
    client = client_for(minzheng)

    edited = client.post(
        reverse("services:gatetask_edit", args=[task.pk]),
        {"department": departments["chaoyang"].pk, "community": COMMUNITY_A1, "name": "改成别的事项"},
    )
    client.post(reverse("services:gatetask_delete", args=[task.pk]))

    task.refresh_from_db()
    assert edited.status_code == 200 and "不能修改" in edited.content.decode()
    assert (task.name, task.status) == (ON_THE_LIST, TaskStatus.ADMITTED)


def test_a_stopped_task_changed_to_a_listed_name_is_admitted(lists, departments, areas, minzheng):
    task = stopped_task(departments, areas, minzheng)

    client_for(minzheng).post(
        reverse("services:gatetask_edit", args=[task.pk]),
        {"department": departments["chaoyang"].pk, "community": COMMUNITY_A1, "name": ON_THE_LIST},
    )

    task.refresh_from_db()
    assert (task.status, task.matched_item.name) == (TaskStatus.ADMITTED, ON_THE_LIST)
