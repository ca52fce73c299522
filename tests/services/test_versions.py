"""A list's versions: drafted → published → superseded (declared steps). Publishing a draft
supersedes the published version in the same transaction; every version is kept; a published
version is not edited, a new draft is made from it with its items; a list is kept by its own area's
cadres, not by the street above."""

import pytest
from django.core.exceptions import ValidationError

from core.models import StateChange
from orgs.scoping import can
from services import lists as versions
from services.choices import ListKind, VersionStatus
from services.models import ListItem, ListVersion, ServiceList
from services.permissions import KEEP_LISTS

from .conftest import COMMUNITY_A1, STREET_A

pytestmark = pytest.mark.django_db


def test_publishing_a_draft_supersedes_the_published_version(lists, community_a1):
    draft, published = lists["draft"], lists["service"]

    versions.VERSIONS.take("publish", {"pk": draft.pk}, community_a1, seen=VersionStatus.DRAFT)

    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
    assert draft.published_at is not None
    assert lists["service_list"].current() == draft
    steps = set(StateChange.objects.values_list("object_id", "transition", "user__username"))
    assert steps == {(draft.pk, "publish", "community_a1"), (published.pk, "supersede", "community_a1")}


def test_a_refused_publication_supersedes_nothing(lists, community_a1):
    draft, published = lists["draft"], lists["service"]
    draft.items.all().delete()

    with pytest.raises(ValidationError, match="还没有事项"):
        versions.VERSIONS.take("publish", {"pk": draft.pk}, community_a1)

    published.refresh_from_db()
    assert published.status == VersionStatus.PUBLISHED
    assert not StateChange.objects.exists()


def test_a_published_version_cannot_be_published_again(lists, community_a1):
    with pytest.raises(ValidationError, match="不能发布"):
        versions.VERSIONS.take("publish", {"pk": lists["service"].pk}, community_a1)


def test_a_new_draft_copies_the_items_of_its_base(lists, community_a1):
    current = lists["current"]

    draft = versions.draft_from(lists["admission"], community_a1, base=current)

    assert (draft.number, draft.status) == (3, VersionStatus.DRAFT)
    copied = list(draft.items.values_list("name", "category", "legal_basis"))
    assert copied == list(current.items.values_list("name", "category", "legal_basis"))
    assert ListVersion.objects.filter(service_list=lists["admission"]).count() == 3  # every version kept


def test_a_list_has_one_draft_at_a_time(lists, community_a1):
    with pytest.raises(ValidationError, match="已有草稿"):
        versions.draft_from(lists["service_list"], community_a1)


def test_a_published_item_cannot_be_edited(lists):
    item = lists["current"].items.first()
    item.responsible = "改过的"

    with pytest.raises(ValidationError, match="不能修改"):
        item.full_clean()


def test_an_admission_item_is_self_governing_or_assisting(lists):
    item = ListItem(version=lists["draft"], name="什么事项", category="其他")
    lists["service_list"].kind = ListKind.ADMISSION
    item.version.service_list = lists["service_list"]

    with pytest.raises(ValidationError, match="自治事项"):
        item.full_clean()


def test_a_published_version_is_never_deleted(lists):
    with pytest.raises(ValidationError, match="不能删除"):
        lists["old"].delete()
    assert ListVersion.objects.filter(pk=lists["old"].pk).exists()


def test_a_power_list_belongs_to_a_street(areas):
    with pytest.raises(ValidationError, match="街道"):
        ServiceList(area=areas[COMMUNITY_A1], kind=ListKind.POWER).full_clean()


def test_lists_are_kept_by_their_own_area_and_read_from_above(lists, community_a1, street_a):
    admission_list, power_list = lists["admission"], lists["power_list"]

    assert can(community_a1, KEEP_LISTS, admission_list)
    assert not can(street_a, KEEP_LISTS, admission_list)  # the street reads its communities' lists
    assert can(street_a, "view", admission_list)
    assert can(street_a, KEEP_LISTS, power_list)
    assert not can(community_a1, KEEP_LISTS, power_list)
    assert set(ServiceList.objects.scoped(street_a, KEEP_LISTS)) == {power_list}
    assert power_list.area.code == STREET_A


def test_only_a_drafts_items_are_kept(lists, community_a1):
    kept = set(ListItem.objects.scoped(community_a1, KEEP_LISTS))

    assert kept == {lists["draft_item"]}


def test_of_two_keepers_publishing_at_once_one_wins_and_the_other_is_told(lists, community_a1):
    draft = lists["draft"]
    versions.VERSIONS.take("publish", {"pk": draft.pk}, community_a1, seen=VersionStatus.DRAFT)

    with pytest.raises(ValidationError, match="刚刚已变为“已发布”"):
        versions.VERSIONS.take("publish", {"pk": draft.pk}, community_a1, seen=VersionStatus.DRAFT)
    assert ListVersion.objects.filter(service_list=lists["service_list"], status=VersionStatus.PUBLISHED).count() == 1


def test_a_draft_is_read_by_the_offices_of_the_tree_not_by_a_functional_department(
    lists, community_a1, street_a, minzheng, client_for
):
    draft, published = lists["draft"], lists["service"]

    assert set(ListVersion.objects.scoped(minzheng).filter(service_list=lists["service_list"])) == {published}
    assert not ListItem.objects.scoped(minzheng).filter(version=draft).exists()
    assert client_for(minzheng).get(draft.get_absolute_url()).status_code == 404
    assert client_for(minzheng).get(published.get_absolute_url()).status_code == 200
    for office in (community_a1, street_a):
        assert draft in ListVersion.objects.scoped(office)
        assert client_for(office).get(draft.get_absolute_url()).status_code == 200
