"""吹哨报到 (issue 19): blowing (a deadline not past, departments of the district or city, a place
of the street), each department's response through its declared steps and their Chinese refusals,
the race, the scope (a department sees exactly its own; street B and a third department get 404),
the overdue escalation to the district, and the quarterly ranking's figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.calendar import Quarter
from core.notices import Notice, send_due_notices
from orgs.choices import Role
from orgs.models import Department, DepartmentKind
from services import whistles
from services.models_whistles import ResponseStatus, Whistle, WhistleResponse, WhistleType, ensure_seeded_types
from tests.conftest import make_user

from .conftest import DISTRICT, department_user

BUILDING_A = "220104001001001001"
COMMUNITY_B1 = "220104002001"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def evidence(name="现场照片.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def called(departments, areas):
    """朝阳区住建局 and 朝阳区城管执法局 (called by the whistle); 朝阳区民政局 the third, not called.
    The whistle types are the data migration's; seeded again after a transactional test's flush."""
    ensure_seeded_types()
    kind = DepartmentKind.objects.get_or_create(name="住建")[0]
    return {
        "zhujian": Department.objects.create(name="朝阳区住房和城乡建设局", kind=kind, area=areas[DISTRICT]),
        "chengguan": departments["chaoyang_other"],
        "third": departments["chaoyang"],
        "nanguan": departments["nanguan"],
    }


@pytest.fixture
def zhujian(called):
    return department_user("zhujian", called["zhujian"])


@pytest.fixture
def district_org(areas):
    return make_user("district_org", Role.ORG_DEPARTMENT, areas[DISTRICT])


@pytest.fixture
def whistle(called, areas, street_a, zhujian, chengguan, minzheng):
    """Street A's whistle about a building, to 住建 and 城管执法, due in a week."""
    w = Whistle(
        area=areas[BUILDING_A],
        kind=WhistleType.objects.get(name="安全隐患"),
        title="楼道堆放杂物堵塞消防通道",
        description="1栋楼道长期堆放杂物。",
        deadline=in_days(7),
    )
    return whistles.blow(w, [called["zhujian"], called["chengguan"]], street_a)


def response_of(whistle, department):
    return WhistleResponse.objects.get(whistle=whistle, department=department)


@pytest.mark.django_db
class TestBlowing:
    def test_each_called_department_gets_a_response_and_its_users_are_told(self, whistle, called, zhujian, minzheng):
        assert sorted(r.department.name for r in whistle.responses.all()) == [
            "朝阳区住房和城乡建设局",
            "朝阳区城管执法局",
        ]
        assert set(whistle.responses.values_list("status", flat=True)) == {ResponseStatus.ADDRESSED}
        told = Notice.objects.filter(recipient=zhujian)
        assert told.count() == 1 and "楼道堆放杂物" in told.get().title
        assert not Notice.objects.filter(recipient=minzheng).exists()  # not called, not told

    def test_a_deadline_in_the_past_is_refused_in_chinese(self, areas, street_a, called):
        w = Whistle(area=areas[BUILDING_A], kind=WhistleType.objects.first(), title="t", description="d")
        w.deadline = in_days(-1)
        with pytest.raises(ValidationError) as error:
            whistles.blow(w, [called["zhujian"]], street_a)
        assert "已过" in str(error.value.message_dict["deadline"])
        assert not Whistle.objects.exists()

    def test_a_department_outside_the_district_is_refused(self, areas, street_a, called):
        w = Whistle(
            area=areas[BUILDING_A], kind=WhistleType.objects.first(), title="t", description="d", deadline=in_days(3)
        )
        with pytest.raises(ValidationError) as error:
            whistles.blow(w, [called["zhujian"], called["nanguan"]], street_a)
        assert "南关区民政局" in str(error.value.message_dict["departments"])
        assert "不属于本区或本市" in str(error.value.message_dict["departments"])
        assert not Whistle.objects.exists()

    def test_a_place_of_another_street_is_refused(self, areas, street_b, called):
        w = Whistle(
            area=areas[BUILDING_A], kind=WhistleType.objects.first(), title="t", description="d", deadline=in_days(3)
        )
        with pytest.raises(ValidationError) as error:
            whistles.blow(w, [called["zhujian"]], street_b)
        assert "不在您可以吹哨的范围内" in str(error.value.message_dict["area"])

    def test_the_form_refuses_a_past_deadline_and_saves_nothing(self, areas, street_a, called):
        client = Client()
        client.force_login(street_a)
        data = {
            "area": BUILDING_A,
            "kind": WhistleType.objects.get(name="环境整治").pk,
            "title": "背街小巷垃圾积存",
            "description": "垃圾积存一周。",
            "deadline": in_days(-2).isoformat(),
            "departments": [called["zhujian"].pk],
        }
        response = client.post(reverse("services:whistle_add"), data)
        assert response.status_code == 200 and "已过" in response.content.decode()
        data["deadline"] = in_days(5).isoformat()
        data["departments"] = [called["zhujian"].pk, called["nanguan"].pk]
        response = client.post(reverse("services:whistle_add"), data)
        assert response.status_code == 200 and not Whistle.objects.exists()  # 南关区's is not offered
        data["departments"] = [called["zhujian"].pk]
        response = client.post(reverse("services:whistle_add"), data)
        assert response.status_code == 302
        assert Whistle.objects.get().responses.get().department == called["zhujian"]

    def test_a_property_dispute_links_a_compound_without_importing_property(self, areas, street_a, called):
        from property.models import Compound

        compound = Compound.objects.create(community=areas["220104001001"], name="幸福小区")
        w = Whistle(
            area=areas[BUILDING_A],
            kind=WhistleType.objects.get(name="物业纠纷"),
            title="电梯停运",
            description="d",
            deadline=in_days(3),
        )
        with pytest.raises(ValidationError) as error:
            whistles.blow(w, [called["zhujian"]], street_a)
        assert "须选择关联的对象" in str(error.value)
        whistles.blow(w, [called["zhujian"]], street_a, subject=compound)
        assert (w.subject_id, w.subject_label) == (compound.pk, "幸福小区")
        client = Client()
        client.force_login(street_a)
        page = client.get(compound.get_absolute_url()).content.decode()
        assert "电梯停运" in page  # the compound's page lists it (services' panel, by the registry)


