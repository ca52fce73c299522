"""The release running (jiceng.__version__, CHANGELOG.md) is shown where an operator or an API
client looks for it: the footer of every page, the API schema's info."""

import re
from pathlib import Path

from django.urls import reverse

from jiceng import __version__

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_page_says_its_release_in_the_footer(client):
    html = client.get(reverse("login")).content.decode()

    assert f"基层治理平台 v{__version__}" in html.split('class="site-footer')[1]


def test_the_api_schema_says_the_release(areas, city_org, client_for):
    response = client_for(city_org).get(reverse("api-schema"), {"format": "json"})

    assert response.json()["info"]["version"] == __version__


def test_the_changelog_tells_of_the_release():
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")

    assert re.search(rf"^## {re.escape(__version__)} ", changelog, flags=re.MULTILINE)
