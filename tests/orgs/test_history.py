"""Who changed what and when is shown on the area's page, for changes made through the pages,
queryset updates and bulk imports alike (trigger-based history, DESIGN §4); the MPTT
bookkeeping of the tree (lft/rght shifts, renumbering) is not a change anybody made."""

import pghistory
import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse

from core import importing
from core.choices import JobStatus
from core.models import ImportJob
from orgs import tree
from orgs.importers import AreaImporter
from orgs.models import Area

DISTRICT = "220104"
STREET_A = "220104001"
COMMUNITY_A1 = "220104001001"
COMMUNITY_A2 = "220104001002"
GRID_A1 = "220104001001001"
STREET_B = "220104002"


def area_events():
    return apps.get_model("orgs", "AreaEvent").objects


def history_html(client, code):
    """The history section of the area's page."""
    response = client.get(reverse("orgs:area_detail", args=[code]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="history"') :]


def csv(*rows):
    lines = ["区划代码,名称,层级,上级代码", *(",".join(row) for row in rows)]
    return "\n".join(lines).encode()


def test_an_edit_on_the_page_is_shown_with_the_name_of_its_author(city_org, client_for):
    client = client_for(city_org)

    response = client.post(reverse("orgs:area_edit", args=[STREET_A]), {"name": "前进新街道", "level": "street"})

    assert response.status_code == 302
    history = history_html(client, STREET_A)
    assert "市委组织部" in history
    assert "前进街道 → 前进新街道" in history


def test_the_history_entry_of_an_edit_records_the_user_in_its_context(city_org, client_for):
    client_for(city_org).post(reverse("orgs:area_edit", args=[STREET_A]), {"name": "前进新街道", "level": "street"})

    event = area_events().filter(pgh_obj__code=STREET_A, pgh_label="update").get()
    assert event.pgh_context.metadata["user"] == city_org.pk
    assert event.name == "前进新街道"


def test_a_queryset_update_shows_up_too(city_org, client_for):
    Area.objects.filter(code=COMMUNITY_A1).update(name="前进一社区")

    history = history_html(client_for(city_org), COMMUNITY_A1)
    assert "A1社区 → 前进一社区" in history
    assert "系统" in history  # no user made it through a request


def test_an_import_shows_up_on_the_pages_of_the_areas_it_changed_and_created(city_org, client_for):
    data = csv(("220104001002", "A2新社区", "社区", STREET_A), ("220104001003", "A3社区", "社区", STREET_A))

    plan = importing.execute(AreaImporter(city_org), data)

    assert (len(plan.new), len(plan.changed)) == (1, 1)
    client = client_for(city_org)
    assert "A2社区 → A2新社区" in history_html(client, COMMUNITY_A2)
    created = history_html(client, "220104001003")
    assert "新建" in created
    assert area_events().filter(pgh_obj__code="220104001003", pgh_label="insert").count() == 1


def test_an_import_job_shows_its_user_and_its_number(city_org, client_for):
    job = ImportJob.objects.create(
        kind="areas",
        user=city_org,
        filename="rename.csv",
        content=csv(("220104001002", "A2新社区", "社区", STREET_A)),
        status=JobStatus.QUEUED,
        progress_total=1,
    )

    importing.run_job(job)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    history = history_html(client_for(city_org), COMMUNITY_A2)
    assert "A2社区 → A2新社区" in history
    assert "市委组织部" in history
    assert f"批量导入 #{job.pk}" in history


def test_an_import_under_a_history_context_records_it(city_org):
    with pghistory.context(user=city_org.pk, source="command"):
        importing.execute(AreaImporter(city_org), csv(("220104001003", "A3社区", "社区", STREET_A)))

    event = area_events().get(pgh_obj__code="220104001003")
    assert event.pgh_context.metadata["user"] == city_org.pk


def test_an_unchanged_import_adds_no_history(city_org):
    before = area_events().count()

    importing.execute(AreaImporter(city_org), csv(("220104001002", "A2社区", "社区", STREET_A)))

    assert area_events().count() == before


def test_an_insert_at_the_left_does_not_record_the_shift_of_the_areas_to_its_right(areas):
    shifted = list(Area.objects.filter(code__gte=STREET_A).values_list("pk", "lft", "rght"))
    before = area_events().count()

    with transaction.atomic():
        Area(code="220104000", name="新街道", level="street", parent=areas[DISTRICT]).save()

    after = dict((pk, (lft, rght)) for pk, lft, rght in Area.objects.values_list("pk", "lft", "rght"))
    assert all(after[pk] == (lft + 2, rght + 2) for pk, lft, rght in shifted)  # they did move
    assert area_events().count() == before + 1
    assert area_events().filter(pgh_label="insert").latest("pgh_id").code == "220104000"
    assert tree.check().ok


def test_a_bulk_load_records_the_new_areas_only(areas):
    before = area_events().count()

    with transaction.atomic():
        tree.bulk_load([tree.AreaRow("220104001001000", "第0网格", "grid", COMMUNITY_A1)])

    new_events = area_events().order_by("pgh_id")[before:]
    assert [(e.pgh_label, e.code) for e in new_events] == [("insert", "220104001001000")]


def test_deleting_a_leaf_records_only_its_own_deletion(street_a, client_for):
    before = area_events().count()

    client_for(street_a).post(reverse("orgs:area_delete", args=[COMMUNITY_A2]))

    new_events = area_events().order_by("pgh_id")[before:]
    assert [(e.pgh_label, e.code) for e in new_events] == [("delete", COMMUNITY_A2)]


def test_the_page_of_a_shifted_area_shows_no_change(city_org, client_for):
    with transaction.atomic():
        Area(code="220104000", name="新街道", level="street", parent=Area.objects.get(code=DISTRICT)).save()

    history = history_html(client_for(city_org), STREET_B)
    assert "修改" not in history
    assert "lft" not in history and "rght" not in history


@pytest.mark.parametrize("field", ["lft", "rght", "tree_id", "depth"])
def test_the_history_never_shows_the_tree_columns(field, city_org, client_for):
    Area.objects.filter(code=COMMUNITY_A1).update(name="前进一社区")
    tree.renumber(tree.all_tree_ids())

    history = history_html(client_for(city_org), COMMUNITY_A1)
    assert f"<code>{field}</code>" not in history
