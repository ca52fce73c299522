"""The API's schema and its documentation page speak Chinese like the portal: the title, the
description of every endpoint, of every object and field, and the tags; the codes an API takes
(`?within=`, the values of a choice) stay as they are. The documentation page links back to the
portal."""

import re

from django.urls import reverse

# Words a Chinese reader of an API meets as they are: the protocol's and the formats' names.
KEPT = {"API", "HTTP", "JSON", "Token", "Authorization", "Excel", "xlsx", "CSV", "PDF", "URL", "ID", "Cookie", "CSRF"}
CODE = re.compile(r"`[^`]*`")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")


def english_in(text):
    """The Latin words of `text` outside `code` spans, but for those kept."""
    return [word for word in LATIN_WORD.findall(CODE.sub("", text)) if word not in KEPT]


def texts(node, path="#"):
    """(where, text) of every description, summary and title in the schema, and every tag."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary", "title") and isinstance(value, str):
                yield f"{path}/{key}", value
            elif key == "tags" and isinstance(value, list):
                yield from ((f"{path}/tags", tag if isinstance(tag, str) else tag.get("name", "")) for tag in value)
            else:
                yield from texts(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from texts(value, f"{path}/{index}")


def schema(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_description_and_tag_of_the_schema_is_chinese(areas, city_org, client_for):
    document = schema(client_for(city_org))

    mixed = {where: english_in(text) for where, text in texts(document) if english_in(text)}

    assert len(list(texts(document))) > 100
    assert mixed == {}, sorted(mixed.items())[:15]


def test_every_endpoint_is_described(areas, city_org, client_for):
    document = schema(client_for(city_org))

    undescribed = [
        f"{method} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if not operation.get("description")
    ]

    assert undescribed == []
    assert document["info"]["title"] == "基层治理平台接口"


def test_the_api_docs_page_links_back_to_the_portal(areas, city_org, client_for):
    html = client_for(city_org).get(reverse("api-docs")).content.decode()

    header = html[html.index("<header") : html.index("</header>")]
    assert f'href="{reverse("home")}"' in header
    assert "返回平台" in header and "基层治理平台" in header