@pytest.mark.django_db
class TestSteps:
    def test_sign_close_with_evidence_verify_and_score(self, whistle, called, zhujian, street_a):
        response = response_of(whistle, called["zhujian"])
        whistles.sign(response, zhujian)
        with pytest.raises(ValidationError) as error:
            whistles.close_with(response, zhujian, report="已清理")
        assert "请上传办结材料" in str(error.value)
        whistles.close_with(response, zhujian, report="已清理楼道杂物。", evidence=evidence())
        response.refresh_from_db()
        assert (response.status, response.on_time, response.evidence_name) == (
            ResponseStatus.CLOSED,
            True,
            "现场照片.pdf",
        )
        assert Notice.objects.filter(recipient=street_a, title__contains="请核验评分").exists()
        whistles.verify(response, street_a, quality=4, satisfaction=5)
        response.refresh_from_db()
        assert (response.status, response.score) == (ResponseStatus.VERIFIED, 20 + 32 + 40)

    def test_steps_out_of_order_are_refused_in_chinese(self, whistle, called, zhujian, street_a):
        response = response_of(whistle, called["zhujian"])
        with pytest.raises(ValidationError) as error:
            whistles.close_with(response, zhujian, report="已清理", evidence=evidence())
        assert "尚未报到，请先报到再办结" in str(error.value)
        with pytest.raises(ValidationError) as error:
            whistles.verify(response, street_a, quality=3, satisfaction=3)
        assert "尚未办结，不能核验评分" in str(error.value)
        whistles.sign(response, zhujian)
        with pytest.raises(ValidationError) as error:
            whistles.sign(response, zhujian)
        assert "不能再报到" in str(error.value)
        with pytest.raises(ValidationError) as error:
            whistles.verify(response, street_a, quality=7, satisfaction=3)
        assert "1 至 5 分" in str(error.value)

    def test_two_users_at_once_one_wins_the_other_is_told(self, whistle, called, zhujian, areas):
        colleague = department_user("zhujian2", called["zhujian"])
        response = response_of(whistle, called["zhujian"])
        whistles.sign(response, zhujian, seen=ResponseStatus.ADDRESSED)
        with pytest.raises(ValidationError) as error:
            whistles.sign(response, colleague, seen=ResponseStatus.ADDRESSED)
        assert "刚刚已变为“已报到”" in str(error.value)

    def test_a_department_cannot_take_another_departments_step(self, whistle, called, chengguan):
        client = Client()
        client.force_login(chengguan)
        other = response_of(whistle, called["zhujian"])
        assert (
            client.post(reverse("services:whistleresponse_sign", args=[other.pk]), {"state": "addressed"}).status_code
            == 404
        )
        other.refresh_from_db()
        assert other.status == ResponseStatus.ADDRESSED

    def test_the_pages_take_the_steps(self, whistle, called, zhujian, street_a):
        response = response_of(whistle, called["zhujian"])
        department = Client()
        department.force_login(zhujian)
        assert (
            department.post(
                reverse("services:whistleresponse_sign", args=[response.pk]), {"state": "addressed"}
            ).status_code
            == 302
        )
        page = department.get(reverse("services:whistleresponse_close", args=[response.pk]))
        assert "办结材料" in page.content.decode()
        department.post(
            reverse("services:whistleresponse_close", args=[response.pk]),
            {"state": "signed", "report": "已清理。", "evidence": evidence()},
        )
        street = Client()
        street.force_login(street_a)
        street.post(
            reverse("services:whistleresponse_verify", args=[response.pk]),
            {"state": "closed", "quality": "3", "satisfaction": "2"},
        )
        response.refresh_from_db()
        assert (response.status, response.score) == (ResponseStatus.VERIFIED, 20 + 24 + 16)
        assert department.get(reverse("services:whistleresponse_evidence", args=[response.pk])).status_code == 200


