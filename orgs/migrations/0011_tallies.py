"""An area recoded (a subtree moved, a code corrected) or given another level moves what every
tally (core.tallies) counts under its code: both codes are marked stale for every tally, recounted
by the next reader. And the tally of the areas of each level (orgs/tallies.py): its triggers, and
the tally filled from the areas already there."""

from django.db import migrations

from core.tallies import mark_every_tally_sql, migration_operations
from orgs.tallies import TALLIES, WATCHES


FORWARD = f"""
    CREATE FUNCTION orgs_area_recode_stale_tally() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {mark_every_tally_sql("OLD.code")};
        {mark_every_tally_sql("NEW.code")};
        RETURN NULL;
    END $$;
    CREATE TRIGGER orgs_area_recode_stale_tally AFTER UPDATE OF code, level ON orgs_area
        FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code OR OLD.level IS DISTINCT FROM NEW.level)
        EXECUTE FUNCTION orgs_area_recode_stale_tally();
"""
BACKWARD = "DROP TRIGGER orgs_area_recode_stale_tally ON orgs_area; DROP FUNCTION orgs_area_recode_stale_tally();"


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_tallies"),
        ("orgs", "0010_party_moves_to_its_own_app"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        *migration_operations(TALLIES, WATCHES),
    ]
