"""One query vocabulary for a period (issue 16 §4): the meeting schedule reads `?period=2026Q3`, as
every page does that shows a calendar period, and offers its quarters under that name; the links
already in use (`?quarter=2026-3`) still open the quarter they name."""

from django.urls import reverse

from core.calendar import Quarter

from .conftest import STREET_A


def schedule(client, **query):
    return client.get(reverse("party:meeting_schedule", args=[STREET_A]), query)


def test_the_schedule_reads_the_period_parameter(party, street_a, client_for):
    asked = Quarter.current().shifted(-3)  # not the last quarter, which the page shows by default

    response = schedule(client_for(street_a), period=asked.key)

    assert response.status_code == 200
    assert response.context["quarter"] == asked.label
    assert "无法识别" not in response.content.decode()


def test_a_link_of_the_old_spelling_still_opens_its_quarter(party, street_a, client_for):
    asked = Quarter.current().shifted(-3)

    response = schedule(client_for(street_a), quarter=f"{asked.year}-{asked.number}")

    assert response.context["quarter"] == asked.label
    assert "无法识别" not in response.content.decode()


def test_the_schedules_quarters_are_offered_under_the_period_parameter(party, street_a, client_for):
    html = schedule(client_for(street_a)).content.decode()
    last = Quarter.current().previous()

    assert 'name="period"' in html and 'name="quarter"' not in html
    assert f'<option value="{last.key}" selected>{last.label}</option>' in html


def test_a_half_year_is_not_a_quarter_and_falls_back_with_a_message(party, street_a, client_for):
    response = schedule(client_for(street_a), period="2026H1")

    assert "无法识别的季度“2026H1”" in response.content.decode()
    assert response.context["quarter"] == Quarter.current().previous().label


def test_the_in_service_list_counts_the_hours_of_the_quarter_of_the_day_asked_not_of_the_servers_start(
    party, street_a, client_for, monkeypatch
):
    """ "本季度服务时长" is the quarter of the day the page is asked, not of the day the process
    started: a portal running across a quarter's end starts the new quarter at zero."""
    from django.utils import timezone as tz

    list_url = reverse("party:inservicemember_list")
    client = client_for(street_a)
    hours = {m.name: m.quarter_hours for m in client.get(list_url).context["object_list"]}
    assert hours["赵在职"] == 2  # served today

    next_quarter = Quarter.current().next().start
    monkeypatch.setattr(tz, "localdate", lambda *args: next_quarter)

    hours = {m.name: m.quarter_hours for m in client.get(list_url).context["object_list"]}
    assert hours["赵在职"] == 0
