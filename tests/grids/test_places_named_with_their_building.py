"""Issue 15, item 27 (the roster's part): a unit is named with its building ("1栋1单元", never
"1单元" alone, which every building has), a building with its grid, a grid with its community —
in the relief confirmation, the appointment page and message, the roster table, a person's posts
and the roster's recent changes."""

from django.urls import reverse

from grids.choices import Post
from grids.models import HeadAssignment

UNIT = "22010400100100100101"
BUILDING = "220104001001001001"


def test_the_relief_confirmation_names_the_unit_with_its_building(cast_roster, street_a, client_for):
    post = HeadAssignment.objects.get(area__code=UNIT, post=Post.UNIT_HEAD)

    page = client_for(street_a).get(reverse("grids:relieve", args=[post.pk])).content.decode()

    assert "李娜将于今天离任“1栋1单元”的单元长" in page


def test_the_relief_confirmation_names_the_building_with_its_grid(cast_roster, street_a, client_for):
    post = HeadAssignment.objects.get(area__code=BUILDING, post=Post.BUILDING_HEAD)

    page = client_for(street_a).get(reverse("grids:relieve", args=[post.pk])).content.decode()

    assert "王芳将于今天离任“第1网格1栋”的楼栋长" in page


def test_the_appointment_page_and_its_message_name_the_unit_with_its_building(cast_roster, street_a, client_for):
    client = client_for(street_a)

    page = client.get(reverse("grids:appoint", args=[UNIT])).content.decode()
    response = client.post(
        reverse("grids:appoint", args=[UNIT]),
        {
            "post": Post.UNIT_HEAD,
            "name": "周敏",
            "phone": "13700000004",
            "start_date": "2025-01-01",
            "political_status": "",
        },
        follow=True,
    )

    assert "为“1栋1单元”任命人员" in page
    assert "已任命：周敏（单元长，1栋1单元）。" in response.content.decode()


def test_the_roster_table_names_grids_with_their_community_and_buildings_with_their_grid(
    cast_roster, street_a, client_for
):
    page = client_for(street_a).get(reverse("grids:roster", args=["220104001"])).content.decode()

    assert '1栋1单元<span class="cell-sub code">22010400100100100101<' in page
    assert '第1网格1栋<span class="cell-sub code">220104001001001001<' in page
    assert 'A1社区第2网格<span class="cell-sub code">220104001001002<' in page


def test_a_persons_posts_name_the_unit_with_its_building(cast_roster, street_a, client_for):
    page = client_for(street_a).get(cast_roster["李娜"].get_absolute_url()).content.decode()

    assert "1栋1单元" in page


def test_the_recent_changes_name_the_grid_with_its_community(cast_roster, street_a, rf):
    from grids.widgets import roster_changes

    request = rf.get("/")
    request.user = street_a

    places = [row["place"] for row in roster_changes(request, limit=20)["rows"]]

    assert "A1社区第1网格" in places and "1栋1单元" in places and "第1网格1栋" in places
