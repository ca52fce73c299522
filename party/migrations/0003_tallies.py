"""The party's tallies (party/tallies.py): the triggers that mark an organisation's area code stale
when its members, meetings or the organisation itself are written, and the tallies filled once
here, from the rows already there."""

from django.db import migrations

from core.tallies import migration_operations
from party.tallies import TALLIES, WATCHES


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_tallies"),
        ("party", "0002_phone_and_id_number_fields_clean_through_identity"),
    ]

    operations = [
        *migration_operations(TALLIES, WATCHES),
    ]
