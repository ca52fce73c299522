"""JSON bodies of the API are bounded: nested deeper than 64 levels, or larger than
API_MAX_BODY_BYTES, they answer 400 with a message in Chinese — never a 500, nothing written."""

import io
import json

import pytest
from rest_framework.exceptions import ParseError

from core.parsers import MAX_DEPTH, BoundedJSONParser
from orgs.models import Area, RoleAssignment

TOO_DEEP = f"嵌套超过 {MAX_DEPTH} 层"
TOO_LARGE = "请求内容超过"
A3_COMMUNITY = {"code": "220104001003", "name": "A3社区", "level": "community", "parent": "220104001"}

# Every kind of API write: the parser is the default of the whole API.
WRITES = [
    ("post", "/api/areas/"),
    ("patch", "/api/areas/220104001/"),
    ("put", "/api/areas/220104001/"),
    ("post", "/api/role-assignments/"),
    ("post", "/api/head-assignments/"),
]


def nested(depth):
    return "[" * depth + "]" * depth


def send(client, method, url, body):
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.fixture
def city_client(city_org, client_for):
    return client_for(city_org)


def area_names():
    return dict(Area.objects.values_list("code", "name"))


@pytest.mark.parametrize("method, url", WRITES)
def test_it_answers_400_for_a_body_of_100000_nested_brackets(method, url, city_client):
    before = (area_names(), RoleAssignment.objects.count())

    response = send(city_client, method, url, "[" * 100_000)

    assert response.status_code == 400
    assert TOO_DEEP in response.json()["detail"]
    assert (area_names(), RoleAssignment.objects.count()) == before


def test_it_answers_400_for_objects_nested_one_level_too_deep(city_client):
    body = '{"a":' * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)

    response = send(city_client, "post", "/api/areas/", body)

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"请求内容中的数组或对象嵌套超过 {MAX_DEPTH} 层，无法处理。请检查提交的 JSON 数据。"
    }


def test_it_answers_400_for_a_body_larger_than_the_configured_limit(city_client, settings):
    settings.API_MAX_BODY_BYTES = 1024
    body = json.dumps({**A3_COMMUNITY, "name": "长" * 1000}, ensure_ascii=False)

    response = send(city_client, "post", "/api/areas/", body)

    assert response.status_code == 400
    # Django's filesizeformat joins number and unit with a no-break space
    assert response.json() == {"detail": "请求内容超过 1.0\xa0KB 的上限，无法处理。请减少一次提交的数据量，分批提交。"}
    assert not Area.objects.filter(code=A3_COMMUNITY["code"]).exists()


def test_a_body_just_under_the_limit_still_creates_the_area(city_client, settings):
    body = json.dumps(A3_COMMUNITY, ensure_ascii=False).encode()
    settings.API_MAX_BODY_BYTES = len(body)

    response = send(city_client, "post", "/api/areas/", body)

    assert response.status_code == 201, response.content
    assert Area.objects.get(code=A3_COMMUNITY["code"]).name == "A3社区"


def test_a_broken_json_body_answers_400_in_chinese(city_client):
    response = send(city_client, "post", "/api/areas/", '{"code": ')

    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON 格式有误：")


def test_a_body_that_is_not_utf8_answers_400_in_chinese(city_client):
    response = send(city_client, "post", "/api/areas/", '{"name": "社区"}'.encode("gbk"))

    assert response.status_code == 400
    assert "不是有效的 utf-8 编码文本" in response.json()["detail"]


# --- the parser itself, at the boundary -------------------------------------------------------


def parse(text):
    return BoundedJSONParser().parse(io.BytesIO(text.encode()), "application/json", {})


def test_the_parser_accepts_exactly_the_maximum_depth():
    assert parse(nested(MAX_DEPTH)) == json.loads(nested(MAX_DEPTH))


def test_the_parser_refuses_one_level_more():
    with pytest.raises(ParseError, match=TOO_DEEP):
        parse(nested(MAX_DEPTH + 1))


def test_brackets_inside_strings_do_not_count_as_nesting():
    text = json.dumps({"name": "[" * 1000 + '\\"{{{' + "]" * 10, "list": [["a]"]]})

    assert parse(text)["name"].startswith("[[[")


def test_many_shallow_arrays_are_not_deep():
    text = json.dumps([[i, [i]] for i in range(10_000)])

    assert len(parse(text)) == 10_000
