"""Bad input refused with a Chinese reason in the form, the API and the import alike (the import's
side: test_workers_import.py): a grade outside the city's ladder (三岗十八级 here; 四岗十八级 in Wuhan
by settings), a category the city's ladder lacks, a full-time worker in two communities at once — and
the same worker marked 兼职 kept."""

import pytest
from django.urls import reverse

from workforce.models_workers import Worker, ladder, ladder_refusal

from .workers_cast import A2, B1_ID, NEW_ID, SECRETARY_ID, community_a1_fixture, workers_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def form(**more):
    return {
        "area": A2,
        "name": "新社工",
        "id_number": NEW_ID,
        "phone": "13900009999",
        "post": "other",
        "category": "member",
        "grade": "3",
        "hired_on": "2024-01-01",
        **more,
    }


def errors_of(response):
    return response.context["form"].errors.as_text() if response.context and "form" in response.context else ""


def api_errors(response):
    return str(response.json())


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"category": "member", "grade": "15"}, "等级 15 不在本市三岗十八级的委员岗范围内（1–12 级）"),
        ({"category": "principal", "grade": "3"}, "正职岗范围内（7–18 级）"),
        ({"category": "grid", "grade": "3"}, "不是本市三岗十八级的岗位类别"),
    ],
)
def test_the_form_and_the_api_refuse_a_grade_outside_the_ladder(street_a, client_for, change, says):
    client = client_for(street_a)

    page = client.post(reverse("workforce:worker_add"), form(**change))
    api = client.post(
        "/api/workers/", {**form(**change), "grade": int(change["grade"])}, content_type="application/json"
    )

    assert page.status_code == 200 and says in errors_of(page)
    assert api.status_code == 400 and says in api_errors(api)
    assert not Worker.objects.filter(id_number=NEW_ID).exists()


def test_a_city_configured_with_four_posts_takes_its_fourth(settings, street_a, client_for):
    settings.WORKFORCE_LADDERS = {"default": ladder("2201"), "220104": ladder("4201")}  # the district as Wuhan

    saved = client_for(street_a).post(reverse("workforce:worker_add"), form(category="grid", grade="2"))

    assert saved.status_code == 302
    assert Worker.objects.get(id_number=NEW_ID).category == "grid"
    assert "四岗十八级" in str(ladder_refusal("220104001002", "grid", 13))


def test_a_full_time_worker_in_two_communities_is_refused_unless_part_time(workers, street_a, client_for):
    client = client_for(street_a)
    twice = form(id_number=SECRETARY_ID)  # 王书记 is A1's secretary

    page = client.post(reverse("workforce:worker_add"), twice)
    api = client.post("/api/workers/", {**twice, "grade": 3}, content_type="application/json")
    part_time = client.post(reverse("workforce:worker_add"), {**twice, "part_time": "on"})

    says = "王书记（身份证号相同）已是A1社区的在职社区工作者；同时在两个社区任职须标为兼职"
    assert says in errors_of(page) and says in api_errors(api) and api.status_code == 400
    assert part_time.status_code == 302
    assert Worker.objects.filter(id_number=SECRETARY_ID, area__code=A2, part_time=True).count() == 1


def test_a_worker_of_street_b_cannot_be_entered_twice_in_street_a_by_its_cadre_either(workers, street_a, client_for):
    """The check reads every current worker, not only those in the user's scope: B1's worker is found."""
    page = client_for(street_a).post(reverse("workforce:worker_add"), form(id_number=B1_ID))

    assert "B1社区的在职社区工作者" in errors_of(page)


def test_a_change_outside_the_ladder_is_refused_and_the_worker_stays(workers, community_a1, client_for):
    former = workers["former"]
    data = {
        "worker": former.pk,
        "changed_on": "2025-01-01",
        "kind": "promotion",
        "post": "committee",
        "category": "deputy",
        "grade": "17",
        "reason": "晋级",
    }
    client = client_for(community_a1)

    page = client.post(reverse("workforce:workerchange_add"), data)
    api = client.post("/api/worker-changes/", {**data, "grade": 17}, content_type="application/json")

    assert "副职岗范围内（4–15 级）" in errors_of(page) and api.status_code == 400
    former.refresh_from_db()
    assert (former.post, former.category, former.grade) == ("committee", "deputy", 6)
