"""A member's ID number across scopes (issue #15, findings 16 and 17).

- A number registered in the user's sight answers a clear refusal, never a 500, and no ID or phone
  number reaches a log.
- Whether a number belongs to a member out of the user's sight cannot be probed: the member form,
  the API and the import answer alike whether it is registered there or nowhere (as the roster
  does, tests/grids/test_identity_across_scopes.py), and the registration out of sight is left
  as its office keeps it. The offices that see both registrations are shown the pair.
"""

import logging

from django.urls import reverse

from party.models import PartyMember

from .conftest import valid_id_number
from .test_member_import import member_row, sheet, upload

ELSEWHERE = valid_id_number("22010419650505123")  # 王党员's, registered by street B
NOWHERE = valid_id_number("22010419650505145")


def register_wang_with_a_number(party):
    PartyMember.objects.filter(pk=party["wang"].pk).update(id_number=ELSEWHERE, phone="13911112222")


def by_form(client, party, number, name):
    return client.post(
        reverse("party:partymember_add"),
        {
            "name": name,
            "organisation": party["grid_a1"].pk,
            "status": "full",
            "households_linked": 0,
            "ethnicity": "汉族",
            "id_number": number,
        },
    )


def by_api(client, number, name):
    return client.post(
        "/api/party-members/",
        {"name": name, "organisation": "A1社区第1网格党支部", "status": "full", "id_number": number},
        content_type="application/json",
    )


def without_ids(body, *names):
    """An API answer without what differs by construction (the id, the name typed, the mask)."""
    return {k: v for k, v in body.items() if k not in ("id", "name", "id_number", *names)}


# --- finding 16: a clear 400, nothing personal in a log ---------------------------------------------


def test_the_api_refuses_a_number_registered_in_scope_with_a_400_in_chinese(party, community_a1, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    number = party["zhang"].id_number

    response = by_api(client_for(community_a1), number, "重复")

    assert response.status_code == 400
    assert "已登记为A1社区第1网格党支部的党员“张党员”" in response.json()["id_number"][0]
    assert not PartyMember.objects.filter(name="重复").exists()
    assert number not in caplog.text and number[6:14] not in caplog.text


def test_the_form_refuses_a_number_registered_in_scope_and_names_the_member(party, community_a1, client_for):
    response = by_form(client_for(community_a1), party, party["zhang"].id_number, "重复")

    assert response.status_code == 200
    assert "已登记为A1社区第1网格党支部的党员“张党员”" in response.content.decode()
    assert not PartyMember.objects.filter(name="重复").exists()


def test_a_race_past_the_validation_is_a_400_not_a_500(party, community_a1, client_for, monkeypatch, caplog):
    from party import api

    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(api, "member_on_record", lambda *args, **kwargs: None)  # as if the twin came later
    number = party["zhang"].id_number

    response = by_api(client_for(community_a1), number, "并发")

    assert response.status_code == 400 and "与已有记录重复" in response.content.decode()
    assert number not in caplog.text


def test_no_id_or_phone_number_reaches_a_log_line_even_in_a_traceback(settings):
    from logging.config import dictConfig

    dictConfig(settings.LOGGING)
    [handler] = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    number = party_number = valid_id_number("22010419650505167")
    try:
        raise RuntimeError(f'duplicate key value: Key (id_number)=({party_number}) phone 13912345678 "0431-88881234"')
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/api/",), None
        )
        import sys

        record.exc_info = sys.exc_info()
    line = handler.format(record)

    assert "Internal Server Error: /api/" in line and "RuntimeError" in line
    assert number not in line and "13912345678" not in line and "88881234" not in line
    assert number[:6] + "********" + number[-4:] in line and "139****5678" in line
    [server] = logging.getLogger("django.server").handlers
    request_line = server.format(
        logging.LogRecord(
            "django.server", logging.INFO, __file__, 1, '"GET /party/members/?q=%s HTTP/1.1" 200', (number,), None
        )
    )
    assert "/party/members/?q=" in request_line and number not in request_line


