"""The README's layout table describes the repository as it is: every path it lists exists (the
apps still to come are named in prose, not as rows of the layout)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def layout_paths():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout") :]
    section = section[: section.index("\n## ", 1)]
    return re.findall(r"^\| `([^`]+)` \|", section, flags=re.MULTILINE)


def test_every_path_of_the_readme_layout_exists():
    paths = layout_paths()

    assert {"core/", "orgs/", "grids/", "assessment/"} <= set(paths)
    assert [path for path in paths if not (ROOT / path).exists()] == []