@pytest.mark.django_db
class TestScope:
    def test_a_department_sees_exactly_the_whistles_addressed_to_it(
        self, whistle, called, zhujian, minzheng, areas, street_b
    ):
        w2 = whistles.blow(
            Whistle(
                area=areas[COMMUNITY_B1],
                kind=WhistleType.objects.first(),
                title="B街道的吹哨",
                description="d",
                deadline=in_days(4),
            ),
            [called["chengguan"]],
            street_b,
        )
        assert list(Whistle.objects.scoped(zhujian)) == [whistle]
        assert list(WhistleResponse.objects.scoped(zhujian)) == [response_of(whistle, called["zhujian"])]
        assert not Whistle.objects.scoped(minzheng).exists()
        client = Client()
        client.force_login(zhujian)
        assert client.get(whistle.get_absolute_url()).status_code == 200
        assert client.get(w2.get_absolute_url()).status_code == 404
        assert client.get(response_of(whistle, called["chengguan"]).get_absolute_url()).status_code == 404
        listed = client.get(reverse("services:whistle_list")).content.decode()
        assert "楼道堆放杂物" in listed and "B街道的吹哨" not in listed

    def test_street_b_and_a_third_department_get_404(self, whistle, called, street_b, minzheng):
        for user in (street_b, minzheng):
            client = Client()
            client.force_login(user)
            assert client.get(whistle.get_absolute_url()).status_code == 404
            assert client.get(response_of(whistle, called["zhujian"]).get_absolute_url()).status_code == 404

    def test_the_area_pages_whistles_card_loads_for_its_departments_and_street_alone(
        self, whistle, zhujian, minzheng, street_a, street_b
    ):
        url = reverse("services:area_panel", args=["220104001", "whistles"])

        def card(user):
            client = Client()
            client.force_login(user)
            return client.get(url)

        assert "楼道堆放杂物" in card(zhujian).content.decode()
        assert "楼道堆放杂物" in card(street_a).content.decode()
        assert card(minzheng).content == b""  # nothing addressed to it: the card's place goes
        assert card(street_b).status_code == 404

    def test_the_search_finds_a_whistle_for_its_departments_and_street_and_not_for_others(
        self, whistle, zhujian, minzheng, street_a, street_b
    ):
        def found(user):
            client = Client()
            client.force_login(user)
            page = client.get(reverse("core:search"), {"q": "堆放杂物"}).content.decode()
            return whistle.get_absolute_url() in page

        assert found(zhujian) and found(street_a)
        assert not found(minzheng) and not found(street_b)


@pytest.mark.django_db
class TestOverdue:
    def test_an_overdue_response_is_flagged_and_escalated_to_the_district(
        self, whistle, called, zhujian, district_org, street_a
    ):
        whistles.sign(response_of(whistle, called["zhujian"]), zhujian)
        Whistle.objects.filter(pk=whistle.pk).update(deadline=in_days(-2))
        send_due_notices()
        told = Notice.objects.filter(recipient=district_org, title__startswith="吹哨逾期")
        assert told.count() == 2  # each department's overdue response, to the district's 组织部
        assert not Notice.objects.filter(recipient=street_a, title__contains="吹哨逾期").exists()  # the district's
        assert set(WhistleResponse.objects.values_list("escalated_on", flat=True)) == {timezone.localdate()}
        send_due_notices()
        assert told.count() == 2  # told once
        client = Client()
        client.force_login(district_org)
        page = client.get(reverse("services:whistleresponse_list") + "?overdue=true").content.decode()
        assert page.count("已逾期") >= 3  # the filter's label and the two rows' flags
        page = client.get(reverse("services:whistle_list") + "?overdue=false").content.decode()
        assert "楼道堆放杂物" not in page


