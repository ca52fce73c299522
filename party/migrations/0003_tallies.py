"""The party's tallies (party/tallies.py): the triggers that mark an organisation's area code stale
when its members, meetings or the organisation itself are written, and the tallies filled once
here, from the rows already there."""

from django.db import migrations

from core.tallies import watch_sql
from party.tallies import TALLIES, WATCHES


def triggers():
    forward, backward = [], []
    for name, table, keys, insert, delete, update in WATCHES:
        more, less = watch_sql(name, table, keys, insert=insert, delete=delete, update=update)
        forward += more
        backward += less
    return forward, backward


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for tally in TALLIES:
            tally.fill(cursor)


def empty(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for tally in TALLIES:
            for table in ("core_tally", "core_staletally", "core_tallystate"):
                cursor.execute(f"DELETE FROM {table} WHERE key = %s", [tally.key])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_tallies"),
        ("party", "0002_phone_and_id_number_fields_clean_through_identity"),
    ]

    operations = [
        migrations.RunSQL(*triggers()),
        migrations.RunPython(fill, empty),
    ]
