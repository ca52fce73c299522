"""The history tab shows every time as the rest of the portal does: in local time (Asia/Shanghai),
as "Y-m-d H:i" — the event's own time and the datetimes inside what changed alike, never the raw
UTC value stored in the event (2026-12-06T07:03:25.736978+00:00)."""

import datetime

from party.models import ServiceRecord

UTC = datetime.UTC


def history_of(client, record):
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="history"') :]


def test_a_confirmation_time_in_the_changes_is_shown_in_local_time(party, city_org, client_for):
    service = party["service"]
    ServiceRecord.objects.filter(pk=service.pk).update(
        confirmed_at=datetime.datetime(2026, 12, 6, 7, 3, 25, 736978, tzinfo=UTC), confirmed_by=city_org
    )

    history = history_of(client_for(city_org), service)

    assert "确认时间：— → 2026-12-06 15:03" in history
    assert "+00:00" not in history and "T07:03" not in history and "07:03:25" not in history


def test_a_changed_time_shows_both_sides_in_local_time(party, city_org, client_for):
    service = party["service"]
    ServiceRecord.objects.filter(pk=service.pk).update(
        confirmed_at=datetime.datetime(2026, 12, 5, 23, 30, tzinfo=UTC)  # already the 6th in Shanghai
    )
    ServiceRecord.objects.filter(pk=service.pk).update(confirmed_at=datetime.datetime(2026, 12, 6, 1, 0, tzinfo=UTC))

    history = history_of(client_for(city_org), service)

    assert "确认时间：2026-12-06 07:30 → 2026-12-06 09:00" in history


def test_the_time_of_each_event_is_local_and_formatted_like_the_portal(party, city_org, client_for):
    from django.utils import timezone

    history = history_of(client_for(city_org), party["service"])

    created = timezone.localtime().strftime("%Y-%m-%d %H:")
    assert created in history
    entry_time = history[history.index('text-body-secondary">') + len('text-body-secondary">') :][:20]
    assert entry_time.count(":") == 1, entry_time  # Y-m-d H:i, like every other time on the portal


def test_the_record_shows_its_times_as_its_history_does(party, city_org, client_for):
    service = party["service"]
    ServiceRecord.objects.filter(pk=service.pk).update(
        confirmed_at=datetime.datetime(2026, 12, 6, 7, 3, 25, tzinfo=UTC), served_on=datetime.date(2026, 11, 25)
    )

    html = client_for(city_org).get(service.get_absolute_url()).content.decode()
    fields = html[: html.index('id="history"')]

    assert "2026-12-06 15:03" in fields and "2026-11-25" in fields
    assert "2026年" not in fields
