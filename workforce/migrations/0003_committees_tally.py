"""The two committees' tally (workforce/tallies.py): the triggers that mark a community's code stale
when its terms or members are written, and the tally filled once here from the rows already there."""

from django.db import migrations

from core.tallies import migration_operations
from workforce.tallies import TALLIES, WATCHES


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_tallies"),
        ("workforce", "0002_default_set_with_workforce"),
    ]

    operations = [
        *migration_operations(TALLIES, WATCHES),
    ]