def test_debug_is_off_unless_asked():
    import subprocess
    import sys

    env = {k: v for k, v in __import__("os").environ.items() if k != "DEBUG"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip() == "False"


# --- finding 17: registered elsewhere or nowhere, the same answer ----------------------------------


def test_the_form_answers_alike_for_a_number_registered_out_of_sight_and_a_new_one(party, community_a1, client_for):
    register_wang_with_a_number(party)
    client = client_for(community_a1)

    elsewhere = by_form(client, party, ELSEWHERE, "甲")
    nowhere = by_form(client, party, NOWHERE, "乙")

    assert elsewhere.status_code == nowhere.status_code == 302
    assert PartyMember.objects.get(name="甲").id_number == ELSEWHERE
    assert PartyMember.objects.get(pk=party["wang"].pk).organisation == party["grid_b1"]  # B's record as B keeps it


def test_the_api_answers_alike_for_a_number_registered_out_of_sight_and_a_new_one(party, community_a1, client_for):
    register_wang_with_a_number(party)
    client = client_for(community_a1)

    elsewhere = by_api(client, ELSEWHERE, "甲")
    nowhere = by_api(client, NOWHERE, "乙")

    assert elsewhere.status_code == nowhere.status_code == 201
    assert without_ids(elsewhere.json()) == without_ids(nowhere.json())
    assert "王党员" not in elsewhere.content.decode() and "139****2222" not in elsewhere.content.decode()
    wang = PartyMember.objects.get(pk=party["wang"].pk)
    assert (wang.name, wang.phone, wang.organisation) == ("王党员", "13911112222", party["grid_b1"])


def test_the_import_answers_alike_for_a_number_registered_out_of_sight_and_a_new_one(party, street_a, client_for):
    register_wang_with_a_number(party)
    client = client_for(street_a)

    elsewhere = upload(client, sheet([member_row("甲", "A1社区第1网格党支部", ELSEWHERE)])).summary
    nowhere = upload(client, sheet([member_row("乙", "A1社区第1网格党支部", NOWHERE)])).summary

    def answer(summary):
        return {k: v for k, v in summary.items() if k in ("new", "changed", "unchanged", "rejected", "warnings")}

    assert answer(elsewhere) == answer(nowhere)
    assert answer(elsewhere)["new"] == 1 and not answer(elsewhere)["rejected"]
    assert "王党员" not in str(elsewhere)


def test_an_office_that_sees_both_registrations_is_shown_the_pair(party, community_a1, city_org, client_for):
    register_wang_with_a_number(party)
    by_api(client_for(community_a1), ELSEWHERE, "甲")
    twin = PartyMember.objects.get(name="甲")

    seen_by_city = client_for(city_org).get(twin.get_absolute_url()).content.decode()
    seen_by_a1 = client_for(community_a1).get(twin.get_absolute_url()).content.decode()

    assert "另登记为B1社区第1网格党支部的党员“王党员”" in seen_by_city
    assert "王党员" not in seen_by_a1 and "B1社区" not in seen_by_a1


def test_an_import_that_meets_a_member_written_meanwhile_fails_without_repeating_the_number(
    party, street_a, client_for, caplog, monkeypatch
):
    from party.importers import PartyMemberImporter

    from .test_member_import import confirm

    caplog.set_level(logging.DEBUG)
    client = client_for(street_a)
    job = upload(client, sheet([member_row("甲", "A1社区第1网格党支部", NOWHERE)]))
    planned = PartyMemberImporter.plan

    def plan_then_someone_writes(importer, table):  # another office's write between the plan and the write
        plan = planned(importer, table)
        PartyMember.objects.create(name="抢先", organisation=party["grid_a1"], id_number=NOWHERE)
        return plan

    monkeypatch.setattr(PartyMemberImporter, "plan", plan_then_someone_writes)
    job = confirm(client, job)

    assert job.status == "failed" and "重复或冲突" in job.error
    assert NOWHERE not in job.error and NOWHERE not in caplog.text
    assert not PartyMember.objects.filter(name="甲").exists()
