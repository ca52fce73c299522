"""bench/load.py's mix, for a few seconds against the live server of the small demo city (seeded
by the bench's own code): every virtual user logs in through the login form, every page of the mix
and every step of its write flows is requested without an error, and what the forms wrote is in
the database. No timing."""

import pytest

from bench import load, pages

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_daily_mix_logs_in_every_role_requests_every_page_and_writes_through_the_forms(
    default_set, live_server, settings
):
    from grids.models import HeadAssignment
    from party.models import Meeting

    settings.ALLOWED_HOSTS = ["*"]  # as the bench sets it; restored after the test
    pages.ensure_city("small")
    meetings, posts = Meeting.objects.count(), HeadAssignment.objects.count()
    plan = load.build_plan(users=8)  # one virtual user per demo login
    assert sorted(plan["logins"]) == sorted(pages.ROLES)
    kinds = {flow["kind"] for login in plan["logins"].values() for flow in login["writes"]}
    assert kinds == {"member edit", "meeting record", "head appointed"}

    result = load.run_swarm(plan, live_server.url, duration=240, think=(0, 0.05), ceiling=1, until_covered=True)
    figures = load.summarise(plan, result)

    assert figures["ceiling"]["requests"] > 0 and figures["ceiling"]["errors"] == 0
    assert (figures["logins"]["requests"], figures["logins"]["errors"]) == (8, 0)
    assert figures["steady"]["errors"] == 0, figures["steady"]["error_messages"]
    assert figures["missing"] == []  # every page of the mix, every fragment, every step of every write
    assert figures["steady"]["posts"] > 0
    assert Meeting.objects.count() > meetings  # recorded through the meeting form
    assert HeadAssignment.objects.count() > posts  # appointed through the roster's form
