"""A head counts as a party member when the party organisation has a member of the same ID number
(issue #9): the coverage tallies of the buckets where such a person holds a post go stale when a
member is added, removed or changes ID number, and when a person's ID number changes."""

from django.db import migrations

MEMBER_ROWS = """
    SELECT a.code FROM orgs_area a
     WHERE a.id IN (SELECT h.area_id FROM grids_headassignment h JOIN grids_person p ON p.id = h.person_id
                     WHERE p.id_number IN (SELECT id_number FROM {rows} WHERE id_number <> ''))
"""
STALE = (
    "INSERT INTO grids_stalecoveragetally (prefix) SELECT DISTINCT left(code, 9) FROM ({rows}) changed(code) "
    "ON CONFLICT DO NOTHING"
)
MEMBER_TRIGGERS = [
    ("INSERT", "NEW TABLE AS new_rows", MEMBER_ROWS.format(rows="new_rows")),
    ("DELETE", "OLD TABLE AS old_rows", MEMBER_ROWS.format(rows="old_rows")),
    (
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        MEMBER_ROWS.format(
            rows="(SELECT n.id_number FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.id_number <> o.id_number"
            " UNION ALL SELECT o.id_number FROM new_rows n JOIN old_rows o ON o.id = n.id"
            " WHERE n.id_number <> o.id_number) AS both_rows"
        ),
    ),
]


def member_trigger(event, referencing, rows):
    name = f"orgs_partymember_{event.lower()}_stale_coverage"
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {STALE.format(rows=rows)};
            RETURN NULL;
        END $$;
        CREATE TRIGGER {name} AFTER {event} ON orgs_partymember REFERENCING {referencing}
            FOR EACH STATEMENT EXECUTE FUNCTION {name}();
    """


def drop_member_trigger(event, *_):
    name = f"orgs_partymember_{event.lower()}_stale_coverage"
    return f"DROP TRIGGER {name} ON orgs_partymember; DROP FUNCTION {name}();"


def person_function(condition):
    rows = f"""SELECT a.code FROM new_rows n JOIN old_rows o ON o.id = n.id
             JOIN grids_headassignment h ON h.person_id = n.id
             JOIN orgs_area a ON a.id = h.area_id
            WHERE {condition}"""
    return f"""
        CREATE OR REPLACE FUNCTION grids_person_update_stale_coverage() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {STALE.format(rows=rows)};
            RETURN NULL;
        END $$;
    """


PERSON_NOW = person_function(
    "(n.political_status, n.id_number) IS DISTINCT FROM (o.political_status, o.id_number)"
)
PERSON_BEFORE = person_function("n.political_status IS DISTINCT FROM o.political_status")


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0004_coverage_tallies"),
        ("orgs", "0005_party"),
    ]

    operations = [
        migrations.RunSQL(
            [member_trigger(*t) for t in MEMBER_TRIGGERS] + [PERSON_NOW, "DELETE FROM grids_coveragetally"],
            [drop_member_trigger(*t) for t in MEMBER_TRIGGERS] + [PERSON_BEFORE, "DELETE FROM grids_coveragetally"],
        ),
    ]
