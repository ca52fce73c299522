"""Issue 18, acceptance 1: 朝阳区's housing user (职能部门) is not found (404) on the roster and the
party pages, nor on their API, although the district is its area: a functional department reads
the tree and its own work, not the people of the grids nor the party (grids.view_roster and
party.view, declared by the models as `view_action`, held by every role but the department).

Every URL pattern of the two apps is walked, so that a page added later is covered or the test
says which one it missed; the district's 组织部, on the same URLs, is the control that they exist."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse

from core.registry import registry
from grids.models import HeadAssignment
from orgs.choices import Role
from orgs.scoping import Action, read_action
from party.models import MeetingPhoto
from tests.conftest import make_user
from tests.grids.conftest import cast_roster, holder, id_number  # noqa: F401 — a roster of both streets
from tests.party.conftest import party, unit_user  # noqa: F401 — the party's records of both streets

from .conftest import COMMUNITY_A1, DISTRICT, GRID_A1, STREET_A

APPS = ("grids", "party")


@pytest.fixture
def records(party, cast_roster, settings, tmp_path):  # noqa: F811 — the fixtures imported above
    """One record of each kind a page of the two apps is about, by its URL's name."""
    settings.MEDIA_ROOT = tmp_path
    post = HeadAssignment.objects.filter(area__code__startswith=DISTRICT).first()
    photo = MeetingPhoto.objects.create(
        meeting=party["meeting"], file=ContentFile(b"\x89PNG\r\n\x1a\n", name="p.png"), name="合影.png"
    )
    by_model = {
        "partyorganisation": party["grid_a1"],
        "partymember": party["zhang"],
        "meeting": party["meeting"],
        "reportingunit": party["unit"],
        "unitregistration": party["registration"],
        "inservicemember": party["zhao"],
        "servicerecord": party["service"],
        "person": post.person,
        "meetingphoto": photo,
        "headassignment": post,
        "relieve": post,  # grids:relieve, of a post
    }
    return by_model


def app_patterns(patterns=None, namespace=""):
    """(namespaced name, pattern) of every URL pattern whose view is the roster's or the party's:
    their pages and their API alike, walked from the root URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from app_patterns(pattern.url_patterns, inner)
        elif app_of(pattern) in APPS and "format" not in arguments(pattern):
            yield f"{namespace}{pattern.name}", pattern


def app_of(pattern):
    """The app of a page: its records' (a kit page, core.views.generic), or its view's."""
    queryset = queryset_of(pattern)
    return (
        queryset.model._meta.app_label
        if queryset is not None
        else view_owner(pattern.callback).__module__.split(".")[0]
    )


def queryset_of(pattern):
    queryset = getattr(pattern.callback, "view_initkwargs", {}).get("queryset")
    return queryset if queryset is not None else getattr(view_owner(pattern.callback), "queryset", None)


def view_owner(callback):
    return getattr(callback, "cls", None) or getattr(callback, "view_class", None) or callback


def arguments(pattern):
    return list(pattern.pattern.regex.groupindex)


def model_of(pattern):
    """The model a page with a record's id is about: its view's queryset, or its name's first word
    (party:partymember_transfer)."""
    queryset = queryset_of(pattern)
    return queryset.model._meta.model_name if queryset is not None else pattern.name.split("_")[0]


def url_of(name, pattern, records):
    if not arguments(pattern):
        return reverse(name)
    (argument,) = arguments(pattern)
    if argument == "code":  # a community's page, or a grid's (an appointment is on a grid)
        return reverse(name, args=[GRID_A1 if name == "grids:appoint" else COMMUNITY_A1])
    model = model_of(pattern)
    if model not in records:
        pytest.fail(f"{name} 需要一条记录：在 records 中加上 {model}")
    return reverse(name, args=[records[model].pk])


def answer(client, url):
    """The status of a GET, or of a POST where the page takes only POSTs (confirm a service)."""
    status = client.get(url).status_code
    return client.post(url).status_code if status == 405 else status


@pytest.fixture
def every_url(records):
    for _prefix, viewset, _basename in registry.api_routes:
        model = viewset.queryset.model
        if model._meta.app_label in APPS:
            assert read_action(model) != Action.VIEW, f"{model.__name__} 未声明 view_action"
    return sorted({url_of(name, pattern, records) for name, pattern in app_patterns()})


def test_the_housing_user_is_not_found_on_any_roster_or_party_page_or_endpoint(areas, zhujian, every_url, client_for):
    # The controls: the offices that read (the 组织部) or keep (the community) the same records.
    controls = [
        client_for(make_user("chaoyang_zzb", Role.ORG_DEPARTMENT, areas[DISTRICT])),
        client_for(make_user("jiedao_a", Role.STREET_CADRE, areas[STREET_A])),
        client_for(make_user("shequ_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])),
    ]
    housing = client_for(zhujian)

    missing = [url for url in every_url if all(control.get(url).status_code == 404 for control in controls)]
    assert missing == []  # every URL walked is there for an office that reads or keeps its records
    assert len(every_url) > 40

    refused = {url: answer(housing, url) for url in every_url}
    assert {url: status for url, status in refused.items() if status != 404} == {}


def test_the_housing_user_meets_neither_on_the_area_page_nor_in_the_menu_nor_in_search(
    areas, zhujian, records, client_for
):
    client = client_for(zhujian)

    page = client.get(f"/areas/{DISTRICT}/").content.decode()
    home = client.get("/").content.decode()
    found = client.get("/search/", {"q": "张"}).content.decode()

    for url in ("/party/summary/", "/party/chart/", "/coverage/", "/roster/"):  # neither panels nor buttons
        assert url not in page, url
    assert f"/areas/{DISTRICT}/property/summary/" in page  # its own work is there
    assert reverse("party:partyorganisation_list") not in home and reverse("party:partymember_list") not in home
    assert "张党员" not in found and "张伟" not in found
