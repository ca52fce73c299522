"""Each event of a post keeps the code of the post's area (`area_code`), so that the home page's
latest changes of a scope read the events of its subtree by one index, (area_code, time), without
joining the areas: a district's latest changes sorted its 21,000 events after a hash join (90 ms).
The code is written by a trigger as the event is inserted (pghistory writes the event), follows the
area when it is recoded, and is cleared when the area is deleted (an event of a deleted area is in
no scope, as it was when the scope was a join). The events already there are given theirs here."""

from django.db import migrations, models

FORWARD = """
    UPDATE grids_headassignmentevent e SET area_code = a.code FROM orgs_area a WHERE a.id = e.area_id;

    CREATE FUNCTION grids_headevent_area_code() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.area_code := (SELECT code FROM orgs_area WHERE id = NEW.area_id);
        RETURN NEW;
    END $$;
    CREATE TRIGGER grids_headevent_area_code BEFORE INSERT ON grids_headassignmentevent
        FOR EACH ROW EXECUTE FUNCTION grids_headevent_area_code();

    CREATE FUNCTION grids_headevent_area_recoded() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE grids_headassignmentevent SET area_code = NEW.code WHERE area_id = NEW.id;
        RETURN NULL;
    END $$;
    CREATE TRIGGER grids_headevent_area_recoded AFTER UPDATE OF code ON orgs_area
        FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
        EXECUTE FUNCTION grids_headevent_area_recoded();

    CREATE FUNCTION grids_headevent_area_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE grids_headassignmentevent SET area_code = NULL WHERE area_id IN (SELECT id FROM old_rows);
        RETURN NULL;
    END $$;
    CREATE TRIGGER grids_headevent_area_deleted AFTER DELETE ON orgs_area REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION grids_headevent_area_deleted();
"""
BACKWARD = """
    DROP TRIGGER grids_headevent_area_deleted ON orgs_area; DROP FUNCTION grids_headevent_area_deleted();
    DROP TRIGGER grids_headevent_area_recoded ON orgs_area; DROP FUNCTION grids_headevent_area_recoded();
    DROP TRIGGER grids_headevent_area_code ON grids_headassignmentevent; DROP FUNCTION grids_headevent_area_code();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('grids', '0006_person_phone_and_id_number_are_identity_fields'),
        ('orgs', '0012_latest_changes_indexes'),
        ('pghistory', '0007_auto_20250421_0444'),
    ]

    operations = [
        migrations.AddField(
            model_name='headassignmentevent',
            name='area_code',
            field=models.CharField(db_collation='C', editable=False, max_length=32, null=True, verbose_name='区划代码'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name='headassignmentevent',
            index=models.Index(fields=['pgh_created_at', 'pgh_id'], name='grids_headevent_created'),
        ),
        migrations.AddIndex(
            model_name='headassignmentevent',
            index=models.Index(fields=['area_code', 'pgh_created_at', 'pgh_id'], name='grids_headevent_code'),
        ),
    ]