@pytest.mark.django_db
class TestRanking:
    def test_the_quarters_ranking_shows_mean_score_on_time_rate_and_counts(
        self, whistle, called, zhujian, chengguan, street_a, district_org
    ):
        for department, user, quality, satisfaction in (
            (called["zhujian"], zhujian, 5, 5),
            (called["chengguan"], chengguan, 2, 1),
        ):
            response = response_of(whistle, department)
            whistles.sign(response, user)
            whistles.close_with(response, user, report="已处置。", evidence=evidence())
            whistles.verify(response, street_a, quality=quality, satisfaction=satisfaction)
        WhistleResponse.objects.filter(department=called["chengguan"]).update(on_time=False, score=8 * 2 + 8 * 1)
        quarter = Quarter.of(whistle.deadline)
        rows = {d.name: d for d in whistles.ranked_departments(district_org, quarter)}
        best, worst = rows["朝阳区住房和城乡建设局"], rows["朝阳区城管执法局"]
        assert (best.rank, best.mean_score, best.on_time_rate, best.addressed) == (1, 100, 100, 1)
        assert (worst.rank, worst.mean_score, worst.on_time_rate) == (2, 24, 0)
        client = Client()
        client.force_login(district_org)
        url = reverse("services:whistle_ranking") + f"?period={quarter.key}"
        page = client.get(url).content.decode()
        assert "朝阳区住房和城乡建设局" in page and "100.0" in page and "24.0" in page
        assert f'<option value="{quarter.key}" selected>{quarter.label}</option>' in page  # the quarter chosen
        assert f'<input type="hidden" name="period" value="{quarter.key}"' in page  # kept by the filter form
        export = client.get(url + "&export=xlsx")
        assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
        department = Client()
        department.force_login(zhujian)
        assert department.get(url).status_code == 404  # a department does not see the others' ranks
        elsewhere = client.get(
            reverse("services:whistle_ranking") + f"?period={quarter.shifted(-1).key}"
        ).content.decode()
        assert "朝阳区住房和城乡建设局" not in elsewhere

    def test_the_ranking_page_lists_the_departments_by_rank(
        self, whistle, called, zhujian, chengguan, street_a, district_org
    ):
        """Best first, whatever their names or counts (django-tables2 once re-sorted it by count
        and name, which put the 3rd above the 1st)."""
        for department, user, quality in ((called["zhujian"], zhujian, 1), (called["chengguan"], chengguan, 5)):
            response = response_of(whistle, department)
            whistles.sign(response, user)
            whistles.close_with(response, user, report="已处置。", evidence=evidence())
            whistles.verify(response, street_a, quality=quality, satisfaction=quality)
        client = Client()
        client.force_login(district_org)
        url = reverse("services:whistle_ranking") + f"?period={Quarter.of(whistle.deadline).key}"
        rows = [(row.record.rank, row.record.name) for row in client.get(url).context["table"].page.object_list]
        assert rows == [(1, "朝阳区城管执法局"), (2, "朝阳区住房和城乡建设局")]
        rows = [row.record.rank for row in client.get(url + "&sort=-rank").context["table"].page.object_list]
        assert rows == [2, 1]

    def test_a_late_signing_is_allowed_recorded_shown_and_loses_the_on_time_points(
        self, whistle, called, zhujian, chengguan, street_a, district_org
    ):
        on_time, late = response_of(whistle, called["chengguan"]), response_of(whistle, called["zhujian"])
        whistles.sign(on_time, chengguan)
        Whistle.objects.filter(pk=whistle.pk).update(deadline=in_days(-1))  # the deadline passes
        department = Client()
        department.force_login(zhujian)

        signed = department.post(reverse("services:whistleresponse_sign", args=[late.pk]), {"state": "addressed"})

        assert signed.status_code == 302
        late.refresh_from_db()
        on_time.refresh_from_db()
        assert (late.status, late.signed_late, on_time.signed_late) == (ResponseStatus.SIGNED, True, False)
        Whistle.objects.filter(pk=whistle.pk).update(deadline=in_days(3))  # the street then moves it on
        for response, user in ((on_time, chengguan), (late, zhujian)):
            whistles.close_with(response, user, report="已处置。", evidence=evidence())
            whistles.verify(response, street_a, quality=5, satisfaction=5)
        on_time.refresh_from_db()
        late.refresh_from_db()
        assert (on_time.on_time, on_time.score, late.on_time, late.score) == (True, 100, False, 80)
        street = Client()
        street.force_login(street_a)
        page = street.get(whistle.get_absolute_url()).content.decode()
        assert page.count("逾期报到") == 1  # zhujian's response on the whistle's page
        quarter = Quarter.of(in_days(3))
        rows = {d.name: d for d in whistles.ranked_departments(district_org, quarter)}
        assert (rows["朝阳区住房和城乡建设局"].signed_late_count, rows["朝阳区城管执法局"].signed_late_count) == (1, 0)
        assert (rows["朝阳区城管执法局"].rank, rows["朝阳区住房和城乡建设局"].rank) == (1, 2)
        district = Client()
        district.force_login(district_org)
        ranking = district.get(reverse("services:whistle_ranking") + f"?period={quarter.key}").content.decode()
        assert "逾期报到" in ranking


