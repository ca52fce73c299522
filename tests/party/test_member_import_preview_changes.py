"""Issue 15, item 8, for the member import: the preview lists each changed member with the fields
that change from → to (numbers masked, organisations by name), not only counts."""

from party.tables import PartyMemberTable
from tests.core.test_every_import_preview_shows_its_changes import preview, xlsx

from .conftest import valid_id_number


def test_a_member_import_shows_the_changed_phone_masked_and_the_moved_organisation_by_name(party, street_a, client_for):
    headers = PartyMemberTable.headers()
    row = dict.fromkeys(headers, "")
    row.update(
        {
            "姓名": "张党员",
            "性别": "男",
            "所在党组织": "A1社区大党委",
            "身份证号": valid_id_number("22010419700101001"),
            "联系电话": "13700002222",
            "党员类别": "正式党员",
            "入党日期": "2000-07-01",
        }
    )

    details, page = preview(client_for(street_a), "party_members", xlsx(headers, [[row[h] for h in headers]]))

    [entry] = details["changed"]
    assert entry["who"] == "张党员"
    assert entry["changes"] == [
        ["联系电话", "139****1111", "137****2222"],
        ["所在党组织", "A1社区第1网格党支部", "A1社区大党委"],
    ]
    assert "139****1111" in page and "137****2222" in page and "13700002222" not in page
