"""The schema tells an outside client every answer it may get (issue 16, §6): the refusals of
every operation (400, 403, 404, in JSON, also for a path no route matches; a write's 415) and the masked form of
personal data, whose whole-number pattern a masked answer would break."""

from django.urls import reverse

ERRORS = ("400", "403", "404")


def schema(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_operation_documents_its_refusals_in_json(areas, city_org, client_for):
    document = schema(client_for(city_org))

    missing = [
        f"{method.upper()} {path} {code}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in ("get", "post", "put", "patch", "delete")
        for code in ERRORS
        if "application/json" not in operation["responses"].get(code, {}).get("content", {})
    ]

    assert len(document["paths"]) > 20
    assert missing == []


def test_every_write_documents_the_unsupported_body_it_refuses(areas, city_org, client_for):
    document = schema(client_for(city_org))
    writes = [
        (f"{method.upper()} {path}", operation["responses"])
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch")
    ]
    answered = client_for(city_org).post("/api/areas/", "<区划/>", content_type="application/xml")

    assert answered.status_code == 415 and "detail" in answered.json()
    assert len(writes) > 20
    assert [
        name for name, responses in writes if "application/json" not in responses.get("415", {}).get("content", {})
    ] == []


def test_personal_data_is_documented_as_it_may_be_answered_masked(areas, city_org, client_for):
    components = schema(client_for(city_org))["components"]["schemas"]

    for model, field in (("ReportingUnit", "contact_phone"), ("PartyMember", "phone"), ("PartyMember", "id_number")):
        documented = components[model]["properties"][field]
        assert "pattern" not in str(documented), (model, field)
        assert "掩码" in documented["description"]


def test_a_masked_contact_phone_is_answered_as_the_schema_says(areas, city_org, client_for):
    from orgs.models import Area
    from party.models import ReportingUnit

    unit = ReportingUnit.objects.create(
        name="市住建局", kind="agency", area=Area.objects.get(code="220104001"), contact_phone="0431-88889999"
    )
    client = client_for(city_org)

    answered = client.get(f"/api/reporting-units/{unit.pk}/").json()["contact_phone"]
    documented = schema(client)["components"]["schemas"]["ReportingUnit"]["properties"]["contact_phone"]

    assert "*" in answered
    assert documented.get("type") == "string" and "pattern" not in str(documented)
    assert len(answered) <= documented["maxLength"]


def test_a_path_no_api_route_matches_is_a_404_in_json(areas, city_org, client_for):
    client = client_for(city_org)

    api = client.get("/api/areas/not-a-code/")
    page = client.get("/no-such-page/")

    assert api.status_code == 404
    assert api["Content-Type"] == "application/json"
    assert api.json() == {"detail": "未找到。"}
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_a_nul_byte_in_an_api_query_is_a_400_in_json(areas, city_org, client_for):
    response = client_for(city_org).get("/api/areas/", {"q": "朝阳\x00"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "请求中含有非法字符。"}
