"""A menu group whose entries name sections is one dropdown with a heading per section, the sections
in the order each first appears (core.context_processors.grouped); the workforce's nineteen pages
are one dropdown, 队伍与阵地, with its three sections, so a 组织部's menu bar stays on one line."""

from core.context_processors import grouped


def test_entries_of_a_group_fall_into_their_sections_in_first_appearance_order():
    entries = [
        {"group": "G", "section": "S1", "label": "a", "active": False},
        {"group": "", "label": "x", "active": False},
        {"group": "G", "section": "S2", "label": "b", "active": True},
        {"group": "G", "section": "S1", "label": "c", "active": False},
        {"group": "H", "label": "d", "active": False},
    ]

    result = grouped(entries)

    assert [e["label"] for e in result] == ["G", "x", "H"]
    sections = [(s["label"], [c["label"] for c in s["children"]]) for s in result[0]["sections"]]
    assert sections == [("S1", ["a", "c"]), ("S2", ["b"])] and result[0]["active"]
    assert "sections" not in result[2]  # a group without sections stays a plain dropdown


def test_the_workforce_menu_is_one_dropdown_of_three_sections(areas, street_a, client_for):
    html = client_for(street_a).get("/").content.decode()
    menu = html[html.index('id="portal-navbar"') : html.index("</nav>")]

    assert menu.count(">队伍与阵地</a>") == 1 and menu.count("menu-sections") == 1
    for heading in ("社区工作者", "两委与书记", "阵地与街巷"):
        assert f'<h6 class="dropdown-header">{heading}</h6>' in menu