@pytest.mark.django_db
class TestApi:
    def test_blowing_through_the_api_is_checked_as_on_the_page(self, areas, street_a, called, zhujian):
        client = Client()
        client.force_login(street_a)
        body = {
            "area": BUILDING_A,
            "kind": WhistleType.objects.get(name="综合执法").pk,
            "title": "沿街商户占道经营",
            "description": "d",
            "deadline": in_days(-1).isoformat(),
            "departments": [called["zhujian"].pk, called["nanguan"].pk],
        }
        refused = client.post("/api/whistles/", body, content_type="application/json")
        assert refused.status_code == 400
        assert "已过" in str(refused.json()["deadline"]) and "南关区民政局" in str(refused.json()["departments"])
        body.update(deadline=in_days(3).isoformat(), departments=[called["zhujian"].pk])
        made = client.post("/api/whistles/", body, content_type="application/json")
        assert made.status_code == 201, made.content
        response = WhistleResponse.objects.get()
        department = Client()
        department.force_login(zhujian)
        signed = department.post(
            "/api/response-steps/sign/",
            {"response": response.pk, "state": "addressed"},
            content_type="application/json",
        )
        assert signed.status_code == 200 and signed.json()["status"] == "signed"
        refused = department.post("/api/response-steps/close/", {"response": response.pk, "report": "ok"})
        assert refused.status_code == 400 and "请上传办结材料" in str(refused.json())


@pytest.mark.django_db
class TestPresence:
    def test_the_area_page_lists_the_areas_whistles_with_the_overdue_flag(self, whistle, street_a, street_b, areas):
        Whistle.objects.filter(pk=whistle.pk).update(deadline=in_days(-1))
        client = Client()
        client.force_login(street_a)
        card = reverse("services:area_panel", args=["220104001001", "whistles"])
        assert card in client.get(areas["220104001001"].get_absolute_url()).content.decode()  # loaded after the page
        page = client.get(card).content.decode()
        assert "楼道堆放杂物" in page and "已逾期" in page
        client.force_login(street_b)
        own = client.get(reverse("services:area_panel", args=["220104002", "whistles"])).content.decode()
        assert "楼道堆放杂物" not in own

    def test_home_widgets_a_departments_work_and_the_streets_verifications(self, whistle, called, zhujian, street_a):
        from django.test import RequestFactory

        from services import widgets_whistles

        request = RequestFactory().get("/")
        request.user = zhujian
        work = widgets_whistles.department_work(request)
        assert [r.whistle for r in work["rows"]] == [whistle] and work["overdue"] == 0
        request.user = street_a
        assert widgets_whistles.street_work(request) is None  # nothing closed yet
        response = response_of(whistle, called["zhujian"])
        whistles.sign(response, zhujian)
        whistles.close_with(response, zhujian, report="已处置。", evidence=evidence())
        assert [r.pk for r in widgets_whistles.street_work(request)["rows"]] == [response.pk]
        request.user = zhujian
        assert widgets_whistles.department_work(request) is None  # closed: nothing left to do


@pytest.mark.django_db
def test_a_blown_whistles_deadline_moves_but_not_into_the_past(whistle, street_a):
    client = Client()
    client.force_login(street_a)
    data = {"title": whistle.title, "description": whistle.description, "deadline": in_days(-1).isoformat()}
    response = client.post(reverse("services:whistle_edit", args=[whistle.pk]), data)
    assert response.status_code == 200 and "已过" in response.content.decode()
    data["deadline"] = in_days(10).isoformat()
    assert client.post(reverse("services:whistle_edit", args=[whistle.pk]), data).status_code == 302
    whistle.refresh_from_db()
    assert whistle.deadline == in_days(10) and whistle.responses.count() == 2
