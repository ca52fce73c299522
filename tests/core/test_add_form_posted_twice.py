"""An add form posted twice (a double click, a replayed request) creates one record (issue 15,
18): the kit gives every add form a one-time token; the second POST is sent to what the first
created."""

import re

from django.urls import reverse

from tests.kitapp.models import ServicePoint

COMMUNITY_A1 = "220104001001"


def token_of(html):
    return re.search(r'name="form_token" value="([0-9a-f-]{36})"', html).group(1)


def test_an_add_form_posted_twice_creates_one_record_and_the_second_post_finds_it(areas, street_a, client_for):
    client = client_for(street_a)
    token = token_of(client.get(reverse("kitapp:servicepoint_add")).content.decode())
    data = {"area": areas[COMMUNITY_A1].pk, "name": "新服务点", "phone": "13800000000", "form_token": token}

    first = client.post(reverse("kitapp:servicepoint_add"), data)
    second = client.post(reverse("kitapp:servicepoint_add"), data, follow=True)

    point = ServicePoint.objects.get(name="新服务点")  # one, not two
    assert first["Location"] == point.get_absolute_url()
    assert second.redirect_chain[0][0] == point.get_absolute_url()
    assert "该表单已经提交过，未重复保存。" in second.content.decode()


def test_each_add_form_has_its_own_token_and_a_form_shown_again_keeps_it(areas, street_a, client_for):
    client = client_for(street_a)
    one = token_of(client.get(reverse("kitapp:servicepoint_add")).content.decode())
    two = token_of(client.get(reverse("kitapp:servicepoint_add")).content.decode())
    invalid = client.post(reverse("kitapp:servicepoint_add"), {"name": "", "form_token": one})

    assert one != two
    assert token_of(invalid.content.decode()) == one
    for n, token in enumerate((one, two)):  # two forms opened, each saved once: two records
        client.post(
            reverse("kitapp:servicepoint_add"),
            {"area": areas[COMMUNITY_A1].pk, "name": f"服务点{n}", "phone": "13800000000", "form_token": token},
        )
    assert ServicePoint.objects.filter(name__startswith="服务点").count() == 2


def test_another_users_token_is_not_theirs_to_replay(areas, street_a, client_for):
    from orgs.choices import Role
    from tests.conftest import make_user

    other = make_user("street_a2", Role.STREET_CADRE, areas["220104001"])
    token = token_of(client_for(street_a).get(reverse("kitapp:servicepoint_add")).content.decode())
    data = {"area": areas[COMMUNITY_A1].pk, "name": "服务点", "phone": "13800000000", "form_token": token}
    client_for(street_a).post(reverse("kitapp:servicepoint_add"), data)

    response = client_for(other).post(reverse("kitapp:servicepoint_add"), data)

    assert response.status_code == 200  # the token is taken: the form is shown again, nothing saved
    assert ServicePoint.objects.filter(name="服务点").count() == 1


def test_the_nightly_task_forgets_tokens_older_than_a_week_and_keeps_the_recent(street_a):
    import datetime
    import uuid

    from django.utils import timezone

    from core.models import FormSubmission
    from core.tasks import forget_old_form_tokens

    old, recent = (
        FormSubmission.objects.create(token=uuid.uuid4(), user=street_a, path="/kit/points/add/") for _n in range(2)
    )
    FormSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    FormSubmission.objects.filter(pk=recent.pk).update(created_at=timezone.now() - datetime.timedelta(days=6))

    assert forget_old_form_tokens.delay().get() == 1

    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
