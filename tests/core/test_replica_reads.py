"""With a streaming replica configured (DATABASE_REPLICA_URL), the kit's lists and the dashboards
read from it and every write goes to the primary (issue 22, acceptance 4). Two real databases: the
test's primary and a second one standing for the replica — the rows streaming replication had
copied so far, with one name changed on each side, so that a page shows which one it read.

The sessions live on the primary only: a page that read its login from the replica would be sent
to the login form."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from core.replica import PIN_COOKIE, replica_reads
from orgs.models import Area, RoleAssignment, User
from tests.kitapp.models import ServicePoint

pytestmark = pytest.mark.django_db(databases=["default", "replica"])

COMMUNITY_A1 = "220104001001"
STREET_A = "220104001"


@pytest.fixture
def replica(settings, areas, street_a):
    """The replica holds what the primary held a moment ago; then a point is renamed on each side."""
    settings.DATABASE_REPLICA_READS = True
    point = ServicePoint.objects.create(area=areas[COMMUNITY_A1], name="服务点（主库）", phone="13800000000")
    for model in (Area, User, RoleAssignment, ServicePoint):  # what replication had copied
        model._base_manager.using("replica").bulk_create(list(model._base_manager.using("default").order_by("pk")))
    ServicePoint.objects.using("replica").filter(pk=point.pk).update(name="服务点（备库）")
    Area.objects.using("replica").filter(code=STREET_A).update(name="前进街道（备库）")
    return point


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response
    return response.content.decode()


def test_a_list_page_reads_its_rows_from_the_replica(replica, street_a, client_for):
    html = page(client_for(street_a), reverse("kitapp:servicepoint_list"))

    assert "服务点（备库）" in html
    assert "服务点（主库）" not in html


def test_a_dashboard_reads_from_the_replica(replica, street_a, client_for):
    html = page(client_for(street_a), reverse("assessment:dashboard", kwargs={"code": STREET_A}))

    assert "前进街道（备库） 考核排名" in html


def test_without_replica_reads_the_same_pages_read_the_primary(replica, street_a, client_for, settings):
    settings.DATABASE_REPLICA_READS = False
    client = client_for(street_a)

    assert "服务点（主库）" in page(client, reverse("kitapp:servicepoint_list"))
    assert "前进街道 考核排名" in page(client, reverse("assessment:dashboard", kwargs={"code": STREET_A}))


def test_a_write_goes_to_the_primary_and_its_writer_reads_the_primary_until_the_pin_expires(
    replica, street_a, client_for, areas, settings
):
    client = client_for(street_a)
    add_url, list_url = reverse("kitapp:servicepoint_add"), reverse("kitapp:servicepoint_list")
    token = re.search(r'name="form_token" value="([0-9a-f-]{36})"', page(client, add_url)).group(1)

    response = client.post(
        add_url, {"area": areas[COMMUNITY_A1].pk, "name": "新服务点", "phone": "13800000001", "form_token": token}
    )

    assert response.status_code == 302
    assert ServicePoint.objects.using("default").filter(name="新服务点").count() == 1
    assert not ServicePoint.objects.using("replica").filter(name="新服务点").exists()
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    pinned = page(client, list_url)
    assert "新服务点" in pinned and "服务点（主库）" in pinned  # its own write, though the replica lags

    del client.cookies[PIN_COOKIE]  # the seconds have passed
    later = page(client, list_url)
    assert "服务点（备库）" in later and "新服务点" not in later


def test_within_replica_reads_users_transactions_and_what_follows_a_write_stay_on_the_primary(replica, street_a):
    User.objects.using("replica").filter(pk=street_a.pk).update(first_name="备库")

    with replica_reads():
        assert ServicePoint.objects.get(pk=replica.pk).name == "服务点（备库）"
        assert User.objects.get(pk=street_a.pk).first_name == ""  # who is logged in never lags
        with transaction.atomic():
            assert ServicePoint.objects.get(pk=replica.pk).name == "服务点（主库）"
        ServicePoint.objects.filter(pk=replica.pk).update(phone="13800000002")
        assert ServicePoint.objects.get(pk=replica.pk).name == "服务点（主库）"  # reads what it wrote

    assert ServicePoint.objects.using("replica").get(pk=replica.pk).phone == "13800000000"
